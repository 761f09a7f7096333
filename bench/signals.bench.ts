/**
 * The signals service's decisions through a real ONNX model: what a daily close costs from the closed
 * bar on `market.bars` to the stored, published prediction, and what a backlog costs (a replay at max
 * speed, a backfill of years of history), which the service takes in bar order in batches.
 *
 * Model: models/trm-default (or TRM_BENCH_MODEL) when it exists, else one trained here for one epoch
 * on random data at the default configuration (D = 32, N_inf = 4, T = 3, n = 6: the same graph size).
 * Data: generated daily bars of every symbol the feature streams read (all streams computable), in a
 * fresh store.
 *
 * Figures:
 * - one decision (batch of 1): p50 and p99 ms, bar published to prediction published;
 * - the same, split: reads + panel + features, and the model run alone (p50);
 * - a backlog of 2,000 bars published at once: decisions per second;
 * - a producer closing one daily bar per turn of the event loop (a daily replay at max): decisions per
 *   second, the longest queue it saw and how many model runs it took (the queue must stay bounded:
 *   batches grow instead).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bar } from '../src/shared/domain';
import { nyseCalendar, type Session } from '../src/main/core/calendar';
import { buildDailyPanel } from '../src/main/core/signals/daily-panel';
import {
  MARKET_FEATURE_IDS,
  computeFeatures,
  FEATURE_SYMBOLS,
} from '../src/main/core/signals/feature-registry';
import { TopicBus } from '../src/main/engine/bus';
import { SignalsService } from '../src/main/engine/signals-service';
import type { EngineTopics } from '../src/main/engine/topics';
import { loadStrategyModel } from '../src/main/inference/trm-model';
import { systemTimers } from '../src/main/platform/clock';
import { createLogger } from '../src/main/platform/log';
import { defaultModelDir } from '../src/main/platform/paths';
import { openStore, type Store } from '../src/main/store/store';
import { trainTrm } from '../src/main/training/trm/trainer';
import { writeModelFolder } from '../src/main/training/trm/model-folder';
import { report } from './lib/report';

const HISTORY = 300;
const SINGLES = 200;
const BACKLOG = 2_000;
const PRODUCED = 2_000;

function sessionsFrom(first: number, count: number): Session[] {
  const out: Session[] = [];
  let session = nyseCalendar.sessionOnOrAfter(first);
  while (out.length < count) {
    out.push(session);
    session = nyseCalendar.nextSession(session);
  }
  return out;
}

/** Every feature symbol's daily bar on each session: a seeded random walk per symbol. */
function dailyBars(days: readonly Session[]): Bar[] {
  const bars: Bar[] = [];
  FEATURE_SYMBOLS.forEach((symbol, s) => {
    let price = symbol === 'VIX' ? 18 : 50 + 10 * s;
    let seed = 12345 + s * 7919;
    for (const day of days) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      price *= 1 + (seed / 2 ** 31 - 0.5) * 0.03;
      bars.push({
        symbol,
        timeframe: '1D',
        start: day.open,
        open: price,
        high: price * 1.005,
        low: price * 0.995,
        close: price,
        volume: 1e6 + (seed % 100_000),
        closed: true,
      });
    }
  });
  return bars;
}

async function benchModelDir(scratch: string): Promise<{ dir: string; source: string }> {
  const wanted = process.env.TRM_BENCH_MODEL ?? defaultModelDir();
  if (existsSync(join(wanted, 'manifest.json'))) return { dir: wanted, source: wanted };
  const features = [...MARKET_FEATURE_IDS];
  const rows = 512;
  const x = Float32Array.from({ length: rows * features.length }, (_, k) => Math.sin(k * 12.9898) * 2);
  const labels = Int8Array.from({ length: rows }, (_, k) => k % 8);
  const data = { x, labels, rows, features };
  const trained = await trainTrm(
    data,
    { ...data, x: x.subarray(0, 0), labels: labels.subarray(0, 0), rows: 0 },
    {
      epochs: 1,
      seed: 1,
    },
  );
  const dir = join(scratch, 'model');
  await writeModelFolder(dir, trained, {
    normalisation: { mean: features.map(() => 0), sd: features.map(() => 1) },
    horizon: 20,
    training: { from: '2020-01-02', to: '2020-12-31' },
  });
  return { dir, source: 'a model trained here for one epoch on random data (default configuration)' };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export default async function signalsBench(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'trm-bench-signals-'));
  const log = createLogger('bench', 'warn');
  try {
    const { dir, source } = await benchModelDir(scratch);
    const model = await loadStrategyModel(dir, { log });
    const days = sessionsFrom(Date.UTC(2010, 0, 4, 15), HISTORY + SINGLES + BACKLOG + PRODUCED);
    const bars = dailyBars(days);
    const spy = bars.filter((bar) => bar.symbol === 'SPY');
    let store: Store | null = null;

    /** A fresh store holding every bar, and a service on it; its bus carries the test's bars. */
    const open = async (name: string) => {
      store?.close();
      store = openStore(join(scratch, `${name}.sqlite`));
      store.bars.upsert(bars);
      const bus = new TopicBus<EngineTopics>(() => {});
      const service = new SignalsService({
        // The services share one session: each one's stop would close it, so they get a view that does not.
        loadModel: () =>
          Promise.resolve({
            manifest: model.manifest,
            provider: model.provider,
            run: (x: Float32Array, rows: number) => model.run(x, rows),
            close: () => Promise.resolve(),
          }),
        defaultModelDir: dir,
        candidatesDir: join(scratch, 'candidates'),
        store,
        bus,
        calendar: nyseCalendar,
        timers: systemTimers,
        log,
      });
      service.start();
      await service.whenIdle();
      return { service, bus };
    };

    // One decision at a time.
    const single = await open('single');
    const latencies: number[] = [];
    for (let k = 0; k < SINGLES; k++) {
      const bar = spy[HISTORY + k]!;
      const started = performance.now();
      const done = new Promise<void>((resolve) => {
        const stop = single.bus.subscribe('signals.prediction', () => {
          stop();
          resolve();
        });
      });
      single.bus.publish('market.bars', [bar]);
      await done;
      latencies.push(performance.now() - started);
    }
    single.service.stop();
    latencies.sort((a, b) => a - b);

    // The parts of one decision: reads, panel and features; the model run alone.
    const featureTimes: number[] = [];
    const runTimes: number[] = [];
    const input = new Float32Array(model.manifest.features.length);
    for (let k = 0; k < SINGLES; k++) {
      const end = spy[HISTORY + k]!.start + 1;
      let started = performance.now();
      const read: Bar[] = [];
      for (const symbol of FEATURE_SYMBOLS)
        read.push(...store!.bars.range(symbol, '1D', { before: end, limit: 81 }));
      const panel = buildDailyPanel(read);
      computeFeatures(panel, panel.times.length - 1);
      featureTimes.push(performance.now() - started);
      started = performance.now();
      await model.run(input, 1);
      runTimes.push(performance.now() - started);
    }
    featureTimes.sort((a, b) => a - b);
    runTimes.sort((a, b) => a - b);

    // A backlog published at once.
    const backlog = await open('backlog');
    const backlogBars = spy.slice(HISTORY + SINGLES, HISTORY + SINGLES + BACKLOG);
    const runs: number[] = [];
    const run = model.run.bind(model);
    model.run = (x, rows) => {
      runs.push(rows);
      return run(x, rows);
    };
    let started = performance.now();
    backlog.bus.publish('market.bars', backlogBars);
    await backlog.service.whenIdle();
    const backlogSeconds = (performance.now() - started) / 1000;
    const backlogRuns = runs.length;
    backlog.service.stop();

    // One closed bar per turn of the event loop, as fast as the loop turns.
    const produced = await open('produced');
    const producedBars = spy.slice(HISTORY + SINGLES + BACKLOG);
    runs.length = 0;
    let longestQueue = 0;
    started = performance.now();
    for (const bar of producedBars) {
      produced.bus.publish('market.bars', [bar]);
      longestQueue = Math.max(longestQueue, produced.service.queued);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await produced.service.whenIdle();
    const producedSeconds = (performance.now() - started) / 1000;
    const stored = store!.predictions.count();
    produced.service.stop();
    store!.close();
    store = null;
    model.run = run;
    await model.close();

    if (stored !== PRODUCED) throw new Error(`expected ${PRODUCED} predictions, stored ${stored}`);
    report(
      'signals',
      [
        {
          name: 'one decision, bar to published prediction (p50)',
          value: percentile(latencies, 50),
          unit: 'ms',
        },
        {
          name: 'one decision, bar to published prediction (p99)',
          value: percentile(latencies, 99),
          unit: 'ms',
        },
        { name: 'of which reads, panel and features (p50)', value: percentile(featureTimes, 50), unit: 'ms' },
        { name: 'of which the model run at batch 1 (p50)', value: percentile(runTimes, 50), unit: 'ms' },
        { name: `backlog of ${BACKLOG} bars`, value: BACKLOG / backlogSeconds, unit: 'decisions/s' },
        { name: 'one bar per event-loop turn', value: PRODUCED / producedSeconds, unit: 'decisions/s' },
        { name: 'one bar per event-loop turn: longest queue', value: longestQueue, unit: 'bars' },
        { name: 'one bar per event-loop turn: model runs', value: runs.length, unit: 'runs' },
      ],
      { model: source, backlogRuns, features: model.manifest.features, steps: model.manifest.architecture },
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
