/**
 * The stylised facts of the US market that the demo market must stay inside, as documented constants
 * with their source, and the pure functions that measure them, so that real and generated series are
 * measured the same way (stylised-facts.test.ts measures both: the real ones from ../shared/data when
 * it is present, to keep these constants honest, and long seeded synthetic worlds against them).
 *
 * Sources (all in ../shared/data, see its README):
 * - daily/: Yahoo Finance daily bars, split- and dividend-adjusted, SPY from 1993-01-29, TLT from
 *   2002-07-30, sector ETFs from 1998-12-22, GLD from 2004-11-18, and the ^VIX index. Two windows are
 *   measured, 1993-2004 (SPY and VIX only) and 2005-2021 (everything); a range below spans both.
 * - intraday/: minute bars 2025-09-15 to 2026-03 of single stocks (NVDA; META, AVGO, GS from
 *   2026-01-22) and SPY, whose daily opens and closes are the 09:30 open and the last minute's close.
 *
 * Regimes: the demo's regimes are compared with VIX buckets, by the previous session's VIX close (what
 * a trader knows at the open, as the demo's regime is decided before the session): calm below 18,
 * trending 18 to 30, crisis above 30.
 *
 * Units: returns are daily log returns of closes; volatility is their standard deviation per session;
 * prices are whatever unit the series has (only ratios are used).
 */
import type { Regime } from './regimes';

/** A range of real values: the smallest and the largest measured over the windows named. */
export interface FactRange {
  readonly low: number;
  readonly high: number;
}

const range = (low: number, high: number): FactRange => ({ low, high });

/** VIX bucket edges: the previous session's VIX close below CALM is calm, above CRISIS is crisis. */
export const VIX_CALM_BELOW = 18;
export const VIX_CRISIS_ABOVE = 30;

/** Sessions of the "largest move over N sessions" fact. */
export const MOVE_SESSIONS = 60;
export const SESSIONS_PER_YEAR = 252;

/**
 * The real facts, measured by the functions below (values rounded to the digits shown). Ranges span
 * 1993-2004 and 2005-2021 where both windows have the data; single values are 2005-2021.
 */
export const REAL_FACTS = {
  /** SPY daily volatility by VIX bucket. 1993-2004: 0.0065, 0.0123, 0.0200; 2005-2021: 0.0066, 0.0118, 0.0295. */
  regimeVolatility: {
    calm: range(0.0065, 0.0066),
    trending: range(0.0118, 0.0123),
    crisis: range(0.02, 0.0295),
  } satisfies Record<Regime, FactRange>,
  /** Share of sessions in each VIX bucket. 1993-2004: 0.415, 0.500, 0.085; 2005-2021: 0.594, 0.316, 0.090. */
  regimeShare: {
    calm: range(0.415, 0.594),
    trending: range(0.316, 0.5),
    crisis: range(0.085, 0.09),
  } satisfies Record<Regime, FactRange>,
  /** SPY-TLT daily correlation by VIX bucket, 2005-2021: negative in every regime, most in stress. */
  stockBondCorrelation: { calm: -0.26, trending: -0.49, crisis: -0.48 } satisfies Record<Regime, number>,
  /**
   * Largest SPY rise and fall over 60 sessions (close to close, simple return). 1993-2004: +0.298
   * (from 1998-10-09), -0.253 (from 2002-04-26); 2005-2021: +0.398 (from 2020-03-23, and +0.387 from
   * 2009-03-05), -0.410 (from 2008-08-27).
   */
  largestRise: range(0.298, 0.398),
  largestFall: range(-0.41, -0.253),
  /** SPY lag-1 autocorrelation of daily returns inside the crisis bucket (panics overreact). */
  crisisAutocorrelation: range(-0.198, -0.038),
  /** SPY variance ratios (variance of N-session returns over N x the daily variance). */
  varianceRatio20: range(0.73, 0.75),
  varianceRatio60: range(0.67, 0.67),
  /** SPY annualised log growth (adjusted closes: dividends included). */
  annualGrowth: range(0.1, 0.102),
  /** Correlation of daily returns with SPY, 2005-2021. */
  correlationWithSpy: {
    QQQ: 0.914,
    XLK: 0.916,
    XLF: 0.854,
    XLE: 0.775,
    TLT: -0.41,
    GLD: 0.044,
  } as Readonly<Record<string, number>>,
  /**
   * Single stocks' correlation with SPY (intraday files, daily closes): NVDA 0.65, AVGO 0.59, GS 0.69,
   * META 0.37 (the last three over 30-37 sessions only). Published long-run figures for large caps are
   * in the same band (about 0.5-0.7); a single stock always tracks the index less than its sector fund.
   */
  singleStockCorrelation: range(0.37, 0.69),
  /** Share of the daily variance realised overnight (open against the previous close), 2005-2021. */
  overnightShare: {
    SPY: 0.386,
    QQQ: 0.338,
    TLT: 0.463,
    GLD: 0.506,
    XLK: 0.392,
    XLF: 0.36,
    XLE: 0.354,
  } as Readonly<Record<string, number>>,
  /** The same for single stocks (intraday files): NVDA 0.35, AVGO 0.42, GS 0.22, META 0.63. */
  singleStockOvernightShare: range(0.22, 0.63),
} as const;

/**
 * How far a generated 20-year world may stray from the real values, and why: one world is one draw,
 * and the real windows themselves differ by about as much.
 */
export const TOLERANCE = {
  /** Volatility per regime: within the real range divided or multiplied by this factor. */
  volatilityFactor: 1.25,
  /** Regime shares (pooled over worlds): this much either side (crises: CRISIS_SHARE). */
  share: 0.1,
  crisisShare: 0.05,
  /** Correlations per regime and with SPY: this much either side. */
  regimeCorrelation: 0.2,
  correlation: 0.08,
  /** Single stocks: this much beyond the real range. */
  singleStockCorrelation: 0.1,
  /**
   * Largest 60-session rise and fall: this much beyond the real range. The two real windows differ by
   * 0.10 and 0.16; a 20-year world holds only a few crises.
   */
  largestMove: 0.12,
  /** Autocorrelation and variance ratios (pooled over worlds): this much beyond the real range. */
  autocorrelation: 0.1,
  varianceRatio: 0.12,
  /**
   * Annualised growth: this much either side. A random walk with SPY's volatility (18% a year) has a
   * 20-year annualised return with a standard deviation of 4 points; this is three of them.
   */
  annualGrowth: 0.12,
  /** Overnight share: this much either side of the fund's value, or beyond the single stocks' range. */
  overnightShare: 0.1,
  singleStockOvernightShare: 0.05,
} as const;

// ---- measurement -------------------------------------------------------------------------------

export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample variance (n - 1). */
export function variance(xs: readonly number[]): number {
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return s / (xs.length - 1);
}

export function standardDeviation(xs: readonly number[]): number {
  return Math.sqrt(variance(xs));
}

/** Pearson correlation of two equally long series. Throws a RangeError on different lengths. */
export function correlation(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError(`correlation of ${a.length} and ${b.length} values`);
  const ma = mean(a);
  const mb = mean(b);
  let c = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < a.length; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    c += da * db;
    va += da * da;
    vb += db * db;
  }
  return c / Math.sqrt(va * vb);
}

/** Log returns close to close: element i is log(closes[i + 1] / closes[i]). */
export function logReturns(closes: readonly number[]): number[] {
  const out = new Array<number>(Math.max(0, closes.length - 1));
  for (let i = 1; i < closes.length; i++) out[i - 1] = Math.log(closes[i]! / closes[i - 1]!);
  return out;
}

/** The largest simple rise and fall from one close to the close `sessions` later. */
export function largestMoves(closes: readonly number[], sessions: number): { rise: number; fall: number } {
  let rise = Number.NEGATIVE_INFINITY;
  let fall = Number.POSITIVE_INFINITY;
  for (let i = 0; i + sessions < closes.length; i++) {
    const move = closes[i + sessions]! / closes[i]! - 1;
    if (move > rise) rise = move;
    if (move < fall) fall = move;
  }
  return { rise, fall };
}

/**
 * Variance of overlapping `sessions`-session log returns over `sessions` times the variance of daily
 * ones (Lo and MacKinlay, 1988): 1 for a random walk, below 1 when moves are partly given back.
 */
export function varianceRatio(closes: readonly number[], sessions: number): number {
  const daily = logReturns(closes);
  const long: number[] = [];
  for (let i = sessions; i < closes.length; i++) long.push(Math.log(closes[i]! / closes[i - sessions]!));
  return variance(long) / (sessions * variance(daily));
}

/**
 * Share of the daily variance that happens overnight: var(log(open_t / close_t-1)) over that plus
 * var(log(close_t / open_t)), from each session's open and close (same length, oldest first).
 */
export function overnightShare(opens: readonly number[], closes: readonly number[]): number {
  const gaps: number[] = [];
  const sessions: number[] = [];
  for (let i = 1; i < closes.length; i++) {
    gaps.push(Math.log(opens[i]! / closes[i - 1]!));
    sessions.push(Math.log(closes[i]! / opens[i]!));
  }
  const g = variance(gaps);
  return g / (g + variance(sessions));
}

/** Lag-1 autocorrelation of `returns` over consecutive pairs whose both days satisfy `keep`. */
export function lag1Autocorrelation(returns: readonly number[], keep: (i: number) => boolean): number {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 1; i < returns.length; i++) {
    if (keep(i - 1) && keep(i)) {
      a.push(returns[i - 1]!);
      b.push(returns[i]!);
    }
  }
  return correlation(a, b);
}

/** The VIX bucket a session belongs to, from the previous session's VIX close. */
export function vixRegime(previousVixClose: number): Regime {
  if (previousVixClose < VIX_CALM_BELOW) return 'calm';
  if (previousVixClose > VIX_CRISIS_ABOVE) return 'crisis';
  return 'trending';
}

/** Annualised log growth of a close series (SESSIONS_PER_YEAR sessions a year). */
export function annualGrowth(closes: readonly number[]): number {
  return Math.log(closes.at(-1)! / closes[0]!) / ((closes.length - 1) / SESSIONS_PER_YEAR);
}
