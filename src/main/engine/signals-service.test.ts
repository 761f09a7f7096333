/**
 * The signals service: one stored and published prediction per closed daily bar of the clock symbol,
 * in order and once each; rewinds; explanations by occlusion in one batch; the model's life cycle
 * (loading, a missing model, Retrain and the trader's decision). The model here is a tiny linear fake
 * behind the StrategyModel port (the real one is inference/trm-model's ONNX session).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { signalsRequests } from '../../shared/api/signals';
import {
  STRATEGY_IDS,
  type SymbolInfo,
  type Bar,
  type FeatureId,
  type Prediction,
  type TrainingProgress,
} from '../../shared/domain';
import { nyseCalendar, type Session } from '../core/calendar';
import { MARKET_FEATURE_IDS } from '../core/signals/feature-registry';
import { MODEL_FORMAT, type ModelManifest } from '../core/signals/model-manifest';
import { createMemoryLogger } from '../platform/log';
import { openStore, type Store } from '../store/store';
import { manualTimers } from '../test-support/manual-timers';
import type { FeedSink, MarketFeed } from '../market/feed';
import { TopicBus } from './bus';
import { Engine } from './kernel';
import type { ModelTrainer, RetrainRequest, StrategyModel, StrategyModelOutput } from './ports';
import { MAX_DECISION_BATCH, MODEL_DIR_SETTING, SignalsService, type SignalsParts } from './signals-service';
import type { EngineTopics } from './topics';

const STEPS = 2;
const CYCLES = 3;
const CLASSES = STRATEGY_IDS.length;

function manifest(version: string, features: readonly FeatureId[] = MARKET_FEATURE_IDS): ModelManifest {
  return {
    format: MODEL_FORMAT,
    version,
    createdAt: '2026-01-01T00:00:00Z',
    features: [...features],
    normalisation: { mean: features.map(() => 0), sd: features.map(() => 1) },
    strategies: [...STRATEGY_IDS],
    horizon: 5,
    architecture: { width: 16, hidden: 32, layers: 2, cycles: CYCLES, latentSteps: 2, steps: STEPS },
    io: {
      input: 'features',
      probabilities: 'probabilities',
      halt: 'halt',
      cycleProbabilities: 'cycle_probabilities',
      cycleHalt: 'cycle_halt',
    },
    training: { from: '2020-01-02', to: '2020-12-31', samples: 250, seed: 1, epochs: 3 },
  };
}

function softmax(logits: number[]): number[] {
  const max = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** A linear stand-in: logits_k = Σ_f w(k, f)·z_f; cycle j answers with the logits scaled by (j+1)/answers. */
class FakeModel implements StrategyModel {
  readonly provider = 'cpu' as const;
  readonly runs: number[] = [];
  closed = false;
  constructor(readonly manifest: ModelManifest) {}

  weight(k: number, f: number): number {
    return Math.sin(1 + k * 7 + f * 3);
  }

  logits(z: ArrayLike<number>): number[] {
    return Array.from({ length: CLASSES }, (_, k) => {
      let sum = 0.3 * k;
      for (let f = 0; f < z.length; f++) sum += this.weight(k, f) * z[f]!;
      return sum;
    });
  }

  run(input: Float32Array, rows: number): Promise<StrategyModelOutput> {
    const width = this.manifest.features.length;
    if (input.length !== rows * width) throw new Error('wrong input length');
    this.runs.push(rows);
    const answers = STEPS * CYCLES;
    const probabilities = new Float32Array(rows * CLASSES);
    const halt = new Float32Array(rows);
    const cycleProbabilities = new Float32Array(rows * answers * CLASSES);
    const cycleHalt = new Float32Array(rows * answers);
    for (let r = 0; r < rows; r++) {
      const logits = this.logits(input.subarray(r * width, (r + 1) * width));
      probabilities.set(softmax(logits), r * CLASSES);
      halt[r] = 1 / (1 + Math.exp(-logits[0]!));
      for (let j = 0; j < answers; j++) {
        const scale = (j + 1) / answers;
        cycleProbabilities.set(softmax(logits.map((v) => v * scale)), (r * answers + j) * CLASSES);
        cycleHalt[r * answers + j] = scale / 2;
      }
    }
    return Promise.resolve({ probabilities, halt, cycleProbabilities, cycleHalt });
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

/** `count` consecutive NYSE sessions from 2024-01-02. */
function sessions(count: number): Session[] {
  const out: Session[] = [];
  let session = nyseCalendar.sessionOnOrAfter(Date.UTC(2024, 0, 2, 15));
  while (out.length < count) {
    out.push(session);
    session = nyseCalendar.nextSession(session);
  }
  return out;
}

const DAY_NUMBER = new Map(sessions(400).map((day, d) => [day.open, d]));

function dailyBar(symbol: string, session: Session, close: number, closed = true): Bar {
  return {
    symbol,
    timeframe: '1D',
    start: session.open,
    open: close,
    high: close * 1.01,
    low: close * 0.99,
    close,
    volume: 1_000_000 + ((close * 1000) % 50_000),
    closed,
  };
}

/** Daily history of the demo universe's ETFs (no VIX, no EFA, three sectors) over `days`. */
const DEMO_SYMBOLS = ['SPY', 'QQQ', 'TLT', 'GLD', 'XLK', 'XLF', 'XLE'];
function history(days: readonly Session[], symbols = DEMO_SYMBOLS): Bar[] {
  return days.flatMap((session) =>
    symbols.map((symbol, s) => dailyBar(symbol, session, closeOn(session, s))),
  );
}

/** Symbol number s's close on a session: a function of the session's date alone (d = weekdays since the start). */
function closeOn(session: Session, s: number): number {
  const d = DAY_NUMBER.get(session.open)!;
  return 100 + s * 10 + 5 * Math.sin(d / 3 + s);
}

let dir: string;
let store: Store;
let bus: TopicBus<EngineTopics>;
let log: ReturnType<typeof createMemoryLogger>;
let services: SignalsService[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-signals-'));
  store = openStore(join(dir, 'trm.sqlite'));
  bus = new TopicBus<EngineTopics>((_topic, error) => {
    throw error;
  });
  log = createMemoryLogger();
  services = [];
});
afterEach(() => {
  for (const service of services) service.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function service(parts: Partial<SignalsParts> & { model?: StrategyModel | null } = {}): SignalsService {
  const { model = new FakeModel(manifest('trm-test-1')), ...rest } = parts;
  const s = new SignalsService({
    loadModel: (folder) =>
      model && folder === 'default-dir'
        ? Promise.resolve(model)
        : Promise.reject(new Error(`${join(folder, 'manifest.json')} is missing`)),
    defaultModelDir: 'default-dir',
    candidatesDir: join(dir, 'models', 'candidates'),
    ...rest,
    store,
    bus,
    calendar: nyseCalendar,
    timers: manualTimers(),
    log,
  });
  services.push(s);
  s.start();
  return s;
}

function published(): Prediction[] {
  const out: Prediction[] = [];
  bus.subscribe('signals.prediction', (p) => out.push(p));
  return out;
}

/** Stores the bars (as the market service does), then publishes them on `market.bars`. */
function deliver(bars: Bar[]): void {
  store.bars.upsert(bars);
  bus.publish('market.bars', bars);
}

describe('SignalsService decisions', () => {
  it('makes one stored, then published, prediction per closed SPY daily bar, with missing inputs imputed', async () => {
    const days = sessions(80);
    store.bars.upsert(history(days.slice(0, 79)));
    const model = new FakeModel(manifest('trm-test-1'));
    const s = service({ model });
    const seen: Prediction[] = [];
    bus.subscribe('signals.prediction', (p) => {
      // Write, then publish: the prediction is stored by the time anyone hears of it.
      expect(store.predictions.get(p.barStart)).toEqual(p);
      seen.push(p);
    });
    const last = days[79]!;
    deliver(history([last]));
    await s.whenIdle();

    expect(seen).toHaveLength(1);
    const [p] = seen as [Prediction];
    expect(p.barStart).toBe(last.open);
    expect(p.time).toBe(last.close);
    expect(p.modelVersion).toBe('trm-test-1');
    expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(p.strategy).toBe(STRATEGY_IDS[p.probabilities.indexOf(Math.max(...p.probabilities))]);
    // The demo universe has no VIX and no EFA, and three sectors of the five the sector streams need.
    const missing = p.features.filter((f) => f.value === null).map((f) => f.id);
    expect(missing.sort()).toEqual(
      [
        'breadth',
        'concentration',
        'cross_asset_correlation',
        'put_call_ratio',
        'sector_dispersion',
        'vix_level',
        // The panel of the signals service reads no news; the news streams are not model inputs.
        'news_sentiment',
        'news_volume',
        'news_catalysts',
        'social_sentiment',
        'earnings_call_tone',
      ].sort(),
    );
    expect(p.imputed).toBe(5); // put_call_ratio is not a model input
    const vix = p.features.find((f) => f.id === 'vix_level')!;
    expect(vix).toMatchObject({ z: null, available: false });
    expect(vix.reason).toBe('no daily bar of VIX for this session');
    expect(p.features.find((f) => f.id === 'news_sentiment')!.reason).toBe(
      'no news source feeds the daily panel',
    );
    expect(p.features.find((f) => f.id === 'breadth')!.reason).toBe(
      'daily bars of only 3 of its 11 symbols for this session (XLE, XLF, XLK)',
    );
    const spy5 = p.features.find((f) => f.id === 'spy_return_5d')!;
    const closes = [...days.slice(74, 80)].map((_, k) => 100 + 5 * Math.sin((74 + k) / 3));
    expect(spy5.value).toBeCloseTo(closes[5]! / closes[0]! - 1, 12);
    expect(spy5.z).toBeCloseTo(spy5.value!, 6); // mean 0, sd 1
    expect(model.runs).toEqual([1]);
    expect(store.predictions.count()).toBe(1);
  });

  it('ignores forming daily bars, other timeframes and other symbols', async () => {
    const days = sessions(30);
    store.bars.upsert(history(days.slice(0, 29)));
    const s = service();
    const seen = published();
    const day = days[29]!;
    deliver([dailyBar('SPY', day, 101, false)]);
    deliver([dailyBar('QQQ', day, 101, true)]);
    deliver([{ ...dailyBar('SPY', day, 101, true), timeframe: '1h' }]);
    await s.whenIdle();
    expect(seen).toEqual([]);
    expect(store.predictions.count()).toBe(0);
  });

  it('infers a bar once, whether it closes again or arrives while its batch runs', async () => {
    const days = sessions(40);
    store.bars.upsert(history(days.slice(0, 39)));
    const model = new FakeModel(manifest('trm-test-1'));
    const s = service({ model });
    const seen = published();
    const last = history([days[39]!]);
    deliver(last);
    deliver(last);
    await s.whenIdle();
    deliver(last); // an official daily bar closing it again
    await s.whenIdle();
    expect(seen).toHaveLength(1);
    expect(model.runs).toEqual([1]);
  });

  it('takes a backlog in bar order, in batches, and predicts every bar', async () => {
    const days = sessions(MAX_DECISION_BATCH + 100);
    const model = new FakeModel(manifest('trm-test-1'));
    const s = service({ model });
    const seen = published();
    // History delivered at once, newest first: decisions still go oldest first.
    const bars = history(days).reverse();
    deliver(bars);
    await s.whenIdle();
    expect(seen.map((p) => p.barStart)).toEqual(days.map((d) => d.open));
    expect(model.runs).toEqual([MAX_DECISION_BATCH, 100]);
    // The first sessions lack history: their SPY returns are missing, later ones are there.
    expect(seen[0]!.features.find((f) => f.id === 'spy_return_20d')!.value).toBeNull();
    expect(seen[30]!.features.find((f) => f.id === 'spy_return_20d')!.value).not.toBeNull();
  });

  it('matches the features of one bar whether it is decided alone or in a backlog', async () => {
    const days = sessions(120);
    const first = service({ model: new FakeModel(manifest('trm-a')) });
    const seenA = published();
    deliver(history(days));
    await first.whenIdle();
    const decidedInBacklog = seenA.at(-1);
    first.stop();
    store.predictions.deleteFrom(0);

    // Same history already stored; now the last bar alone.
    const second = service({ model: new FakeModel(manifest('trm-a')) });
    const seenB = published();
    deliver(history([days[119]!]));
    await second.whenIdle();
    expect(seenB).toHaveLength(1);
    expect(seenB[0]).toEqual(decidedInBacklog);
  });

  it('on a rewind deletes the predictions from that time and forgets queued bars after it', async () => {
    const days = sessions(10);
    const s = service();
    deliver(history(days));
    await s.whenIdle();
    expect(store.predictions.count()).toBe(10);
    bus.publish('market.rewound', days[6]!.open);
    expect(store.predictions.all().map((p) => p.barStart)).toEqual(days.slice(0, 6).map((d) => d.open));
    // Replayed again after the rewind: predicted again.
    const seen = published();
    deliver(history(days.slice(6)));
    await s.whenIdle();
    expect(seen.map((p) => p.barStart)).toEqual(days.slice(6).map((d) => d.open));
  });

  it('drops what a batch decided for bars that a rewind during its run removed', async () => {
    const days = sessions(10);
    store.bars.upsert(history(days));
    let release: () => void = () => {};
    const model = new FakeModel(manifest('trm-test-1'));
    const run = model.run.bind(model);
    model.run = (input, rows) =>
      new Promise((resolve) => {
        release = () => resolve(run(input, rows));
      });
    const s = service({ model });
    // Let the model load, then queue the bars: one batch starts and waits in the model.
    await s.whenIdle();
    bus.publish('market.bars', history(days));
    await new Promise((resolve) => setTimeout(resolve, 0));
    bus.publish('market.rewound', days[4]!.open);
    release();
    await s.whenIdle();
    expect(store.predictions.all().map((p) => p.barStart)).toEqual(days.slice(0, 4).map((d) => d.open));
  });
});

describe('SignalsService explain', () => {
  it("gives the answer after each cycle and each input's occlusion delta, from one batch", async () => {
    const days = sessions(80);
    const model = new FakeModel(manifest('trm-test-1'));
    const s = service({ model });
    deliver(history(days));
    await s.whenIdle();
    const p = store.predictions.get(days[79]!.open)!;
    model.runs.length = 0;

    const why = await s.handlers['signals.explain']({ barStart: p.barStart });
    expect(() => signalsRequests['signals.explain'].result.parse(why)).not.toThrow();
    const inputs = model.manifest.features;
    expect(model.runs).toEqual([1 + inputs.length]);
    expect(why.cycles).toHaveLength(STEPS * CYCLES);
    expect(why.cycles.map((c) => [c.step, c.cycle])).toEqual([
      [1, 1],
      [1, 2],
      [1, 3],
      [2, 1],
      [2, 2],
      [2, 3],
    ]);
    // The last cycle's answer is the prediction's own.
    expect(why.cycles.at(-1)!.probabilities).toEqual(p.probabilities);
    expect(why.contributions.map((c) => c.id)).toEqual(inputs);
    const z = inputs.map((id) => p.features.find((f) => f.id === id)!.z ?? 0);
    const pick = STRATEGY_IDS.indexOf(p.strategy);
    const probabilityOfPick = (zs: number[]) => softmax(model.logits(Float32Array.from(zs)))[pick]!;
    inputs.forEach((id, k) => {
      const occluded = z.map((v, f) => (f === k ? 0 : v));
      expect(why.contributions[k]!.delta).toBeCloseTo(probabilityOfPick(z) - probabilityOfPick(occluded), 5);
      // An imputed input is already at its mean: occluding it changes nothing.
      if (p.features.find((f) => f.id === id)!.z === null)
        expect(why.contributions[k]!.delta).toBeCloseTo(0, 6);
    });
  });

  it('says so for a bar with no prediction', async () => {
    const s = service();
    await s.whenIdle();
    await expect(s.handlers['signals.explain']({ barStart: Date.UTC(2024, 0, 2, 14, 30) })).rejects.toThrow(
      /no stored prediction for the daily bar of 2024-01-02/,
    );
  });
});

describe('SignalsService model', () => {
  it('reports the running model and its provider', async () => {
    const s = service();
    await s.whenIdle();
    expect(s.statusModel()).toEqual({ version: 'trm-test-1', provider: 'cpu' });
    const { model, message } = await s.handlers['signals.model']({});
    expect(message).toBeNull();
    expect(model).toMatchObject({ version: 'trm-test-1', steps: STEPS, cycles: CYCLES, horizon: 5 });
  });

  it('runs without a model, saying why in signals.model and one log line, and predicts nothing', async () => {
    const s = service({ model: null });
    const seen = published();
    await s.whenIdle();
    deliver(history(sessions(5)));
    await s.whenIdle();
    expect(seen).toEqual([]);
    expect(s.statusModel()).toBeNull();
    const { model, message } = await s.handlers['signals.model']({});
    expect(model).toBeNull();
    expect(message).toMatch(/default-dir.*manifest\.json is missing/);
    expect(log.lines.filter((line) => line.includes('[test:signals]'))).toHaveLength(1);
    // The feature streams are listed all the same.
    const features = await s.handlers['signals.features']({});
    expect(features.streams.map((f) => f.id)).toContain('vix_level');
    expect(features.latest).toBeNull();
  });

  it('lists the feature streams with the latest values', async () => {
    const days = sessions(30);
    const s = service();
    deliver(history(days));
    await s.whenIdle();
    const { streams, latest } = await s.handlers['signals.features']({});
    expect(streams.find((f) => f.id === 'put_call_ratio')).toMatchObject({ available: false });
    expect(latest).toEqual(store.predictions.get(days[29]!.open)!.features);
    const list = await s.handlers['signals.predictions']({ limit: 3 });
    expect(list.map((p) => p.barStart)).toEqual(days.slice(27).map((d) => d.open));
  });
});

describe('SignalsService scorecard', () => {
  it("scores the running model's stored predictions on the store's daily bars", async () => {
    const days = sessions(40);
    const strategyEtfs = ['SPY', 'QQQ', 'TLT', 'GLD', 'IEF', 'SHY', 'EFA', 'IWM'];
    const s = service();
    deliver(history(days, strategyEtfs));
    await s.whenIdle();
    // Another model's prediction of an older bar is not this model's record.
    store.predictions.insert([{ ...store.predictions.get(days[0]!.open)!, modelVersion: 'trm-old' }]);
    const card = await s.handlers['signals.scorecard']({});
    expect(card).toMatchObject({ modelVersion: 'trm-test-1', horizon: 5, predictions: 39, scored: 34 });
    // What crosses the contract is what its schema accepts (clients validate on arrival).
    expect(() => signalsRequests['signals.scorecard'].result.parse(card)).not.toThrow();
    expect(card.hitRate).not.toBeNull();
    expect(card.equity.model).toHaveLength(38);
    expect(card.equity.baselines.sixty_forty).toHaveLength(38);
  });

  it('scores nothing where the strategies lack daily bars (the demo universe), and says which model', async () => {
    const s = service();
    deliver(history(sessions(30)));
    await s.whenIdle();
    const card = await s.handlers['signals.scorecard']({});
    expect(card).toMatchObject({ modelVersion: 'trm-test-1', predictions: 30, scored: 0, hitRate: null });
    expect(card.equity.model).toEqual([]);
    expect(card.equity.baselines.spy_buy_hold).toHaveLength(29);
  });
});

describe('SignalsService retraining', () => {
  function progress(jobId: string, phase: TrainingProgress['phase']): TrainingProgress {
    return {
      jobId,
      phase,
      epoch: phase === 'done' ? 3 : 1,
      epochs: 3,
      loss: 1.2,
      accuracy: 0.3,
      valLoss: 1.3,
      valAccuracy: 0.25,
      etaMs: phase === 'done' ? 0 : 1000,
      message: null,
      report: null,
    };
  }

  /** A trainer the test finishes by hand: it writes nothing but the candidate folder. */
  class HandTrainer implements ModelTrainer {
    requests: RetrainRequest[] = [];
    cancelled: string[] = [];
    private finish: ((ok: boolean) => void) | null = null;
    train(request: RetrainRequest, onProgress: (p: TrainingProgress) => void): Promise<{ dir: string }> {
      this.requests.push(request);
      onProgress(progress(request.jobId, 'training'));
      return new Promise((resolve, reject) => {
        this.finish = (ok) => {
          if (!ok) return reject(new Error('the training window holds no labelled rows'));
          mkdirSync(request.outDir, { recursive: true });
          onProgress(progress(request.jobId, 'done'));
          resolve({ dir: request.outDir });
        };
      });
    }
    cancel(jobId: string): void {
      this.cancelled.push(jobId);
    }
    end(ok = true): void {
      this.finish?.(ok);
    }
  }

  it('says Retrain is not available without a trainer', async () => {
    const s = service();
    await s.whenIdle();
    expect(() => s.handlers['signals.retrain']({})).toThrow('Retraining is not available in this build.');
  });

  it('trains one job at a time, forwards progress, and runs an accepted candidate from the next decision on', async () => {
    const days = sessions(40);
    store.bars.upsert(history(days.slice(0, 39)));
    const trainer = new HandTrainer();
    const candidate = new FakeModel(manifest('trm-candidate'));
    const s = service({
      trainer,
      loadModel: (folder) =>
        folder === 'default-dir'
          ? Promise.resolve(new FakeModel(manifest('trm-test-1')))
          : Promise.resolve(candidate),
    });
    await s.whenIdle();
    const heard: TrainingProgress[] = [];
    s.events['signals.training']({}, (p) => heard.push(p));

    const { jobId } = await s.handlers['signals.retrain']({ from: '2024-01-02' });
    expect(trainer.requests[0]).toMatchObject({
      jobId,
      from: '2024-01-02',
      to: new Date(days[38]!.open).toISOString().slice(0, 10),
      outDir: join(dir, 'models', 'candidates', jobId),
      currentDir: 'default-dir',
    });
    expect(trainer.requests[0]!.panel.times).toHaveLength(39);
    expect(() => s.handlers['signals.retrain']({})).toThrow(/already training/);
    await expect(s.handlers['signals.decideCandidate']({ jobId, accept: true })).rejects.toThrow(
      /still training/,
    );

    trainer.end();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(heard.map((p) => p.phase)).toEqual(['training', 'done']);
    // A window that opens now (or reconnects) hears at once that a candidate waits for a decision.
    const late: TrainingProgress[] = [];
    const stopLate = s.events['signals.training']({}, (p) => late.push(p));
    expect(late.map((p) => [p.jobId, p.phase])).toEqual([[jobId, 'done']]);
    stopLate();
    const decided = await s.handlers['signals.decideCandidate']({ jobId, accept: true });
    expect(decided.model?.shipped).toBe(false);
    // Decided: nothing is replayed to the next window.
    const after: TrainingProgress[] = [];
    s.events['signals.training']({}, (p) => after.push(p))();
    expect(after).toEqual([]);
    expect(decided.model?.version).toBe('trm-candidate');
    expect(s.statusModel()).toEqual({ version: 'trm-candidate', provider: 'cpu' });
    expect(store.settings.get(MODEL_DIR_SETTING, z.string())).toBe(join(dir, 'models', 'candidates', jobId));

    const seen = published();
    deliver(history([days[39]!]));
    await s.whenIdle();
    expect(seen.map((p) => p.modelVersion)).toEqual(['trm-candidate']);
    await expect(s.handlers['signals.decideCandidate']({ jobId, accept: true })).rejects.toThrow(
      /no candidate model of job/,
    );

    // The way back: the shipped model runs again, and the accepted one is forgotten for the next start.
    const back = await s.handlers['signals.useShippedModel']({});
    expect(back.model).toMatchObject({ version: 'trm-test-1', shipped: true });
    expect(s.statusModel()).toEqual({ version: 'trm-test-1', provider: 'cpu' });
    expect(store.settings.get(MODEL_DIR_SETTING, z.string())).toBeUndefined();
    expect((await s.handlers['signals.useShippedModel']({})).message).toBe('The shipped model already runs.');
  });

  it('deletes a rejected candidate and reports a failed job', async () => {
    store.bars.upsert(history(sessions(30)));
    const trainer = new HandTrainer();
    const s = service({ trainer });
    await s.whenIdle();
    const heard: TrainingProgress[] = [];
    s.events['signals.training']({}, (p) => heard.push(p));

    const first = await s.handlers['signals.retrain']({});
    trainer.end();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const folder = join(dir, 'models', 'candidates', first.jobId);
    expect(existsSync(folder)).toBe(true);
    const decided = await s.handlers['signals.decideCandidate']({ jobId: first.jobId, accept: false });
    expect(decided.model?.version).toBe('trm-test-1');
    expect(existsSync(folder)).toBe(false);

    const second = await s.handlers['signals.retrain']({});
    expect(second.jobId).not.toBe(first.jobId);
    trainer.end(false);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(heard.at(-1)).toMatchObject({
      jobId: second.jobId,
      phase: 'failed',
      message: 'the training window holds no labelled rows',
    });
  });

  it('loads the accepted model at the next start, and the shipped one when it cannot', async () => {
    store.settings.set(MODEL_DIR_SETTING, 'accepted-dir');
    const accepted = service({
      loadModel: (folder) =>
        Promise.resolve(new FakeModel(manifest(folder === 'accepted-dir' ? 'trm-b' : 'trm-a'))),
    });
    await accepted.whenIdle();
    expect(accepted.statusModel()?.version).toBe('trm-b');
    accepted.stop();

    const fallback = service({
      loadModel: (folder) =>
        folder === 'accepted-dir'
          ? Promise.reject(new Error('model.onnx is missing'))
          : Promise.resolve(new FakeModel(manifest('trm-a'))),
    });
    await fallback.whenIdle();
    expect(fallback.statusModel()?.version).toBe('trm-a');
    expect(log.lines.some((line) => /accepted-dir.*model\.onnx is missing.*running trm-a/.test(line))).toBe(
      true,
    );
  });

  it('closes the model on stop and cancels a running job', async () => {
    store.bars.upsert(history(sessions(30)));
    const model = new FakeModel(manifest('trm-test-1'));
    const trainer = new HandTrainer();
    const s = service({ model, trainer });
    await s.whenIdle();
    const { jobId } = await s.handlers['signals.retrain']({});
    s.stop();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(model.closed).toBe(true);
    expect(trainer.cancelled).toEqual([jobId]);
  });
});

describe('Engine with a signals part', () => {
  /** A feed that delivers daily history at start, as the synthetic and replay feeds do. */
  class HistoryFeed implements MarketFeed {
    readonly source = 'history';
    readonly speed = 1;
    readonly symbols: readonly SymbolInfo[] = DEMO_SYMBOLS.map((symbol) => ({
      symbol,
      name: symbol,
      kind: 'index-etf' as const,
    }));
    constructor(private readonly bars: Bar[]) {}
    start(sink: FeedSink): void {
      sink.historyBars(this.bars);
      sink.state('live', null);
    }
    stop(): void {}
  }

  it('predicts the daily history a feed delivers, answers the signals calls and shows the model in the status', async () => {
    const days = sessions(30);
    const engine = new Engine({
      mode: 'replay',
      feed: new HistoryFeed(history(days)),
      store,
      calendar: nyseCalendar,
      timers: manualTimers(),
      log,
      signals: {
        loadModel: () => Promise.resolve(new FakeModel(manifest('trm-engine'))),
        defaultModelDir: 'default-dir',
        candidatesDir: join(dir, 'candidates'),
      },
    });
    const heard: Prediction[] = [];
    const stop = engine.service.events['signals.prediction']({}, (p) => heard.push(p));
    engine.start();
    await engine.signals!.whenIdle();
    expect(heard.map((p) => p.barStart)).toEqual(days.map((d) => d.open));
    expect(engine.status().model).toEqual({ version: 'trm-engine', provider: 'cpu' });
    const stored = await engine.service.handlers['signals.predictions']({ limit: 500 });
    expect(() => signalsRequests['signals.predictions'].result.parse(stored)).not.toThrow();
    expect(stored).toEqual(heard);
    stop();
    engine.stop();
    store = openStore(join(dir, 'trm.sqlite')); // the engine closed it; afterEach closes this one
  });

  it('without a signals part answers that no model runs', async () => {
    const engine = new Engine({
      mode: 'replay',
      feed: new HistoryFeed([]),
      store,
      calendar: nyseCalendar,
      timers: manualTimers(),
      log,
    });
    expect(engine.signals).toBeNull();
    expect(engine.status().model).toBeNull();
    expect(await engine.service.handlers['signals.model']({})).toEqual({
      model: null,
      message: 'No strategy model runs in this engine.',
    });
    engine.stop();
    store = openStore(join(dir, 'trm.sqlite'));
  });
});
