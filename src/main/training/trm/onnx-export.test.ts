import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../core/synthetic/random';
import { separableDataset } from '../../test-support/trm-dataset';
import { resolveTrmConfig } from './config';
import { exportTrmOnnx, TRM_IO } from './onnx-export';
import { decodeModel } from './onnx-proto';
import { trainTrm, type TrainedTrm } from './trainer';
import { initTrmWeights } from './weights';

const OUTPUTS = [
  [TRM_IO.probabilities, 'probabilities'],
  [TRM_IO.halt, 'halt'],
  [TRM_IO.cycleProbabilities, 'cycleProbabilities'],
  [TRM_IO.cycleHalt, 'cycleHalt'],
] as const;

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe('exportTrmOnnx parity with the tfjs model', () => {
  let trained: TrainedTrm;
  let session: ort.InferenceSession;

  beforeAll(async () => {
    // The default recursion (T = 3, n = 6, N_inf = 4: 84 trunk calls unrolled) at D = 16, briefly trained
    // so that the EMA weights are not the initial ones.
    trained = await trainTrm(separableDataset(256, 1), separableDataset(64, 2), {
      width: 16,
      epochs: 2,
      seed: 5,
    });
    session = await ort.InferenceSession.create(exportTrmOnnx(trained), { executionProviders: ['cpu'] });
  }, 120_000);

  const random = Random.fromSeed(99);
  const inputs: [string, (rows: number) => Float32Array][] = [
    ['standard normal', (rows) => Float32Array.from({ length: rows * 10 }, () => random.normal())],
    ['extreme (±5)', (rows) => Float32Array.from({ length: rows * 10 }, () => (random.chance(0.5) ? 5 : -5))],
  ];
  for (const [name, make] of inputs) {
    for (const rows of [1, 37]) {
      it(`agrees within 1e-4 on all four outputs: ${name} inputs, batch ${rows}`, async () => {
        const x = make(rows);
        const expected = await trained.predict(x, rows);
        const got = await session.run({ [TRM_IO.input]: new ort.Tensor('float32', x, [rows, 10]) });
        expect(got[TRM_IO.cycleProbabilities]!.dims).toEqual([rows, 12, 8]);
        expect(got[TRM_IO.cycleHalt]!.dims).toEqual([rows, 12]);
        expect(got[TRM_IO.halt]!.dims).toEqual([rows]);
        for (const [onnxName, tfName] of OUTPUTS) {
          expect(maxAbsDiff(got[onnxName]!.data as Float32Array, expected[tfName])).toBeLessThan(1e-4);
        }
      });
    }
  }
});

describe('exportTrmOnnx graph', () => {
  const config = resolveTrmConfig({ width: 32 });
  const features = Array.from({ length: 10 }, (_, i) => `f${i}`);
  const weights = initTrmWeights({ features: 10, width: 32, hidden: 64 }, 1);

  it('unrolls steps without Loop/If and shares one set of initializers, so size grows only with nodes', () => {
    const four = decodeModel(exportTrmOnnx({ config, features, weights }, { steps: 4 }));
    const eight = decodeModel(exportTrmOnnx({ config, features, weights }, { steps: 8 }));
    expect(four.opset_import).toEqual([{ domain: '', version: 17 }]);
    const ops = new Set(four.graph.node.map((n) => n.op_type));
    expect(ops.has('Loop') || ops.has('If')).toBe(false);
    expect([...ops].sort()).toEqual([
      'Add',
      'Concat',
      'Div',
      'MatMul',
      'Mul',
      'ReduceMean',
      'Reshape',
      'Sigmoid',
      'Softmax',
      'Sqrt',
      'Unsqueeze',
    ]);
    const initializerBytes = (m: typeof four): number =>
      m.graph.initializer.reduce((sum, t) => sum + t.raw_data.length, 0);
    expect(initializerBytes(eight)).toBe(initializerBytes(four));
    expect(eight.graph.node.length).toBeGreaterThan(1.9 * four.graph.node.length);
  });

  it('stays small at the default size (D = 32, N_inf = 4): a few hundred KB at most', () => {
    expect(exportTrmOnnx({ config, features, weights }).length).toBeLessThan(300_000);
  });

  it('refuses weights that do not fit the configuration', () => {
    expect(() => exportTrmOnnx({ config: resolveTrmConfig({ width: 16 }), features, weights })).toThrow(
      /TRM weight input has 320 values, expected 160/,
    );
  });
});
