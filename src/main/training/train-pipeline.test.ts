import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildDailyPanel } from '../core/signals/daily-panel';
import { fitNormalisation } from '../core/signals/zscore';
import { randomMarketPanel } from '../test-support/panel-of';
import { readDailyCsvFolder } from './daily-csv-folder';
import { learnableRows, prepareDecisionData, rawRows, zRows } from './decision-data';
import { utcDateOf } from '../core/calendar-dates';
import { runTrainPipeline, type PipelineOptions } from './train-pipeline';
import { exportTrmOnnx, TRM_IO } from './trm/onnx-export';
import { trainTrm } from './trm/trainer';

const tiny: Pick<PipelineOptions, 'widths' | 'seed' | 'config' | 'train'> = {
  widths: [8],
  seed: 3,
  config: { epochs: 1, trainSteps: 1, inferSteps: 1 },
  train: trainTrm,
};

describe('runTrainPipeline', () => {
  const panel = randomMarketPanel(900, 11);

  it('fits z-scores on the training rows only, validates on a later block, and evaluates out of sample', async () => {
    const result = await runTrainPipeline({
      ...tiny,
      panel,
      horizon: 10,
      evaluate: true,
      folds: 3,
      walkFirstTrain: 300,
      walkStep: 200,
    });
    const rows = learnableRows(result.data, 0, panel.times.length - 1);
    const train = rows.slice(0, result.window.trainRows);
    // The statistics are the training rows' own, not the whole window's.
    const expected = fitNormalisation(rawRows(result.data, train), train.length, result.features.length);
    expect(result.normalisation).toEqual(expected);
    // Validation starts after the training rows and a purge of the horizon.
    expect(result.window.validationFrom > utcDateOf(panel.times[train.at(-1)!]!)).toBe(true);
    const gap = rows.indexOf(rows.find((i) => utcDateOf(panel.times[i]!) === result.window.validationFrom)!);
    expect(gap - train.length).toBeGreaterThanOrEqual(10);

    expect(result.folds.filter((f) => f.kind === 'purged-kfold')).toHaveLength(3);
    const walk = result.folds.filter((f) => f.kind === 'walk-forward');
    expect(walk.length).toBeGreaterThanOrEqual(2);
    // Walk-forward folds test later and later blocks, each trained on more of the past.
    for (let k = 1; k < walk.length; k++) {
      expect(walk[k]!.from > walk[k - 1]!.to).toBe(true);
      expect(walk[k]!.trainRows).toBeGreaterThan(walk[k - 1]!.trainRows);
    }
    // The out-of-sample backtest: the model and every baseline over the same days.
    const backtest = result.walkForward!;
    expect(backtest.from).toBe(walk[0]!.from);
    for (const baseline of Object.values(backtest.baselines))
      expect(baseline.times).toEqual(backtest.model.times);
    expect(backtest.modelDaily.times).toEqual(backtest.model.times);
  }, 120_000);

  it('refuses a window with nothing to learn from, saying what the folder needs', async () => {
    await expect(
      runTrainPipeline({ ...tiny, panel, horizon: 10, evaluate: false, from: '2030-01-01' }),
    ).rejects.toThrow(/No decision day .* has every input/);
  });
});

const DAILY = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'daily');

describe.skipIf(!existsSync(join(DAILY, 'spy.csv')))(
  'ONNX parity on real inputs (../shared/data/daily)',
  () => {
    it('the exported graph and the tfjs model agree within 1e-4 on every output for real z-scored days', async () => {
      const panel = buildDailyPanel(readDailyCsvFolder(DAILY).bars);
      const result = await runTrainPipeline({
        ...tiny,
        panel,
        horizon: 20,
        evaluate: false,
        widths: [16],
        to: '2012-12-31',
      });
      const data = prepareDecisionData(panel, 20);
      // Real days after the training window, 2015-2021, including the March 2020 crash.
      const days = learnableRows(data, 0, panel.times.length - 1).filter(
        (i) => utcDateOf(panel.times[i]!) >= '2015-01-01',
      );
      const { x } = zRows(data, days, result.normalisation);
      const expected = await result.trained.predict(x, days.length);
      const session = await ort.InferenceSession.create(exportTrmOnnx(result.trained), {
        executionProviders: ['cpu'],
      });
      const got = await session.run({
        [TRM_IO.input]: new ort.Tensor('float32', x, [days.length, result.features.length]),
      });
      const pairs = [
        [TRM_IO.probabilities, expected.probabilities],
        [TRM_IO.halt, expected.halt],
        [TRM_IO.cycleProbabilities, expected.cycleProbabilities],
        [TRM_IO.cycleHalt, expected.cycleHalt],
      ] as const;
      for (const [name, want] of pairs) {
        const have = got[name]!.data as Float32Array;
        expect(have.length).toBe(want.length);
        let max = 0;
        for (let k = 0; k < have.length; k++) max = Math.max(max, Math.abs(have[k]! - want[k]!));
        expect(max, name).toBeLessThan(1e-4);
      }
      await session.release();
    }, 120_000);
  },
);
