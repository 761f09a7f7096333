import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../platform/log';
import { Random } from '../core/synthetic/random';
import { FEATURE_IDS } from '../../shared/domain';
import { resolveTrmConfig } from '../training/trm/config';
import { writeModelFolder } from '../training/trm/model-folder';
import { initTrmWeights } from '../training/trm/weights';
import { loadStrategyModel, type LoadedStrategyModel } from './trm-model';
import type { StrategyModel } from '../engine/ports';

const F = 6;
const features = FEATURE_IDS.slice(0, F);
const config = resolveTrmConfig({ width: 16, cycles: 2, latentSteps: 2, trainSteps: 3 });

/** A model folder with seeded initial weights (inference does not care whether they were trained). */
async function modelFolder(dir: string): Promise<void> {
  await writeModelFolder(
    dir,
    {
      config,
      features,
      weights: initTrmWeights({ features: F, width: 16, hidden: 32 }, 3),
      samples: 100,
      epochsRun: 0,
    },
    {
      normalisation: { mean: new Array<number>(F).fill(0), sd: new Array<number>(F).fill(1) },
      horizon: 20,
      training: { from: '2010-01-04', to: '2021-12-31' },
    },
  );
}

describe('loadStrategyModel', () => {
  const root = mkdtempSync(join(tmpdir(), 'trm-model-'));
  const good = join(root, 'good');
  let model: LoadedStrategyModel;
  let lines: string[];

  beforeAll(async () => {
    await modelFolder(good);
    const log = createMemoryLogger();
    model = await loadStrategyModel(good, { log });
    lines = log.lines;
  });
  afterAll(async () => {
    await model.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('implements the engine port and logs exactly one line saying which provider runs it', () => {
    const port: StrategyModel = model;
    expect(port.manifest.version).toMatch(/^trm-20211231-[0-9a-f]{6}$/);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /strategy model trm-20211231-[0-9a-f]{6} runs on (CUDA|CPU \(CUDA provider unavailable: .+\))$/,
    );
    expect(model.provider).toBe(lines[0]!.includes('runs on CUDA') ? 'cuda' : 'cpu');
  });

  it('says when CUDA was not asked for', async () => {
    const log = createMemoryLogger();
    const cpu = await loadStrategyModel(good, { log, providers: ['cpu'] });
    await cpu.close();
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatch(/runs on CPU \(CUDA not requested\)$/);
  });

  it('returns the four outputs, and batched results equal one-row results', async () => {
    const random = Random.fromSeed(1);
    const rows = 9;
    const x = Float32Array.from({ length: rows * F }, () => random.normal());
    const batch = await model.run(x, rows);
    const cycles = config.inferSteps * config.cycles;
    expect(batch.probabilities).toHaveLength(rows * 8);
    expect(batch.halt).toHaveLength(rows);
    expect(batch.cycleProbabilities).toHaveLength(rows * cycles * 8);
    expect(batch.cycleHalt).toHaveLength(rows * cycles);
    for (let r = 0; r < rows; r++) {
      const one = await model.run(x.slice(r * F, r * F + F), 1);
      const sum = one.probabilities.reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 5);
      const close = (a: Float32Array, b: Float32Array): void =>
        a.forEach((v, k) => expect(Math.abs(v - b[k]!)).toBeLessThan(1e-6));
      close(one.probabilities, batch.probabilities.subarray(r * 8, r * 8 + 8));
      close(one.halt, batch.halt.subarray(r, r + 1));
      close(one.cycleProbabilities, batch.cycleProbabilities.subarray(r * cycles * 8, (r + 1) * cycles * 8));
      close(one.cycleHalt, batch.cycleHalt.subarray(r * cycles, (r + 1) * cycles));
      // The last cycle's answer is the final answer.
      close(one.probabilities, one.cycleProbabilities.subarray((cycles - 1) * 8));
    }
  });

  it('throws on an input whose length is not rows times the feature count', async () => {
    await expect(model.run(new Float32Array(F * 2 + 1), 2)).rejects.toThrow(
      /takes 6 values per row: 2 rows need 12 values, got 13/,
    );
    await expect(model.run(new Float32Array(F), 2)).rejects.toThrow(/got 6/);
  });

  it('fails on a missing or bad folder with a message naming the file', async () => {
    const log = createMemoryLogger();
    const missing = join(root, 'missing');
    await expect(loadStrategyModel(missing, { log })).rejects.toThrow(
      `${join(missing, 'manifest.json')} does not exist`,
    );

    const badJson = join(root, 'bad-json');
    await modelFolder(badJson);
    writeFileSync(join(badJson, 'manifest.json'), '{ not json');
    await expect(loadStrategyModel(badJson, { log })).rejects.toThrow(
      `${join(badJson, 'manifest.json')} is not valid JSON`,
    );

    const badManifest = join(root, 'bad-manifest');
    await modelFolder(badManifest);
    const manifest = JSON.parse(readFileSync(join(badManifest, 'manifest.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    writeFileSync(join(badManifest, 'manifest.json'), JSON.stringify({ ...manifest, format: 'other' }));
    await expect(loadStrategyModel(badManifest, { log })).rejects.toThrow(
      `${join(badManifest, 'manifest.json')} is not a TRM model manifest this version reads (format:`,
    );

    const noOnnx = join(root, 'no-onnx');
    await modelFolder(noOnnx);
    rmSync(join(noOnnx, 'model.onnx'));
    await expect(loadStrategyModel(noOnnx, { log })).rejects.toThrow(
      `${join(noOnnx, 'model.onnx')} does not exist`,
    );

    const corrupt = join(root, 'corrupt');
    await modelFolder(corrupt);
    writeFileSync(join(corrupt, 'model.onnx'), 'not an onnx file');
    await expect(loadStrategyModel(corrupt, { log, providers: ['cpu'] })).rejects.toThrow(
      `${join(corrupt, 'model.onnx')} cannot be loaded by ONNX Runtime`,
    );

    const mismatch = join(root, 'mismatch');
    await modelFolder(mismatch);
    writeFileSync(
      join(mismatch, 'manifest.json'),
      JSON.stringify({
        ...manifest,
        features: FEATURE_IDS.slice(0, F + 1),
        normalisation: { mean: new Array(F + 1).fill(0), sd: new Array(F + 1).fill(1) },
      }),
    );
    await expect(loadStrategyModel(mismatch, { log, providers: ['cpu'] })).rejects.toThrow(
      `${join(mismatch, 'model.onnx')} does not match its manifest: expected one input features [batch, 7], the graph has features [batch, 6]`,
    );
  });

  it('refuses to run after close', async () => {
    const log = createMemoryLogger();
    const other = await loadStrategyModel(good, { log, providers: ['cpu'] });
    await other.close();
    await expect(other.run(new Float32Array(F), 1)).rejects.toThrow(/is closed/);
  });
});
