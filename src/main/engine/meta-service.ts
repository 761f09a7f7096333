/**
 * The meta-score area of the engine: per symbol with listeners (and always DECISION_SYMBOL), a MetaScore
 * that combines
 * - regime: the volatility-regime forecast of the symbol's CLOSED daily bars (core/signals/volatility-regime),
 * - technical: the technical score of its daily closes, the forming session's bar included
 *   (core/signals/meta-score technicalScore). Daily closes, not the chart's minutes: they exist in every
 *   mode (a daily replay has no minutes), they are what the strategy model decides on, and with the forming
 *   bar included the score still moves during the session;
 * - sentiment: the decay-weighted news sentiment index (core/news/sentiment-index) fed from `news.items`;
 * - micro: the quote imbalance of the symbol's latest quote when the feed keeps quotes (Alpaca, for the
 *   symbols on screen) and it is at most MICRO_MAX_AGE_MS old in market time; null otherwise (replay and
 *   demo have no quotes);
 * with the weights kept in the settings (`signals.setMetaWeights`; default DEFAULT_META_WEIGHTS), and the
 * entry gate (core/signals/entry-gate).
 *
 * A symbol's score is recomputed when one of its parts can have changed (a daily bar of it, a news item,
 * new weights, a rewind) and published on the bus (`signals.meta`) and to its `signals.metaChanged`
 * listeners, coalesced to at most one per META_INTERVAL_MS of wall time per symbol.
 *
 * The strategy layer: at each strategy-model decision (`signals.prediction`) the gate of DECISION_SYMBOL
 * at the decision's close is applied with gateStrategy(previous held strategy, proposed, gate); the
 * outcome is kept in memory (a replay's seek back forgets the decisions after it) and served with
 * DECISION_SYMBOL's meta-score as `decision` (shown as "Gate closed: holding X instead of Y — reason").
 */
import type { EventSources, RequestHandlers } from '../../shared/api';
import {
  DECISION_SYMBOL,
  MetaWeightsSchema,
  type Bar,
  type EntryGate,
  type MetaScore,
  type MetaWeights,
  type Prediction,
  type RegimeForecast,
  type ScoredNews,
  type StrategyId,
  type Timeframe,
} from '../../shared/domain';
import { EngineError } from '../../shared/protocol';
import { SentimentIndex } from '../core/news/sentiment-index';
import { entryGate, gateStrategy } from '../core/signals/entry-gate';
import {
  DEFAULT_META_WEIGHTS,
  metaScore,
  quoteImbalance,
  sentimentFor,
  technicalScore,
} from '../core/signals/meta-score';
import { forecastRegime } from '../core/signals/volatility-regime';
import type { Timers } from '../platform/clock';
import type { Logger } from '../platform/log';
import type { SettingsRepository } from '../store/settings-repository';
import type { TopicBus } from './bus';
import type { EngineTopics } from './topics';

/** The settings key of the meta-score's weights. */
export const META_WEIGHTS_SETTING = 'signals.metaWeights';
/** Wall milliseconds between two meta-scores of one symbol at most once (coalescing). */
export const META_INTERVAL_MS = 1000;
/** Daily bars read for the regime forecast (about a year and a quarter of sessions). */
const REGIME_SESSIONS = 320;
/** Daily closes read for the technical score. */
const TECHNICAL_SESSIONS = 60;
/** Decisions kept for the gate's record (older ones cannot be rewound to in practice). */
const MAX_DECISIONS = 2000;
/** A quote older than this (market ms) says nothing about the book now. */
export const MICRO_MAX_AGE_MS = 60_000;
/** News read back into the sentiment index after a seek back. */
const REFILL_NEWS = 2000;

type Decision = NonNullable<MetaScore['decision']>;

export interface MetaServiceParts {
  bus: TopicBus<EngineTopics>;
  timers: Timers;
  log: Logger;
  /** Where the weights are kept (a replay passes the market database's settings, which outlive it). */
  settings: SettingsRepository;
  /**
   * A symbol's bars with start < `before`, the `limit` most recent, oldest first, the forming one included
   * (the market service's `market.bars` reply).
   */
  readBars(symbol: string, timeframe: Timeframe, before: number, limit: number): readonly Bar[];
  /** Scored news published before `before`, newest first (refills the sentiment index after a seek back). */
  readNews?(before: number, limit: number): readonly ScoredNews[];
  /** The latest quote of a symbol (bid and ask sizes, its time), when the feed keeps quotes. */
  latestQuote?(symbol: string): { time: number; bidSize: number; askSize: number } | null;
  /** Wall ms between two publications per symbol (default META_INTERVAL_MS). */
  intervalMs?: number;
}

export type MetaHandlers = Pick<RequestHandlers, 'signals.meta' | 'signals.setMetaWeights'>;
export type MetaEvents = Pick<EventSources, 'signals.metaChanged'>;

interface Tracked {
  listeners: number;
  /** Wall time of the last publication. */
  last: number;
  timer: unknown;
  pending: boolean;
}

export class MetaService {
  readonly handlers: MetaHandlers;
  readonly events: MetaEvents;
  private readonly log: Logger;
  private readonly intervalMs: number;
  private weights: MetaWeights;
  private index = new SentimentIndex();
  private marketTime: number | null = null;
  /** The latest bar start or news time seen: the clock until the market's first tick. */
  private latestSeen: number | null = null;
  private readonly tracked = new Map<string, Tracked>();
  /** Regime forecasts by symbol, keyed by the last closed daily bar they were read at. */
  private readonly regimes = new Map<string, { key: string; forecast: RegimeForecast | null }>();
  /** The strategy layer's decisions under the gate, oldest first. */
  private decisions: Decision[] = [];
  private readonly unsubscribe: (() => void)[] = [];
  private stopped = false;

  constructor(private readonly parts: MetaServiceParts) {
    this.log = parts.log.child('meta');
    this.intervalMs = parts.intervalMs ?? META_INTERVAL_MS;
    this.weights = parts.settings.get(META_WEIGHTS_SETTING, MetaWeightsSchema) ?? DEFAULT_META_WEIGHTS;
    this.track(DECISION_SYMBOL, 0);
    this.handlers = {
      'signals.meta': ({ symbol }) => this.compute(symbol),
      'signals.setMetaWeights': (given) => this.setWeights(given),
    };
    this.events = {
      'signals.metaChanged': ({ symbol }, emit) => {
        this.track(symbol, +1);
        const stop = parts.bus.subscribe('signals.meta', (score) => {
          if (score.symbol === symbol) emit(score);
        });
        return () => {
          stop();
          this.track(symbol, -1);
        };
      },
    };
  }

  start(): void {
    const { bus } = this.parts;
    this.unsubscribe.push(
      bus.subscribe('market.time', (t) => {
        if (this.marketTime === null || t > this.marketTime) this.marketTime = t;
      }),
      bus.subscribe('market.bars', (bars) => this.onBars(bars)),
      bus.subscribe('news.items', (items) => this.onNews(items)),
      bus.subscribe('market.rewound', (t) => this.onRewound(t)),
      bus.subscribe('signals.prediction', (prediction) => this.onDecision(prediction)),
    );
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const stop of this.unsubscribe) stop();
    for (const state of this.tracked.values()) {
      if (state.timer !== null) this.parts.timers.clearTimeout(state.timer);
      state.timer = null;
    }
  }

  /** The weights in force. */
  get metaWeights(): MetaWeights {
    return this.weights;
  }

  /** The strategy layer's latest decision under the gate, or null before the first one. */
  get latestDecision(): Decision | null {
    return this.decisions.at(-1) ?? null;
  }

  /**
   * The meta-score of `symbol` at market time `time` (default: the market clock) from the daily bars
   * with start < `before` (default: all, the forming one included).
   */
  compute(symbol: string, at?: number, before = Number.MAX_SAFE_INTEGER): MetaScore {
    const known = at ?? this.now();
    // No market time yet: the wall clock stamps the score, but the index is not read at it (a replay's
    // history is years before it, and the index drops what is that old next to its latest read).
    const time = known ?? this.parts.timers.now();
    const { regime, technical } = this.marketParts(symbol, before);
    const sentiment = known === null ? null : this.sentimentAt(known, symbol);
    const gate = entryGate({ sentiment, regime });
    const score = metaScore({
      symbol,
      time,
      micro: this.microAt(symbol, time),
      technical,
      sentiment: sentiment?.score ?? null,
      regime,
      weights: this.weights,
      gate,
    });
    return symbol === DECISION_SYMBOL ? { ...score, decision: this.latestDecision } : score;
  }

  private now(): number | null {
    return this.marketTime ?? this.latestSeen;
  }

  private saw(time: number): void {
    if (this.latestSeen === null || time > this.latestSeen) this.latestSeen = time;
  }

  private setWeights(given: MetaWeights): MetaWeights {
    const parsed = MetaWeightsSchema.safeParse(given);
    if (!parsed.success) {
      throw new EngineError(
        'FAILED',
        `These weights cannot be used: ${parsed.error.issues.map((issue) => issue.message).join('; ')}.`,
      );
    }
    this.weights = parsed.data;
    this.parts.settings.set(META_WEIGHTS_SETTING, parsed.data);
    this.log.info(
      `meta-score weights: micro ${parsed.data.micro}, technical ${parsed.data.technical}, ` +
        `sentiment ${parsed.data.sentiment}, regime ${parsed.data.regime}`,
    );
    for (const symbol of this.tracked.keys()) this.dirty(symbol);
    return parsed.data;
  }

  // ---- parts --------------------------------------------------------------------------------------

  /** The quote imbalance of the latest quote, if it is recent enough at `time`. */
  private microAt(symbol: string, time: number): number | null {
    const quote = this.parts.latestQuote?.(symbol) ?? null;
    if (quote === null || time - quote.time > MICRO_MAX_AGE_MS || quote.time > time) return null;
    return quoteImbalance(quote);
  }

  /** The regime forecast (closed daily bars) and the technical score (daily closes, forming included). */
  private marketParts(
    symbol: string,
    before: number,
  ): { regime: RegimeForecast | null; technical: number | null } {
    const daily = this.parts.readBars(symbol, '1D', before, REGIME_SESSIONS + 1);
    const closed = daily.filter((bar) => bar.closed);
    const technical = technicalScore(Float64Array.from(daily.slice(-TECHNICAL_SESSIONS), (bar) => bar.close));
    return { regime: this.regimeOf(symbol, closed), technical };
  }

  private regimeOf(symbol: string, closed: readonly Bar[]): RegimeForecast | null {
    const last = closed.at(-1);
    if (last === undefined) return null;
    const key = `${last.start}:${closed.length}:${last.close}`;
    const cached = this.regimes.get(symbol);
    if (cached?.key === key) return cached.forecast;
    const forecast = forecastRegime(
      Float64Array.from(closed, (bar) => bar.close),
      closed.map((bar) => bar.start),
    );
    this.regimes.set(symbol, { key, forecast });
    return forecast;
  }

  /** The symbol's news sentiment at `time`, else the market-wide one (core's sentimentFor). */
  private sentimentAt(time: number, symbol: string): { score: number; weight: number; count: number } | null {
    return sentimentFor(this.index.at(time, symbol), this.index.at(time, null));
  }

  // ---- triggers ----------------------------------------------------------------------------------

  private onBars(bars: readonly Bar[]): void {
    for (const bar of bars) {
      if (bar.timeframe !== '1D') continue;
      this.saw(bar.start);
      if (this.tracked.has(bar.symbol)) this.dirty(bar.symbol);
    }
  }

  private onNews(items: readonly ScoredNews[]): void {
    let added = false;
    for (const item of items) {
      this.saw(item.time);
      if (item.sentiment === null) continue;
      this.index.add(item.time, item.symbols, item.sentiment.score);
      added = true;
    }
    // The market-wide index is every symbol's fallback: any scored item can move any score.
    if (added) for (const symbol of this.tracked.keys()) this.dirty(symbol);
  }

  private onRewound(t: number): void {
    this.marketTime = t;
    this.latestSeen = null;
    this.regimes.clear();
    this.decisions = this.decisions.filter((d) => d.barStart < t);
    // The index forgets the future; items re-released by the replay come back through `news.items`.
    this.index = new SentimentIndex(this.index.halfLifeMs);
    const refill = this.parts.readNews?.(t, REFILL_NEWS) ?? [];
    for (let k = refill.length - 1; k >= 0; k--) {
      const item = refill[k]!;
      if (item.sentiment !== null) this.index.add(item.time, item.symbols, item.sentiment.score);
    }
    for (const symbol of this.tracked.keys()) this.dirty(symbol);
  }

  /** The strategy layer: the model's proposal through the gate of DECISION_SYMBOL at the decision's close. */
  private onDecision(prediction: Prediction): void {
    const previous = this.decisions.findLast((d) => d.barStart < prediction.barStart)?.strategy ?? null;
    const gate = this.compute(DECISION_SYMBOL, prediction.time, prediction.barStart + 1).gate;
    const decision = gateDecision(prediction, previous, gate);
    this.decisions = this.decisions.filter((d) => d.barStart < prediction.barStart);
    this.decisions.push(decision);
    if (this.decisions.length > MAX_DECISIONS)
      this.decisions.splice(0, this.decisions.length - MAX_DECISIONS);
    if (decision.held) {
      this.log.info(
        `gate closed at the decision of ${new Date(prediction.barStart).toISOString().slice(0, 10)}: holding ` +
          `${decision.strategy} instead of ${decision.proposed} (${decision.reason ?? 'no reason given'})`,
      );
    }
    this.dirty(DECISION_SYMBOL);
  }

  // ---- coalescing --------------------------------------------------------------------------------

  private track(symbol: string, change: 1 | -1 | 0): void {
    let state = this.tracked.get(symbol);
    if (state === undefined) {
      state = { listeners: 0, last: Number.NEGATIVE_INFINITY, timer: null, pending: false };
      this.tracked.set(symbol, state);
    }
    state.listeners += change;
    if (state.listeners <= 0 && symbol !== DECISION_SYMBOL) {
      if (state.timer !== null) this.parts.timers.clearTimeout(state.timer);
      this.tracked.delete(symbol);
    }
  }

  /** Schedules a publication of `symbol`'s score: next turn, or once its interval has passed. */
  private dirty(symbol: string): void {
    const state = this.tracked.get(symbol);
    if (state === undefined || state.pending || this.stopped) return;
    state.pending = true;
    const { timers } = this.parts;
    const wait = state.last + this.intervalMs - timers.now();
    const fire = (): void => {
      state.timer = null;
      state.pending = false;
      if (this.stopped || this.tracked.get(symbol) !== state) return;
      state.last = timers.now();
      try {
        this.parts.bus.publish('signals.meta', this.compute(symbol));
      } catch (error) {
        this.log.warn(
          `the meta-score of ${symbol} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    };
    // Due now: after this turn, so that a burst of bars and news gives one score.
    if (wait <= 0) timers.defer(fire);
    else state.timer = timers.setTimeout(fire, wait);
  }
}

/** The strategy layer's decision: the proposal through gateStrategy, with the gate's reason when held. */
export function gateDecision(prediction: Prediction, previous: StrategyId | null, gate: EntryGate): Decision {
  const outcome = gateStrategy(previous, prediction.strategy, gate);
  return {
    barStart: prediction.barStart,
    proposed: prediction.strategy,
    strategy: outcome.strategy,
    held: outcome.held,
    reason: outcome.held ? gate.reason : null,
  };
}
