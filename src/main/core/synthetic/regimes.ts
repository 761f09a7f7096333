/**
 * Market regimes of the demo market: a Markov chain stepped once per session.
 *
 * - calm: low volatility, a steady small up-drift, stocks and bonds nearly uncorrelated.
 * - trending: normal volatility and a persistent drift, up or down (drawn when the trend starts).
 * - crisis: rare and short; volatility 2.5x, correlations up (the market factor's volatility grows more
 *   than sector and own noise, so stocks move together), negative drift, frequent fat downward jumps,
 *   and a flight to quality: bonds and gold rally and correlate negatively with stocks.
 *
 * Calibration: SPY's daily vol is ~0.6% with VIX < 18 and ~3% with VIX > 30 (2005-2021), VIX was above
 * 30 on 9% of days (that period holds 2008 and 2020; the chain here gives ~6%). SPY-TLT correlation was
 * -0.23 in calm markets and -0.50 in crises; calm uses -0.1, since the calm-market stock-bond correlation
 * changes sign across decades (positive before 2000 and again from 2022) while the crisis one does not. Stationary shares of this chain: calm 61%, trending 32%,
 * crisis 6%; mean stays: 33, 18 and 10 sessions. Long-run SPY drift about +7% a year.
 */

export const REGIMES = ['calm', 'trending', 'crisis'] as const;
export type Regime = (typeof REGIMES)[number];

export interface RegimeParams {
  /** Daily log drift of the market, bond (rates) and gold factors. In 'trending' the market's sign is the trend's. */
  readonly drift: { readonly market: number; readonly rates: number; readonly gold: number };
  /** Multipliers on the factor and own volatilities. */
  readonly vol: {
    readonly market: number;
    readonly rates: number;
    readonly gold: number;
    readonly sector: number;
    readonly idio: number;
  };
  /** Correlations between the market, bond and gold factors (sector factors are independent). */
  readonly correlation: {
    readonly marketRates: number;
    readonly marketGold: number;
    readonly ratesGold: number;
  };
  /** Market-wide jumps: expected number per session and the normal law of their log size. */
  readonly marketJumps: { readonly perSession: number; readonly mean: number; readonly vol: number };
  /** Bond factor move per unit of market jump: negative is a flight to quality. */
  readonly bondJumpResponse: number;
  /** Multipliers on single-stock jump frequency and size. */
  readonly ownJumps: { readonly frequency: number; readonly size: number };
  /** Multiplier on traded volume. */
  readonly volume: number;
}

export const REGIME_PARAMS: Readonly<Record<Regime, RegimeParams>> = {
  calm: {
    drift: { market: 0.0007, rates: 0.00003, gold: 0.0002 },
    vol: { market: 0.75, rates: 0.85, gold: 0.9, sector: 0.85, idio: 0.85 },
    correlation: { marketRates: -0.1, marketGold: 0.05, ratesGold: 0.2 },
    marketJumps: { perSession: 0.01, mean: -0.002, vol: 0.01 },
    bondJumpResponse: -0.1,
    ownJumps: { frequency: 1, size: 1 },
    volume: 0.9,
  },
  trending: {
    drift: { market: 0.0015, rates: 0, gold: 0.0002 },
    vol: { market: 1, rates: 1, gold: 1, sector: 1, idio: 1 },
    correlation: { marketRates: -0.3, marketGold: 0, ratesGold: 0.2 },
    marketJumps: { perSession: 0.03, mean: -0.003, vol: 0.012 },
    bondJumpResponse: -0.15,
    ownJumps: { frequency: 1, size: 1 },
    volume: 1.1,
  },
  crisis: {
    drift: { market: -0.003, rates: 0.0008, gold: 0.0006 },
    vol: { market: 2.6, rates: 1.6, gold: 1.5, sector: 1.6, idio: 1.7 },
    correlation: { marketRates: -0.6, marketGold: -0.05, ratesGold: 0.25 },
    marketJumps: { perSession: 0.25, mean: -0.005, vol: 0.025 },
    bondJumpResponse: -0.35,
    ownJumps: { frequency: 2, size: 1.5 },
    volume: 1.8,
  },
};

/** Probability that a trend which starts is an up-trend. */
export const TREND_UP_PROBABILITY = 0.7;

/** Row: this session's regime; columns: next session's regime, in REGIMES order. Rows sum to 1. */
export const REGIME_TRANSITIONS: Readonly<Record<Regime, readonly [number, number, number]>> = {
  calm: [0.97, 0.025, 0.005],
  trending: [0.045, 0.945, 0.01],
  crisis: [0.06, 0.04, 0.9],
};

/** The next regime for a uniform draw `u` in [0, 1). */
export function nextRegime(current: Regime, u: number): Regime {
  const row = REGIME_TRANSITIONS[current];
  if (u < row[0]) return 'calm';
  if (u < row[0] + row[1]) return 'trending';
  return 'crisis';
}

/**
 * Lower-triangular Cholesky factor (row-major, 3x3) of the market/rates/gold correlation matrix:
 * multiplying three independent normals by it gives the regime's correlated factor shocks.
 */
export function factorCholesky(c: RegimeParams['correlation']): Float64Array {
  const l00 = 1;
  const l10 = c.marketRates;
  const l11 = Math.sqrt(1 - l10 * l10);
  const l20 = c.marketGold;
  const l21 = (c.ratesGold - l20 * l10) / l11;
  const l22 = Math.sqrt(1 - l20 * l20 - l21 * l21);
  if (!Number.isFinite(l22))
    throw new RangeError('regime correlations do not form a valid correlation matrix');
  return Float64Array.of(l00, 0, 0, l10, l11, 0, l20, l21, l22);
}
