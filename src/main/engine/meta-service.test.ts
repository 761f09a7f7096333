/**
 * The meta service: a symbol's meta-score from its daily bars (regime, technical) and the news sentiment,
 * published at most once a second per symbol however many bars and news items arrive; weights validated
 * and kept in the settings across restarts; and the strategy layer's decision through the entry gate
 * (a closed gate holds a risk-adding proposal at the previous strategy, with the reason).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newsRequests } from '../../shared/api/news';
import {
  DECISION_SYMBOL,
  STRATEGY_IDS,
  type Bar,
  type MetaScore,
  type Prediction,
  type ScoredNews,
  type StrategyId,
} from '../../shared/domain';
import { DEFAULT_META_WEIGHTS } from '../core/signals/meta-score';
import { createMemoryLogger } from '../platform/log';
import { openStore, type Store } from '../store/store';
import { manualTimers, type ManualTimers } from '../test-support/manual-timers';
import { TopicBus } from './bus';
import { META_WEIGHTS_SETTING, MetaService } from './meta-service';
import type { EngineTopics } from './topics';

const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 2, 14, 30);

/** `count` daily bars from START; calm: ±0.2 % a day; stressed: ±4 % a day at the end. */
function dailyBars(symbol: string, count: number, stressedFrom = Number.POSITIVE_INFINITY): Bar[] {
  const bars: Bar[] = [];
  let close = 100;
  for (let d = 0; d < count; d++) {
    const move = d >= stressedFrom ? 0.04 : 0.002;
    close *= 1 + (d % 2 === 0 ? move : -move * 0.9);
    bars.push({
      symbol,
      timeframe: '1D',
      start: START + d * DAY,
      open: close,
      high: close,
      low: close,
      close,
      volume: 1e6,
      closed: true,
    });
  }
  return bars;
}

function news(n: number, time: number, score: number, symbols: string[] = [DECISION_SYMBOL]): ScoredNews {
  const p = score < 0 ? [-score, 1 + score, 0] : [0, 1 - score, score];
  return {
    id: `alpaca:${n}`,
    origin: 'alpaca',
    kind: 'headline',
    source: 'benzinga',
    time,
    headline: `headline ${n}`,
    summary: '',
    symbols,
    url: null,
    sentiment: { label: score < 0 ? 'negative' : 'positive', probabilities: p, score },
    sentimentModel: 'fake',
    catalysts: [],
  };
}

function prediction(barStart: number, strategy: StrategyId): Prediction {
  const probabilities = STRATEGY_IDS.map((id) => (id === strategy ? 0.65 : 0.05));
  return {
    barStart,
    time: barStart + 6.5 * 3_600_000,
    modelVersion: 'trm-test',
    strategy,
    probabilities,
    haltProbability: 0.9,
    features: [],
    imputed: 0,
  };
}

let dir: string;
let store: Store;
let timers: ManualTimers;
let bus: TopicBus<EngineTopics>;
let bars: Map<string, Bar[]>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-meta-'));
  store = openStore(join(dir, 'market.sqlite'));
  timers = manualTimers();
  bus = new TopicBus<EngineTopics>((topic, error) => {
    throw new Error(`${String(topic)}: ${String(error)}`);
  });
  bars = new Map([[DECISION_SYMBOL, dailyBars(DECISION_SYMBOL, 80)]]);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function service(
  latestQuote?: (symbol: string) => { time: number; bidSize: number; askSize: number } | null,
): MetaService {
  const meta = new MetaService({
    bus,
    timers,
    log: createMemoryLogger(),
    settings: store.settings,
    ...(latestQuote ? { latestQuote } : {}),
    readBars: (symbol, _timeframe, before, limit) =>
      (bars.get(symbol) ?? []).filter((bar) => bar.start < before).slice(-limit),
  });
  meta.start();
  return meta;
}

describe('MetaService', () => {
  it("answers a symbol's meta-score from its daily bars and the news", () => {
    const meta = service();
    const calm = newsRequests['signals.meta'].result.parse(meta.handlers['signals.meta']({ symbol: 'SPY' }));
    expect(calm.regime?.current).toBe('calm');
    expect(calm.components.technical).not.toBeNull();
    expect(calm.components.sentiment).toBeNull();
    expect(calm.components.micro).toBeNull();
    expect(calm.gate.open).toBe(true);
    expect(calm.weights).toEqual(DEFAULT_META_WEIGHTS);
    const last = bars.get('SPY')!.at(-1)!.start;
    bus.publish('market.time', last + DAY);
    bus.publish('news.items', [news(1, last + DAY - 3_600_000, 0.8)]);
    const after = meta.handlers['signals.meta']({ symbol: 'SPY' }) as MetaScore;
    expect(after.components.sentiment).toBeGreaterThan(0.5);
    expect(after.time).toBe(last + DAY);
    meta.stop();
  });

  it("reads the micro part from the latest quote's imbalance while it is recent", () => {
    const now = bars.get('SPY')!.at(-1)!.start + 3_600_000;
    let quote = { time: now - 10_000, bidSize: 300, askSize: 100 };
    const meta = service(() => quote);
    bus.publish('market.time', now);
    expect((meta.handlers['signals.meta']({ symbol: 'SPY' }) as MetaScore).components.micro).toBeCloseTo(0.5);
    quote = { time: now - 120_000, bidSize: 300, askSize: 100 };
    expect((meta.handlers['signals.meta']({ symbol: 'SPY' }) as MetaScore).components.micro).toBeNull();
    meta.stop();
  });

  it('publishes at most one meta-score a second per symbol, with the latest state', () => {
    const meta = service();
    const seen: MetaScore[] = [];
    const stop = meta.events['signals.metaChanged']({ symbol: 'SPY' }, (score) => seen.push(score));
    const spy = bars.get('SPY')!;
    // A burst: a bar and ten news items in one turn, then more a few hundred ms later.
    bus.publish('market.bars', [spy.at(-1)!]);
    for (let n = 0; n < 10; n++) bus.publish('news.items', [news(n, spy.at(-1)!.start + n, 0.5)]);
    timers.drain();
    expect(seen).toHaveLength(1);
    timers.advance(300);
    bus.publish('news.items', [news(20, spy.at(-1)!.start + 100, -0.9)]);
    timers.advance(300);
    bus.publish('news.items', [news(21, spy.at(-1)!.start + 200, -0.9)]);
    expect(seen).toHaveLength(1);
    timers.advance(399);
    expect(seen).toHaveLength(1);
    timers.advance(1);
    expect(seen).toHaveLength(2);
    expect(seen[1]!.components.sentiment!).toBeLessThan(seen[0]!.components.sentiment!);
    // Nothing changed since: nothing more is published.
    timers.advance(5000);
    expect(seen).toHaveLength(2);
    // A symbol nobody listens to is not computed; one with a listener is.
    bus.publish('market.bars', [{ ...spy.at(-1)!, symbol: 'QQQ' }]);
    timers.advance(2000);
    expect(seen.every((score) => score.symbol === 'SPY')).toBe(true);
    stop();
    meta.stop();
  });

  it('validates the weights, keeps them in the settings, and uses them after a restart', () => {
    const meta = service();
    const weights = { micro: 0, technical: 0.5, sentiment: 0.5, regime: 0 };
    expect(meta.handlers['signals.setMetaWeights'](weights)).toEqual(weights);
    expect(() =>
      meta.handlers['signals.setMetaWeights']({ micro: 0, technical: 0, sentiment: 0, regime: 0 }),
    ).toThrow(/at least one weight must be above 0/);
    expect(store.settings.get(META_WEIGHTS_SETTING, newsRequests['signals.setMetaWeights'].result)).toEqual(
      weights,
    );
    meta.stop();
    const again = service();
    const score = again.handlers['signals.meta']({ symbol: 'SPY' }) as MetaScore;
    expect(score.weights).toEqual(weights);
    again.stop();
  });

  it('holds a risk-adding decision at the previous strategy when the gate is closed, and says why', () => {
    // Volatility burst at the end of the history (stressed regime) and a run of bad news.
    bars.set(DECISION_SYMBOL, dailyBars(DECISION_SYMBOL, 80, 60));
    const meta = service();
    const spy = bars.get(DECISION_SYMBOL)!;
    const seen: MetaScore[] = [];
    meta.events['signals.metaChanged']({ symbol: DECISION_SYMBOL }, (score) => seen.push(score));
    // The first decision, before the bad news: the gate is open, the proposal goes through.
    const first = spy.at(-3)!;
    bus.publish('signals.prediction', prediction(first.start, 'defensive'));
    expect(meta.latestDecision).toEqual({
      barStart: first.start,
      proposed: 'defensive',
      strategy: 'defensive',
      held: false,
      reason: null,
    });
    const decisionBar = spy.at(-2)!;
    const close = decisionBar.start + 6.5 * 3_600_000;
    bus.publish(
      'news.items',
      [1, 2, 3, 4].map((n) => news(n, close - n * 60_000, -0.8)),
    );
    bus.publish('signals.prediction', prediction(decisionBar.start, 'max_growth'));
    const decision = meta.latestDecision!;
    expect(decision).toMatchObject({ proposed: 'max_growth', strategy: 'defensive', held: true });
    expect(decision.reason).toMatch(/sentiment −0\.\d\d.*stressed/);
    // A decision that reduces risk goes through even with the gate closed.
    bus.publish('signals.prediction', prediction(spy.at(-1)!.start, 'ultra_defensive'));
    expect(meta.latestDecision).toMatchObject({ strategy: 'ultra_defensive', held: false });
    // The UI reads it with the decision symbol's meta-score.
    timers.drain();
    expect(seen.at(-1)?.decision).toMatchObject({ strategy: 'ultra_defensive' });
    // A seek back forgets the decisions after it: the held one is the latest again.
    bus.publish('market.rewound', spy.at(-1)!.start);
    expect(meta.latestDecision).toMatchObject({ proposed: 'max_growth', held: true });
    meta.stop();
  });
});
