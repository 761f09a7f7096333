import { describe, expect, it } from 'vitest';
import { separableDataset } from '../../test-support/trm-dataset';
import { trainTrmInWorker } from './train-in-worker';
import type { TrmEpochProgress } from './trainer';

const TINY = { width: 16, cycles: 1, latentSteps: 1, trainSteps: 2, batchSize: 64 };

describe('trainTrmInWorker', () => {
  it('trains in a worker thread, reports progress per epoch and resolves with a usable model', async () => {
    const progress: TrmEpochProgress[] = [];
    const trained = await trainTrmInWorker(
      separableDataset(200, 1),
      separableDataset(50, 2),
      { ...TINY, epochs: 2 },
      (p) => progress.push(p),
    );
    expect(progress.map((p) => p.epoch)).toEqual([1, 2]);
    expect(progress[1]!.valLoss).toBeTypeOf('number');
    expect(trained.epochsRun).toBe(2);
    expect(trained.weights.input).toBeInstanceOf(Float32Array);
    const out = await trained.predict(separableDataset(3, 3).x, 3);
    expect(out.probabilities).toHaveLength(24);
    expect(out.probabilities.slice(0, 8).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  }, 60_000);

  it('rejects with "cancelled" when aborted mid-training', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const training = trainTrmInWorker(
      separableDataset(200, 1),
      separableDataset(50, 2),
      { ...TINY, epochs: 10_000 },
      (p) => {
        seen.push(p.epoch);
        controller.abort();
      },
      controller.signal,
    );
    await expect(training).rejects.toThrow('cancelled');
    expect(seen.length).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it("rejects with the trainer's message when the data are malformed", async () => {
    const good = separableDataset(20, 1);
    await expect(trainTrmInWorker({ ...good, rows: 21 }, good, TINY)).rejects.toThrow(
      /21 rows of 10 features/,
    );
  }, 60_000);
});
