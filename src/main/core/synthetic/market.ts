/**
 * The demo market: several correlated symbols that look and feel like a US market, deterministic for
 * a seed. Pure: the caller supplies the session times and the minutes; nothing here reads a clock.
 *
 * Model, per session (see universe.ts, regimes.ts and intraday.ts for the parameters, and
 * stylised-facts.ts for the real facts it is checked against):
 * - a regime (calm / trending / crisis) steps once per session along a Markov chain; a crisis opens
 *   with a crash;
 * - a slow volatility state (log-AR(1)) clusters volatility from day to day within a regime, and rises
 *   after the market falls and eases after it rallies (the leverage effect);
 * - daily log returns come from a factor model (market, bond, gold, three sectors, own noise) with
 *   regime-dependent volatilities, correlations and drifts, plus Poisson jumps (market-wide, fatter
 *   and more frequent in crises; single-stock ones mostly overnight, like earnings);
 * - the market gives part of its moves back: a share of the previous session's (large in a panic) and,
 *   slowly, a share of the earlier ones, so 60-session moves stay as large as real ones, not larger;
 * - each symbol's daily variance is split between an overnight gap (applied at the first minute
 *   generated in a session) and the session, where it follows the U-shaped intraday profile;
 * - volume follows its own U-shape and rises with the size of the move, with the regime and with the
 *   volatility state, around a per-symbol level; a minute's high and low are the extremes of a bridge
 *   between its open and close.
 *
 * Bars come from one random stream and trades from another, so the bars are the same whether or not
 * trades are asked for. Prices are whole cents and never below one cent.
 */
import type { Bar, SymbolInfo, Trade } from '../../../shared/domain';
import { SymbolInfoSchema } from '../../../shared/domain';
import { bridgeMax, bridgeMin, intradayProfile } from './intraday';
import type { IntradayProfile } from './intraday';
import { MARKET_STATE_VERSION } from './market-state';
import type { MarketState } from './market-state';
import { Random } from './random';
import { REGIME_PARAMS, TREND_UP_PROBABILITY, factorCholesky, nextRegime } from './regimes';
import type { Regime } from './regimes';
import { TradeWriter, requiredTrades } from './trades';
import { DEFAULT_UNIVERSE, FACTORS, FACTOR_VOLS, SECTORS } from './universe';
import type { SyntheticSymbolSpec } from './universe';

export { DEFAULT_UNIVERSE } from './universe';
export type { SyntheticSymbolSpec } from './universe';
export type { Regime } from './regimes';
export type { MarketState } from './market-state';

export interface SessionTimes {
  /** Epoch ms UTC of the first instant of the session. */
  open: number;
  /** Epoch ms UTC of the close, exclusive. */
  close: number;
}

export interface SyntheticMarketOptions {
  seed: number;
  universe?: readonly SyntheticSymbolSpec[];
  /** Starting prices (e.g. the last closes stored by a world saved without its state). */
  initialPrices?: Readonly<Record<string, number>>;
  /**
   * When the initial prices are from (epoch ms UTC, e.g. the start of the minute they closed): minutes
   * must come after it, and a session it falls in is continued without an overnight gap.
   */
  pricesAt?: number;
}

/**
 * Called before the first minute generated in a minute-level session (`minute`: its open, or a later
 * minute when the session is joined mid-way), with the state that regenerates it and all after it.
 */
export type SessionStartListener = (state: MarketState, session: SessionTimes, minute: number) => void;

export interface MinuteOutput {
  bars: Bar[];
  trades: Trade[];
}

const MINUTE = 60_000;
const FACTOR_COUNT = FACTORS.length;
/** Jumps inside one session are few (a crisis day averages well under one); extra ones are dropped. */
const MAX_SESSION_JUMPS = 32;
/**
 * Daily log-AR(1) of the volatility state: persistence, own shock, and the leverage effect: each
 * standard deviation the market moved in the previous session moves the state by -VOL_LEVERAGE, so
 * falls raise volatility and rallies calm it. Measured on ../shared/data/daily 1993-2021: log VIX
 * moves -0.066 per standard deviation of SPY's daily move (as VIX priced it the day before),
 * correlation -0.77. Without it, rallies at crisis volatility ran on to +50-60% in 60 sessions in
 * seeded worlds, beyond any real one.
 */
const VOL_STATE_PERSISTENCE = 0.9;
const VOL_STATE_SHOCK = 0.07;
const VOL_LEVERAGE = 0.07;
/** The market's standardised move fed to the leverage term is clipped here (a crash is not infinitely scary). */
const VOL_LEVERAGE_CLIP = 5;
/** Its stationary variance; subtracting it makes E[state^2] = 1, so the long-run variance is unchanged. */
const VOL_STATE_VARIANCE =
  (VOL_STATE_SHOCK * VOL_STATE_SHOCK + VOL_LEVERAGE * VOL_LEVERAGE) / (1 - VOL_STATE_PERSISTENCE ** 2);
/** Daily log-AR(1) of each symbol's volume level: a market-wide and an own shock. */
const VOLUME_PERSISTENCE = 0.5;
const VOLUME_SHOCK = 0.15;
const VOLUME_LEVEL_VARIANCE = (2 * VOLUME_SHOCK * VOLUME_SHOCK) / (1 - VOLUME_PERSISTENCE ** 2);
/** Minute volume noise (lognormal sd). */
const MINUTE_VOLUME_NOISE = 0.35;
/**
 * A minute's ~10 trades sample its path coarsely, so its range is narrower than a continuous path's:
 * shrinking the bridge variance to 0.7 matches SPY's measured mean range / sd of a minute (~1.3).
 */
const MINUTE_BRIDGE_VARIANCE = 0.7;
/** Where jumps land: overnight (in the gap) or at a random minute of the session. */
const MARKET_JUMP_OVERNIGHT = 0.35;
const OWN_JUMP_OVERNIGHT = 0.7;
const SESSIONS_PER_YEAR = 252;
/**
 * The market factor's move that the next session partly gives back is measured on a symbol with this
 * overnight share (an equity index fund's, see universe.ts): its gap and session parts weighted so.
 */
const REFERENCE_OVERNIGHT_SHARE = 0.38;
const REFERENCE_GAP_WEIGHT = Math.sqrt(REFERENCE_OVERNIGHT_SHARE);
const REFERENCE_SESSION_WEIGHT = Math.sqrt(1 - REFERENCE_OVERNIGHT_SHARE);
/**
 * Slow mean reversion of the market's shocks: a session's drift gives back SLOW_REVERSAL of the sum of
 * past shocks decayed by SLOW_MEMORY per session, so a shock is in the end SLOW_REVERSAL / (1 -
 * SLOW_MEMORY) = 30% undone, half of that within about 14 sessions. Trends (the drift) are not undone.
 * Fitted to SPY's variance ratios: the variance of 20- and 60-session returns is 0.73-0.75 and 0.67
 * times what daily returns would give as a random walk (1993-2004 and 2005-2021; stylised-facts.ts).
 */
const SLOW_REVERSAL = 0.015;
const SLOW_MEMORY = 0.95;
/** E|Z| for a standard normal: volume's response to |return| is normalised by it to keep its mean. */
const MEAN_ABS_NORMAL = Math.sqrt(2 / Math.PI);

const CHOLESKY: Readonly<Record<Regime, Float64Array>> = {
  calm: factorCholesky(REGIME_PARAMS.calm.correlation),
  trending: factorCholesky(REGIME_PARAMS.trending.correlation),
  crisis: factorCholesky(REGIME_PARAMS.crisis.correlation),
};

function toCents(logPrice: number): number {
  const cents = Math.round(Math.exp(logPrice) * 100);
  return cents < 1 ? 1 : cents;
}

/** Prices of one bar in cents, reused between bars (the hot path allocates only the bars it returns). */
interface Cents {
  open: number;
  high: number;
  low: number;
  close: number;
}

/** A bar moving from log price x0 by r, its extremes drawn from a Brownian bridge of `variance`. */
function drawCents(x0: number, r: number, variance: number, rng: Random, out: Cents): Cents {
  out.open = toCents(x0);
  out.close = toCents(x0 + r);
  out.high = Math.max(out.open, out.close, toCents(x0 + bridgeMax(r, variance, rng.uniformPositive())));
  out.low = Math.min(out.open, out.close, toCents(x0 + bridgeMin(r, variance, rng.uniformPositive())));
  return out;
}

function centsBar(symbol: string, timeframe: Bar['timeframe'], start: number, c: Cents, volume: number): Bar {
  return {
    symbol,
    timeframe,
    start,
    open: c.open / 100,
    high: c.high / 100,
    low: c.low / 100,
    close: c.close / 100,
    volume,
    closed: true,
  };
}

/** Volume's response to a move of `absZ` standard deviations: 1 on average, more on big moves. */
function moveResponse(absZ: number): number {
  return 0.55 + (0.45 * (absZ < 8 ? absZ : 8)) / MEAN_ABS_NORMAL;
}

function validateSpec(spec: SyntheticSymbolSpec): void {
  SymbolInfoSchema.parse({ symbol: spec.symbol, name: spec.name, kind: spec.kind });
  const positive: [string, number][] = [
    ['startPrice', spec.startPrice],
    ['minuteVolume', spec.minuteVolume],
    ['tradesPerMinute', spec.tradesPerMinute],
  ];
  for (const [field, value] of positive) {
    if (!(Number.isFinite(value) && value > 0))
      throw new RangeError(`${spec.symbol}: ${field} must be positive`);
  }
  const nonNegative: [string, number][] = [
    ['idioVol', spec.idioVol],
    ['jumpsPerYear', spec.jumpsPerYear],
    ['jumpVol', spec.jumpVol],
  ];
  for (const [field, value] of nonNegative) {
    if (!(Number.isFinite(value) && value >= 0))
      throw new RangeError(`${spec.symbol}: ${field} must be >= 0`);
  }
  if (!(spec.overnightShare >= 0 && spec.overnightShare < 1)) {
    throw new RangeError(`${spec.symbol}: overnightShare must be in [0, 1)`);
  }
  const { market, rates, gold, sector } = spec.loadings;
  if (![market, rates, gold, sector].every(Number.isFinite))
    throw new RangeError(`${spec.symbol}: loadings must be finite`);
}

function validateSession(session: SessionTimes): number {
  const { open, close } = session;
  if (!Number.isFinite(open) || !Number.isFinite(close) || close <= open) {
    throw new RangeError(`a session must close after it opens (open ${open}, close ${close})`);
  }
  return Math.ceil((close - open) / MINUTE);
}

export class SyntheticMarket {
  readonly symbols: readonly SymbolInfo[];
  /**
   * Called before each minute-level session starts (not for `generateDay`), with the state that
   * regenerates that session and everything after it: a demo world saves it to resume exactly.
   */
  onSessionStart: SessionStartListener | null = null;

  private readonly specs: readonly SyntheticSymbolSpec[];
  private readonly count: number;
  private readonly rng: Random;
  private readonly trades: TradeWriter;

  // ---- world state (carried across sessions; see MarketState) ----
  private currentRegime: Regime = 'calm';
  private trendSign: 1 | -1 = 1;
  /** Log of the volatility state; the multiplier is exp(volLog - VOL_STATE_VARIANCE). */
  private volLog = 0;
  /** The market factor's shocks (diffusive and jumps, no drift) so far in the current session. */
  private marketMove = 0;
  /** Past sessions' market shocks, decayed by SLOW_MEMORY per session (see SLOW_REVERSAL). */
  private shockMemory = 0;
  /** Per symbol: exact log price (the close is this rounded to cents) and log volume level. */
  private readonly logPrice: Float64Array;
  private readonly closeCents: Float64Array;
  private readonly volumeLog: Float64Array;

  // ---- current session ----
  private sessionOpen = Number.NEGATIVE_INFINITY;
  /** Last instant generated: minutes must move forward; a session generated by generateDay is done. */
  private lastTime = Number.NEGATIVE_INFINITY;
  private gapPending = false;
  private profile: IntradayProfile | null = null;
  /** The market factor's daily sd in this session (regime and volatility state included). */
  private marketSd = 0;
  /** Per symbol x factor: loading x factor vol x regime multiplier x vol state (row-major). */
  private readonly factorCoef: Float64Array;
  /** Per symbol: own-noise daily sd; total daily diffusive sd; daily drift; overnight gap (log). */
  private readonly idioCoef: Float64Array;
  private readonly dailySd: Float64Array;
  private readonly dailyDrift: Float64Array;
  private readonly gap: Float64Array;
  /** Per symbol: sqrt(1 - overnightShare) and the volume level of this session (shares per minute). */
  private readonly intradayScale: Float64Array;
  private readonly sessionVolume: Float64Array;
  /** Jumps scheduled inside the session: minute index, symbol index (-1: market-wide), log size. */
  private readonly jumpMinute = new Int32Array(MAX_SESSION_JUMPS);
  private readonly jumpSymbol = new Int32Array(MAX_SESSION_JUMPS);
  private readonly jumpSize = new Float64Array(MAX_SESSION_JUMPS);
  private jumpCount = 0;
  /** Market jump's effect per symbol: its market loading plus the bond response through its rates loading. */
  private readonly marketJumpLoading: Float64Array;

  // ---- scratch ----
  private readonly factorDraw = new Float64Array(FACTOR_COUNT);
  private readonly cents: Cents = { open: 0, high: 0, low: 0, close: 0 };
  private readonly returns: Float64Array;

  /**
   * A fresh world for `seed`, or (with `state`, see `SyntheticMarket.restore`) a saved one continued.
   * Throws a RangeError for an invalid universe or initial price.
   */
  constructor(options: SyntheticMarketOptions, state?: MarketState) {
    const specs = options.universe ?? DEFAULT_UNIVERSE;
    if (specs.length === 0) throw new RangeError('the synthetic universe needs at least one symbol');
    const seen = new Set<string>();
    for (const spec of specs) {
      validateSpec(spec);
      if (seen.has(spec.symbol))
        throw new RangeError(`${spec.symbol} appears twice in the synthetic universe`);
      seen.add(spec.symbol);
    }
    this.specs = specs;
    this.count = specs.length;
    this.symbols = specs.map((s) => ({ symbol: s.symbol, name: s.name, kind: s.kind }));
    this.rng = state ? Random.fromState(state.random) : Random.fromSeed(options.seed);
    this.trades = new TradeWriter(this.rng.split());

    const n = this.count;
    this.logPrice = new Float64Array(n);
    this.closeCents = new Float64Array(n);
    this.volumeLog = new Float64Array(n);
    this.factorCoef = new Float64Array(n * FACTOR_COUNT);
    this.idioCoef = new Float64Array(n);
    this.dailySd = new Float64Array(n);
    this.dailyDrift = new Float64Array(n);
    this.gap = new Float64Array(n);
    this.intradayScale = new Float64Array(n);
    this.sessionVolume = new Float64Array(n);
    this.marketJumpLoading = new Float64Array(n);
    this.returns = new Float64Array(n);
    for (let i = 0; i < n; i++) this.intradayScale[i] = Math.sqrt(1 - specs[i]!.overnightShare);

    if (state) {
      this.applyState(state);
      return;
    }
    const initial = options.initialPrices ?? {};
    for (let i = 0; i < n; i++) {
      const spec = specs[i]!;
      const given = Object.hasOwn(initial, spec.symbol) ? initial[spec.symbol] : undefined;
      if (given !== undefined && !(Number.isFinite(given) && given > 0)) {
        throw new RangeError(`initial price of ${spec.symbol} must be positive, got ${given}`);
      }
      // Resume exactly at the stored close: the first open continues from it (after the gap).
      const cents = Math.max(1, Math.round((given ?? spec.startPrice) * 100));
      this.closeCents[i] = cents;
      this.logPrice[i] = Math.log(cents / 100);
    }
    if (options.pricesAt !== undefined) {
      if (!Number.isFinite(options.pricesAt))
        throw new RangeError(`pricesAt must be a time, got ${options.pricesAt}`);
      this.lastTime = options.pricesAt;
    }
  }

  /**
   * Continues a world from a state given to `onSessionStart` (or `state()`): the same calls then give
   * the same bars, bit for bit, as the world the state was taken from. Throws a RangeError when the
   * state belongs to another universe (other symbols or order).
   */
  static restore(state: MarketState, universe?: readonly SyntheticSymbolSpec[]): SyntheticMarket {
    return new SyntheticMarket({ seed: 0, ...(universe ? { universe } : {}) }, state);
  }

  /** The regime of the current session (before the first session: the one the world starts in). */
  get regime(): Regime {
    return this.currentRegime;
  }

  /** Current price per symbol: the last close, in dollars and cents. */
  prices(): Record<string, number> {
    const out: Record<string, number> = {};
    for (let i = 0; i < this.count; i++) out[this.specs[i]!.symbol] = this.closeCents[i]! / 100;
    return out;
  }

  /**
   * The state that continues this world from the next session on (see `restore`). Valid between
   * sessions only: taken in the middle of a minute-level session it would restart that session, so
   * that throws a RangeError; `onSessionStart` hands out the same state at the right moment.
   */
  state(): MarketState {
    const open = this.sessionOpen;
    if (this.profile !== null && open !== Number.NEGATIVE_INFINITY) {
      const lastMinuteStart = open + (this.profile.minutes - 1) * MINUTE;
      if (this.lastTime < lastMinuteStart) {
        throw new RangeError('the market state can be taken between sessions only');
      }
    }
    return this.captureState();
  }

  /**
   * Moves every symbol to the given closes (dollars; symbols not named keep theirs): a world continued
   * from stored prices when its regenerated ones differ. Between minutes only; positive prices only.
   */
  movePrices(prices: Readonly<Record<string, number>>): void {
    for (let i = 0; i < this.count; i++) {
      const symbol = this.specs[i]!.symbol;
      if (!Object.hasOwn(prices, symbol)) continue;
      const price = prices[symbol]!;
      if (!(Number.isFinite(price) && price > 0)) {
        throw new RangeError(`price of ${symbol} must be positive, got ${price}`);
      }
      const cents = Math.max(1, Math.round(price * 100));
      if (cents === this.closeCents[i]) continue;
      this.closeCents[i] = cents;
      this.logPrice[i] = Math.log(cents / 100);
    }
  }

  /**
   * One whole session at daily resolution: one closed '1D' bar per symbol (start = session.open), for
   * the long daily history before the minute-level history. Same model as the minutes, summed.
   */
  generateDay(session: SessionTimes): Bar[] {
    const minutes = validateSession(session);
    if (session.open <= this.lastTime) {
      throw new RangeError(`sessions must move forward: ${session.open} is not after ${this.lastTime}`);
    }
    this.startSession(session, minutes);
    this.lastTime = session.close - 1;
    this.drawDailyReturns();
    this.marketMove += REFERENCE_SESSION_WEIGHT * this.marketSd * this.factorDraw[0]!;
    for (let j = 0; j < this.jumpCount; j++)
      if (this.jumpSymbol[j] === -1) this.marketMove += this.jumpSize[j]!;
    const rng = this.rng;
    const bars: Bar[] = [];
    for (let i = 0; i < this.count; i++) {
      const spec = this.specs[i]!;
      const x0 = this.logPrice[i]! + this.gap[i]!;
      const scale = this.intradayScale[i]!;
      const sd = scale * this.dailySd[i]!;
      let r = scale * this.returns[i]! + this.dailyDrift[i]! * scale * scale;
      for (let j = 0; j < this.jumpCount; j++) r += this.jumpOn(j, i);
      const c = drawCents(x0, r, sd * sd, rng, this.cents);
      const z = sd > 0 ? Math.abs(scale * this.returns[i]!) / sd : 0;
      const noise = Math.exp(0.1 * rng.normal() - 0.005);
      const volume = Math.max(
        requiredTrades(c.open, c.high, c.low, c.close),
        Math.round(this.sessionVolume[i]! * minutes * moveResponse(z) * noise),
      );
      this.logPrice[i] = x0 + r;
      this.closeCents[i] = c.close;
      bars.push(centsBar(spec.symbol, '1D', session.open, c, volume));
    }
    this.gapPending = false;
    return bars;
  }

  /**
   * One minute of every symbol: its closed '1m' bars (start = minuteStart), and with `withTrades` the
   * trades that made them, sorted by time (ties in universe order). The first minute generated in a new
   * session carries the overnight gap. Minutes must move forward in time.
   */
  generateMinute(minuteStart: number, session: SessionTimes, withTrades: boolean): MinuteOutput {
    const minutes = validateSession(session);
    if (!(minuteStart >= session.open && minuteStart < session.close)) {
      throw new RangeError(
        `minute ${minuteStart} is outside the session [${session.open}, ${session.close})`,
      );
    }
    if (minuteStart <= this.lastTime) {
      throw new RangeError(`minutes must move forward: ${minuteStart} is not after ${this.lastTime}`);
    }
    if (session.open !== this.sessionOpen) {
      this.onSessionStart?.(this.captureState(), session, minuteStart);
      this.startSession(session, minutes);
    }
    this.lastTime = minuteStart;
    const profile = this.profile!;
    const m = Math.floor((minuteStart - session.open) / MINUTE);
    const weight = profile.sd[m]!;
    const volumeShape = profile.volume[m]!;
    const tradeShape = profile.trades[m]!;
    const perMinuteDrift = 1 / minutes;
    const gapNow = this.gapPending;
    this.gapPending = false;

    this.drawDailyReturns();
    this.marketMove += REFERENCE_SESSION_WEIGHT * weight * this.marketSd * this.factorDraw[0]!;
    for (let j = 0; j < this.jumpCount; j++) {
      if (this.jumpMinute[j] === m && this.jumpSymbol[j] === -1) this.marketMove += this.jumpSize[j]!;
    }
    const rng = this.rng;
    const bars: Bar[] = [];
    const trades: Trade[] = [];
    for (let i = 0; i < this.count; i++) {
      const spec = this.specs[i]!;
      const x0 = gapNow ? this.logPrice[i]! + this.gap[i]! : this.logPrice[i]!;
      const scale = this.intradayScale[i]! * weight;
      const diffusive = scale * this.returns[i]!;
      let move = diffusive;
      for (let j = 0; j < this.jumpCount; j++) if (this.jumpMinute[j] === m) move += this.jumpOn(j, i);
      const r = move + this.dailyDrift[i]! * this.intradayScale[i]! ** 2 * perMinuteDrift;
      const sd = scale * this.dailySd[i]!;
      const c = drawCents(x0, r, sd * sd * MINUTE_BRIDGE_VARIANCE, rng, this.cents);
      // The move in standard deviations, jumps included: a jump minute trades heavily.
      const z = sd > 0 ? Math.abs(move) / sd : 0;
      const noise = Math.exp(MINUTE_VOLUME_NOISE * rng.normal() - 0.5 * MINUTE_VOLUME_NOISE ** 2);
      const volume = Math.max(
        requiredTrades(c.open, c.high, c.low, c.close),
        Math.round(this.sessionVolume[i]! * volumeShape * moveResponse(z) * noise),
      );
      this.logPrice[i] = x0 + r;
      this.closeCents[i] = c.close;
      bars.push(centsBar(spec.symbol, '1m', minuteStart, c, volume));
      if (withTrades) {
        this.trades.write(
          spec.symbol,
          minuteStart,
          c.open,
          c.high,
          c.low,
          c.close,
          volume,
          spec.tradesPerMinute * tradeShape,
          trades,
        );
      }
    }
    // Array.prototype.sort is stable: equal times keep the universe order they were written in.
    if (withTrades) trades.sort((a, b) => a.time - b.time);
    return { bars, trades };
  }

  // ---------------------------------------------------------------------------------------------

  private captureState(): MarketState {
    return {
      version: MARKET_STATE_VERSION,
      symbols: this.specs.map((s) => s.symbol),
      random: this.rng.state(),
      regime: this.currentRegime,
      trendSign: this.trendSign,
      volLog: this.volLog,
      marketMove: this.marketMove,
      shockMemory: this.shockMemory,
      logPrices: Array.from(this.logPrice),
      volumeLogs: Array.from(this.volumeLog),
      lastTime: this.lastTime === Number.NEGATIVE_INFINITY ? null : this.lastTime,
    };
  }

  private applyState(state: MarketState): void {
    const symbols = this.specs.map((s) => s.symbol);
    if (state.symbols.length !== symbols.length || state.symbols.some((s, i) => s !== symbols[i])) {
      throw new RangeError(
        `the market state holds ${state.symbols.join(', ')}, not this universe's ${symbols.join(', ')}`,
      );
    }
    if (state.logPrices.length !== this.count || state.volumeLogs.length !== this.count) {
      throw new RangeError('a market state needs one price and one volume level per symbol');
    }
    this.currentRegime = state.regime;
    this.trendSign = state.trendSign;
    this.volLog = state.volLog;
    this.marketMove = state.marketMove;
    this.shockMemory = state.shockMemory;
    this.lastTime = state.lastTime ?? Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.count; i++) {
      this.logPrice[i] = state.logPrices[i]!;
      this.closeCents[i] = toCents(state.logPrices[i]!);
      this.volumeLog[i] = state.volumeLogs[i]!;
    }
  }

  /** Log move of symbol `i` from scheduled jump `j`. */
  private jumpOn(j: number, i: number): number {
    const target = this.jumpSymbol[j]!;
    if (target === -1) return this.marketJumpLoading[i]! * this.jumpSize[j]!;
    return target === i ? this.jumpSize[j]! : 0;
  }

  /**
   * Fills `returns` with one draw of every symbol's diffusive daily log return (no drift, no jumps) in
   * the current session's regime, and `factorDraw` with the standardised factor shocks behind it;
   * callers scale it to the part of the day they generate.
   */
  private drawDailyReturns(): void {
    const rng = this.rng;
    const f = this.factorDraw;
    const l = CHOLESKY[this.currentRegime];
    const z0 = rng.normal();
    const z1 = rng.normal();
    const z2 = rng.normal();
    f[0] = z0;
    f[1] = l[3]! * z0 + l[4]! * z1;
    f[2] = l[6]! * z0 + l[7]! * z1 + l[8]! * z2;
    f[3] = rng.normal();
    f[4] = rng.normal();
    f[5] = rng.normal();
    const coef = this.factorCoef;
    for (let i = 0; i < this.count; i++) {
      const k = i * FACTOR_COUNT;
      this.returns[i] =
        coef[k]! * f[0] +
        coef[k + 1]! * f[1] +
        coef[k + 2]! * f[2] +
        coef[k + 3]! * f[3] +
        coef[k + 4]! * f[4] +
        coef[k + 5]! * f[5] +
        this.idioCoef[i]! * rng.normal();
    }
  }

  /**
   * Everything decided once per session: regime, volatility, volume levels, jumps, the overnight gap,
   * and the part of the previous session's market move that this one gives back.
   */
  private startSession(session: SessionTimes, minutes: number): void {
    const rng = this.rng;
    const previous = this.currentRegime;
    // Overreaction: a session gives back a share of the market's previous shock (the regime's where it
    // happened: large in a panic) and a small share of the shocks before it (see SLOW_REVERSAL).
    this.shockMemory = SLOW_MEMORY * this.shockMemory + this.marketMove;
    const reversal = -REGIME_PARAMS[previous].reversal * this.marketMove - SLOW_REVERSAL * this.shockMemory;
    // The previous session's market move in its own standard deviations, for the leverage effect.
    const previousSd =
      FACTOR_VOLS.market * REGIME_PARAMS[previous].vol.market * Math.exp(this.volLog - VOL_STATE_VARIANCE);
    const surprise = Math.max(-VOL_LEVERAGE_CLIP, Math.min(VOL_LEVERAGE_CLIP, this.marketMove / previousSd));
    this.marketMove = 0;
    this.currentRegime = nextRegime(previous, rng.uniform());
    if (this.currentRegime === 'trending' && previous !== 'trending') {
      this.trendSign = rng.chance(TREND_UP_PROBABILITY) ? 1 : -1;
    }
    const params = REGIME_PARAMS[this.currentRegime];
    this.volLog =
      VOL_STATE_PERSISTENCE * this.volLog + VOL_STATE_SHOCK * rng.normal() - VOL_LEVERAGE * surprise;
    const volState = Math.exp(this.volLog - VOL_STATE_VARIANCE);
    this.marketSd = FACTOR_VOLS.market * params.vol.market * volState;

    // Factor coefficients and each symbol's total daily sd under this regime's correlations.
    const c = params.correlation;
    const marketDrift =
      params.drift.market * (this.currentRegime === 'trending' ? this.trendSign : 1) + reversal;
    const commonVolume = VOLUME_SHOCK * rng.normal();
    for (let i = 0; i < this.count; i++) {
      const spec = this.specs[i]!;
      const k = i * FACTOR_COUNT;
      const a0 = spec.loadings.market * this.marketSd;
      const a1 = spec.loadings.rates * FACTOR_VOLS.rates * params.vol.rates * volState;
      const a2 = spec.loadings.gold * FACTOR_VOLS.gold * params.vol.gold * volState;
      this.factorCoef[k] = a0;
      this.factorCoef[k + 1] = a1;
      this.factorCoef[k + 2] = a2;
      let sectorVariance = 0;
      for (let s = 0; s < SECTORS.length; s++) {
        const sector = SECTORS[s]!;
        const a =
          spec.sector === sector
            ? spec.loadings.sector * FACTOR_VOLS[sector] * params.vol.sector * volState
            : 0;
        this.factorCoef[k + 3 + s] = a;
        sectorVariance += a * a;
      }
      const idio = spec.idioVol * params.vol.idio * volState;
      this.idioCoef[i] = idio;
      const variance =
        a0 * a0 +
        a1 * a1 +
        a2 * a2 +
        2 * (a0 * a1 * c.marketRates + a0 * a2 * c.marketGold + a1 * a2 * c.ratesGold) +
        sectorVariance +
        idio * idio;
      this.dailySd[i] = Math.sqrt(Math.max(variance, 0));
      this.dailyDrift[i] =
        spec.loadings.market * marketDrift +
        spec.loadings.rates * params.drift.rates +
        spec.loadings.gold * params.drift.gold;
      this.marketJumpLoading[i] = spec.loadings.market + spec.loadings.rates * params.bondJumpResponse;

      // Volume level: persistent, partly market-wide, higher in volatile sessions and regimes.
      this.volumeLog[i] =
        VOLUME_PERSISTENCE * this.volumeLog[i]! + commonVolume + VOLUME_SHOCK * rng.normal();
      this.sessionVolume[i] =
        spec.minuteVolume *
        params.volume *
        Math.sqrt(volState) *
        Math.exp(this.volumeLog[i]! - 0.5 * VOLUME_LEVEL_VARIANCE);
      this.gap[i] = 0;
    }

    // Jumps: overnight ones go into the gap, the others wait for their minute. A crisis opens with a
    // crash: the day the fear gauge spikes.
    this.jumpCount = 0;
    if (params.onsetJump !== null && this.currentRegime !== previous) {
      const size = params.onsetJump.mean + params.onsetJump.vol * rng.normal();
      this.scheduleJump(-1, size, rng.chance(MARKET_JUMP_OVERNIGHT), minutes);
    }
    const marketJumps = rng.poisson(params.marketJumps.perSession);
    for (let j = 0; j < marketJumps; j++) {
      const size = params.marketJumps.mean + params.marketJumps.vol * rng.normal();
      this.scheduleJump(-1, size, rng.chance(MARKET_JUMP_OVERNIGHT), minutes);
    }
    for (let i = 0; i < this.count; i++) {
      const spec = this.specs[i]!;
      if (spec.jumpsPerYear === 0) continue;
      const own = rng.poisson((spec.jumpsPerYear / SESSIONS_PER_YEAR) * params.ownJumps.frequency);
      for (let j = 0; j < own; j++) {
        const size = spec.jumpVol * params.ownJumps.size * rng.normal();
        this.scheduleJump(i, size, rng.chance(OWN_JUMP_OVERNIGHT), minutes);
      }
    }

    // The overnight gap: its share of the day's variance and drift, plus the overnight jumps.
    this.drawDailyReturns();
    this.marketMove += REFERENCE_GAP_WEIGHT * this.marketSd * this.factorDraw[0]!;
    for (let i = 0; i < this.count; i++) {
      const share = this.specs[i]!.overnightShare;
      this.gap[i] = this.gap[i]! + Math.sqrt(share) * this.returns[i]! + this.dailyDrift[i]! * share;
    }
    // A session joined after its open (a world resumed mid-session from stored prices) has had its gap.
    this.gapPending = this.lastTime < session.open;
    if (this.profile === null || this.profile.minutes !== minutes) this.profile = intradayProfile(minutes);
    this.sessionOpen = session.open;
  }

  private scheduleJump(symbol: number, size: number, overnight: boolean, minutes: number): void {
    if (overnight) {
      if (symbol === -1) this.marketMove += size;
      for (let i = 0; i < this.count; i++) {
        if (symbol === -1) this.gap[i] = this.gap[i]! + this.marketJumpLoading[i]! * size;
        else if (symbol === i) this.gap[i] = this.gap[i]! + size;
      }
      return;
    }
    const minute = this.rng.int(0, minutes - 1);
    if (this.jumpCount === MAX_SESSION_JUMPS) return;
    this.jumpMinute[this.jumpCount] = minute;
    this.jumpSymbol[this.jumpCount] = symbol;
    this.jumpSize[this.jumpCount] = size;
    this.jumpCount++;
  }
}
