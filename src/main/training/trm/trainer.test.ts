import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { separableDataset } from '../../test-support/trm-dataset';
import { DEFAULT_TRM_CONFIG, resolveTrmConfig } from './config';
import { ensureTfBackend, epsTensor, paramsOf, tfOps } from './model';
import { embedInput, fullRecursion, heads } from './recursion';
import {
  createVariables,
  supervisionLoss,
  supervisionStep,
  trainTrm,
  type TrmEpochProgress,
} from './trainer';
import { initTrmWeights, TRAINABLE_WEIGHTS, type TrmWeights } from './weights';

/** Small and quick: D = 16, short recursions. */
const TINY = { width: 16, cycles: 2, latentSteps: 2, trainSteps: 2, batchSize: 128 };

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

function sameBits(a: TrmWeights, b: TrmWeights): boolean {
  return TRAINABLE_WEIGHTS.every(
    (name) => Buffer.compare(Buffer.from(a[name].buffer), Buffer.from(b[name].buffer)) === 0,
  );
}

describe('trainTrm', () => {
  beforeAll(() => ensureTfBackend());

  it('learns a separable 8-class problem well above chance and the majority rate', async () => {
    const train = separableDataset(1024, 1);
    const validation = separableDataset(500, 2);
    const counts = new Array<number>(8).fill(0);
    for (const label of validation.labels) counts[label]!++;
    const majorityRate = Math.max(...counts) / validation.rows;
    const progress: TrmEpochProgress[] = [];
    const trained = await trainTrm(
      train,
      validation,
      { ...TINY, epochs: 3, lr: 3e-3, warmupEpochs: 0.25, seed: 3 },
      (p) => progress.push(p),
    );
    expect(progress.map((p) => p.epoch)).toEqual([1, 2, 3]);
    expect(progress.every((p) => p.epochs === 3 && Number.isFinite(p.loss) && p.etaMs >= 0)).toBe(true);
    const last = progress.at(-1)!;
    expect(last.valAccuracy!).toBeGreaterThan(Math.max(0.35, 2 * majorityRate));
    expect(last.valLoss!).toBeLessThan(Math.log(8) - 0.4);
    // Per-step validation metrics for N_inf = N_sup steps, of the kept epoch.
    expect(trained.validationSteps.map((s) => s.step)).toEqual([1, 2]);
    expect(trained.validationSteps.at(-1)!.logLoss).toBeCloseTo(
      progress[trained.bestEpoch - 1]!.valLoss!,
      10,
    );
  });

  it('keeps EMA weights that differ from the raw ones, and the same seed gives the same weights bit for bit', async () => {
    const train = separableDataset(300, 1);
    const validation = separableDataset(100, 2);
    const config = { ...TINY, epochs: 1, seed: 11 };
    const a = await trainTrm(train, validation, config);
    const b = await trainTrm(train, validation, config);
    const c = await trainTrm(train, validation, { ...config, seed: 12 });
    expect(sameBits(a.weights, b.weights)).toBe(true);
    expect(sameBits(a.rawWeights, b.rawWeights)).toBe(true);
    expect(sameBits(a.weights, c.weights)).toBe(false);
    expect(sameBits(a.weights, a.rawWeights)).toBe(false);
    expect(maxAbsDiff(a.weights.input, a.rawWeights.input)).toBeGreaterThan(1e-5);
    // y0 and z0 are saved with the weights and never trained.
    expect(a.weights.y0).toEqual(a.rawWeights.y0);
  });

  it('stops early when validation log-loss has not improved for `patience` epochs and keeps the best epoch', async () => {
    // A learning rate too small to move a float32 weight: nothing improves after the first epoch.
    const trained = await trainTrm(separableDataset(200, 1), separableDataset(100, 2), {
      ...TINY,
      lr: 1e-20,
      epochs: 10,
      patience: 2,
    });
    const losses = trained.history.map((h) => h.valLoss!);
    expect(trained.epochsRun).toBeLessThan(10);
    expect(trained.epochsRun - trained.bestEpoch).toBe(2);
    expect(losses[trained.bestEpoch - 1]).toBe(Math.min(...losses));
    expect(trained.validationSteps.at(-1)!.logLoss).toBe(Math.min(...losses));
  });

  it('trains with T = 1 and n = 1 (no recursion outside the gradient) and keeps its tensors', async () => {
    const before = tf.memory().numTensors;
    const trained = await trainTrm(separableDataset(100, 1), separableDataset(50, 2), {
      ...TINY,
      cycles: 1,
      latentSteps: 1,
      epochs: 2,
    });
    expect(trained.history.every((h) => Number.isFinite(h.valLoss))).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses malformed data with a message that says what is wrong', async () => {
    const good = separableDataset(10, 1);
    await expect(trainTrm({ ...good, labels: good.labels.map(() => 9) }, good, TINY)).rejects.toThrow(
      /label 9 at row 0/,
    );
    await expect(trainTrm({ ...good, rows: 11 }, good, TINY)).rejects.toThrow(/11 rows of 10 features/);
    const nan = good.x.slice();
    nan[13] = Number.NaN;
    await expect(trainTrm({ ...good, x: nan }, good, TINY)).rejects.toThrow(/row 1, feature volume_ratio/);
  });

  it('takes a setting given as undefined as its default', () => {
    expect(resolveTrmConfig({ lr: undefined, width: 16 })).toEqual({
      ...DEFAULT_TRM_CONFIG,
      width: 16,
      hidden: 32,
    });
  });

  it('refuses an impossible configuration naming the field', async () => {
    await expect(trainTrm(separableDataset(10, 1), separableDataset(10, 2), { width: 0 })).rejects.toThrow(
      /invalid TRM configuration \(width: /,
    );
  });

  it('rejects with "cancelled" when its signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      trainTrm(separableDataset(10, 1), separableDataset(10, 2), TINY, () => {}, controller.signal),
    ).rejects.toThrow('cancelled');
  });
});

describe('supervisionStep', () => {
  beforeAll(() => ensureTfBackend());

  it('backpropagates through the last full recursion only: the T − 1 cycles before it get no gradient', () => {
    const shape = { features: 10, width: 16, hidden: 32 };
    const recursion = { cycles: 3, latentSteps: 2 };
    const data = separableDataset(64, 5);
    const { vars, tensors } = createVariables(initTrmWeights(shape, 4), shape);
    const eps = epsTensor();
    const p = paramsOf(tensors, eps);
    const x = tf.tensor2d(data.x, [64, 10]);
    const oneHot = tf.oneHot(tf.tensor1d(Int32Array.from(data.labels), 'int32'), 8).cast('float32');
    const active = tf.ones([64]);
    const varList = TRAINABLE_WEIGHTS.map((name) => vars[name]);
    const gradsOf = (loss: () => tf.Scalar): Record<string, Float32Array> => {
      const { value, grads } = tf.variableGrads(loss, varList);
      value.dispose();
      const out = Object.fromEntries(
        TRAINABLE_WEIGHTS.map((n) => [n, grads[vars[n].name]!.dataSync() as Float32Array]),
      );
      for (const g of Object.values(grads)) g.dispose();
      return out;
    };
    const lossAfter = (y: tf.Tensor, z: tf.Tensor, cycles: number): tf.Scalar => {
      const xe = embedInput(tfOps, p, x);
      let s = { y, z };
      for (let c = 0; c < cycles; c++) s = fullRecursion(tfOps, p, xe, s, recursion.latentSteps);
      const out = heads(tfOps, p, s.y);
      return supervisionLoss(out.logits, out.halt, oneHot, active).loss;
    };

    const step = supervisionStep(vars, p, x, oneHot, active, { y: p.y0, z: p.z0 }, recursion);
    const trainer = Object.fromEntries(
      TRAINABLE_WEIGHTS.map((n) => [n, step.grads[n].dataSync() as Float32Array]),
    );

    // Reference: T − 1 cycles run as constants, gradient of one full recursion from there.
    const [y2, z2] = tf.tidy(() => {
      const xe = embedInput(tfOps, p, x);
      let s = { y: p.y0, z: p.z0 };
      for (let c = 0; c < recursion.cycles - 1; c++)
        s = fullRecursion(tfOps, p, xe, s, recursion.latentSteps);
      return [s.y, s.z];
    });
    const truncated = gradsOf(() => lossAfter(y2, z2, 1));
    // The variant the paper warns against: backprop through all T cycles.
    const everything = gradsOf(() => lossAfter(p.y0, p.z0, recursion.cycles));

    for (const name of TRAINABLE_WEIGHTS)
      expect(maxAbsDiff(trainer[name]!, truncated[name]!)).toBeLessThan(1e-6);
    const scale = Math.max(...Array.from(everything.input!, Math.abs));
    expect(maxAbsDiff(trainer.input!, everything.input!)).toBeGreaterThan(1e-3 * scale);
    expect(maxAbsDiff(trainer.gate0!, everything.gate0!)).toBeGreaterThan(0);
  });
});
