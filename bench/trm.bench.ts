/**
 * The TRM strategy model: prediction latency and throughput through the app's path
 * (`loadStrategyModel(...).run`) next to a raw ONNX Runtime `session.run` on the same model file in the
 * same run (the app path's overhead is the difference; target ≤ 10 %), and training time per epoch on a
 * 4,000-row synthetic set at the default configuration (D = 32) and at D = 16 and 64.
 *
 * The model is `models/trm-default/` when it exists (the shipped one), else a tiny model this benchmark
 * trains and exports itself; `details.model` says which. Also the feature streams' cost for one decision
 * step (all ten at one row of 30 years of daily data).
 * `TRM_BENCH_WIDTHS=32` limits the training sweep (default 16,32,64).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildDailyPanel } from '../src/main/core/signals/daily-panel';
import { computeFeatures } from '../src/main/core/signals/feature-registry';
import { loadStrategyModel } from '../src/main/inference/trm-model';
import { createLogger } from '../src/main/platform/log';
import { randomMarketPanel } from '../src/main/test-support/panel-of';
import { separableDataset } from '../src/main/test-support/trm-dataset';
import { readDailyCsvFolder } from '../src/main/training/daily-csv-folder';
import { DEFAULT_TRM_CONFIG } from '../src/main/training/trm/config';
import { writeModelFolder } from '../src/main/training/trm/model-folder';
import { trainTrm } from '../src/main/training/trm/trainer';
import { report, type Metric } from './lib/report';

const SHIPPED = join(import.meta.dirname, '..', 'models', 'trm-default');
const LATENCY_CALLS = 2000;
const THROUGHPUT_MS = 1500;
const BATCH = 256;
const TRAIN_ROWS = 4000;
const TRAIN_EPOCHS = 2;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** A model folder to measure: the shipped one, or a freshly trained tiny one in a temporary folder. */
async function modelToMeasure(): Promise<{ dir: string; which: string; cleanup: () => void }> {
  if (existsSync(join(SHIPPED, 'manifest.json')))
    return { dir: SHIPPED, which: 'models/trm-default', cleanup: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'trm-bench-'));
  const train = separableDataset(1024, 1);
  const trained = await trainTrm(train, separableDataset(256, 2), { epochs: 2, seed: 1 });
  await writeModelFolder(dir, trained, {
    normalisation: { mean: train.features.map(() => 0), sd: train.features.map(() => 1) },
    horizon: 20,
    training: { from: '2000-01-03', to: '2000-12-29' },
  });
  return {
    dir,
    which: `a model trained by the benchmark (D=${trained.config.width}, 1,024 synthetic rows, 2 epochs)`,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export default async function trmBench(): Promise<void> {
  const metrics: Metric[] = [];
  const details: Record<string, unknown> = {};
  const log = createLogger('bench', 'warn');

  const model = await modelToMeasure();
  details.model = model.which;
  console.log(`trm: model measured: ${model.which}`);
  try {
    const app = await loadStrategyModel(model.dir, { log, providers: ['cpu'] });
    const { manifest } = app;
    const raw = await ort.InferenceSession.create(readFileSync(join(model.dir, 'model.onnx')), {
      // The session options loadStrategyModel uses, so the difference is the app path's own.
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: 1,
    });
    const f = manifest.features.length;
    details.architecture = manifest.architecture;
    const input = (rows: number): Float32Array =>
      Float32Array.from({ length: rows * f }, (_, i) => Math.sin(i * 12.9898) * 2);
    const rawRun = (x: Float32Array, rows: number) =>
      raw.run({ [manifest.io.input]: new ort.Tensor('float32', x, [rows, f]) });

    // Batch 1 latency: the two paths alternate in blocks of 100 calls, so load from other processes hits
    // both alike; the overhead is the median over blocks of the ratio of the two blocks' medians.
    const one = input(1);
    for (let i = 0; i < 200; i++) {
      await app.run(one, 1);
      await rawRun(one, 1);
    }
    const appTimes: number[] = [];
    const rawTimes: number[] = [];
    const ratios: number[] = [];
    const timeBlock = async (run: () => Promise<unknown>): Promise<number[]> => {
      const times: number[] = [];
      for (let i = 0; i < 100; i++) {
        const start = process.hrtime.bigint();
        await run();
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      return times.sort((a, b) => a - b);
    };
    for (let block = 0; block < LATENCY_CALLS / 100; block++) {
      const a = await timeBlock(() => app.run(one, 1));
      const r = await timeBlock(() => rawRun(one, 1));
      appTimes.push(...a);
      rawTimes.push(...r);
      ratios.push(percentile(a, 0.5) / percentile(r, 0.5));
    }
    appTimes.sort((a, b) => a - b);
    rawTimes.sort((a, b) => a - b);
    ratios.sort((a, b) => a - b);
    metrics.push(
      { name: 'predict batch 1 p50 (loadStrategyModel.run)', value: percentile(appTimes, 0.5), unit: 'ms' },
      { name: 'predict batch 1 p99 (loadStrategyModel.run)', value: percentile(appTimes, 0.99), unit: 'ms' },
      { name: 'predict batch 1 p50 (raw session.run)', value: percentile(rawTimes, 0.5), unit: 'ms' },
      { name: 'predict batch 1 p99 (raw session.run)', value: percentile(rawTimes, 0.99), unit: 'ms' },
      { name: 'app path overhead at batch 1 (p50)', value: (percentile(ratios, 0.5) - 1) * 100, unit: '%' },
    );

    // Batch 256 throughput, alternating rounds of the two paths.
    const many = input(BATCH);
    const rowsPerSecond = { app: 0, raw: 0 };
    const elapsed = { app: 0, raw: 0 };
    for (let round = 0; round < 6; round++) {
      for (const which of ['app', 'raw'] as const) {
        const start = performance.now();
        let rows = 0;
        while (performance.now() - start < THROUGHPUT_MS / 6) {
          if (which === 'app') await app.run(many, BATCH);
          else await rawRun(many, BATCH);
          rows += BATCH;
        }
        rowsPerSecond[which] += rows;
        elapsed[which] += performance.now() - start;
      }
    }
    const appRate = (rowsPerSecond.app / elapsed.app) * 1000;
    const rawRate = (rowsPerSecond.raw / elapsed.raw) * 1000;
    metrics.push(
      { name: `predict batch ${BATCH} (loadStrategyModel.run)`, value: appRate, unit: 'rows/s' },
      { name: `predict batch ${BATCH} (raw session.run)`, value: rawRate, unit: 'rows/s' },
      {
        name: `app path overhead at batch ${BATCH}`,
        value: ((rawRate - appRate) / appRate) * 100,
        unit: '%',
      },
    );
    await app.close();
    await raw.release();
  } finally {
    model.cleanup();
  }

  // Features: one decision step (every stream at one row), on the real daily data when it is beside the
  // project, else on a generated panel of the same symbols.
  const realData = join(import.meta.dirname, '..', '..', 'shared', 'data', 'daily');
  const panel = existsSync(join(realData, 'spy.csv'))
    ? buildDailyPanel(readDailyCsvFolder(realData).bars)
    : randomMarketPanel(4000);
  const featureTimes: number[] = [];
  const rows = panel.times.length;
  for (let k = 0; k < LATENCY_CALLS; k++) {
    const i = rows - 1 - (k % Math.min(1000, rows - 100));
    const t0 = performance.now();
    computeFeatures(panel, i);
    featureTimes.push(performance.now() - t0);
  }
  featureTimes.sort((a, b) => a - b);
  metrics.push(
    {
      name: 'features for one decision step (10 streams) p50',
      value: percentile(featureTimes, 0.5) * 1000,
      unit: 'µs',
    },
    {
      name: 'features for one decision step (10 streams) p99',
      value: percentile(featureTimes, 0.99) * 1000,
      unit: 'µs',
    },
  );
  details.features = existsSync(join(realData, 'spy.csv'))
    ? '../shared/data/daily'
    : 'generated panel (4,000 rows)';

  // Training: the default configuration (D = 32) first; other widths as asked.
  const widths = (process.env.TRM_BENCH_WIDTHS ?? '32,16,64').split(',').map(Number);
  const train = separableDataset(TRAIN_ROWS, 1);
  const validation = separableDataset(1000, 2);
  for (const width of widths) {
    const trained = await trainTrm(train, validation, {
      width,
      hidden: 2 * width,
      epochs: TRAIN_EPOCHS,
      seed: 1,
    });
    const label = width === DEFAULT_TRM_CONFIG.width ? `D=${width}, the default` : `D=${width}`;
    metrics.push(
      {
        name: `training per epoch, ${TRAIN_ROWS} rows, ${label}`,
        value: trained.trainMs / trained.epochsRun / 1000,
        unit: 's',
      },
      {
        name: `training per optimizer step (batch ${DEFAULT_TRM_CONFIG.batchSize}), ${label}`,
        value: trained.trainMs / trained.optimizerSteps,
        unit: 'ms',
      },
    );
  }
  details.training = {
    rows: TRAIN_ROWS,
    epochs: TRAIN_EPOCHS,
    config: `defaults (T=${DEFAULT_TRM_CONFIG.cycles}, n=${DEFAULT_TRM_CONFIG.latentSteps}, N_sup=${DEFAULT_TRM_CONFIG.trainSteps}, batch ${DEFAULT_TRM_CONFIG.batchSize}) but width`,
    note: 'per-epoch time excludes validation; tfjs wasm backend, single-threaded',
  };
  report('trm', metrics, details);
}
