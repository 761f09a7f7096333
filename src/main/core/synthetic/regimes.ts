/**
 * Market regimes of the demo market: a Markov chain stepped once per session, decided before the
 * session (like the VIX a trader sees at the open).
 *
 * - calm: low volatility and a steady up-drift; stocks and bonds mildly negatively correlated.
 * - trending: normal volatility and a drift up or down (drawn when the trend starts, up 7 times in 10).
 * - crisis: volatility about 2.5x, opened by a crash (a market-wide jump of about -3%); correlations up
 *   (the market factor's volatility grows more than sector and own noise, so stocks move together),
 *   fat two-sided jumps, a slight down-drift, panics that overreact (a session gives back 12% of the
 *   previous session's market move), and a flight to quality: bonds rally when stocks fall.
 *
 * Calibration (stylised-facts.ts has the real values and their source; stylised-facts.test.ts checks
 * 20-year seeded worlds against them): regimes are matched with VIX buckets by the previous session's
 * close (calm < 18, trending 18-30, crisis > 30), where SPY's daily volatility was 0.66%, 1.2% and
 * 2.0-3.0% (1993-2021) and the SPY-TLT correlation -0.26, -0.49 and -0.48 (2005-2021; it changes sign
 * across decades in calm markets, not in stress). The market spent 42-59% of sessions calm, 32-50%
 * trending and 8.5-9% in crisis, about 2 crisis spells a year of about 10 sessions each. This chain's
 * stationary shares are 62%, 30% and 8% with mean stays of 38, 17 and 10 sessions. Drifts were tuned
 * with the rest of the model (volatility feedback, mean reversion; see market.ts) to SPY's long-run
 * growth of about 10% a year and its largest 60-session rise and fall (+30 to +40%, -25 to -41%).
 */

export const REGIMES = ['calm', 'trending', 'crisis'] as const;
export type Regime = (typeof REGIMES)[number];

export interface RegimeParams {
  /** Daily log drift of the market, bond (rates) and gold factors. In 'trending' the market's sign is the trend's. */
  readonly drift: { readonly market: number; readonly rates: number; readonly gold: number };
  /** Multipliers on the factor and own volatilities (the market's sets each regime's SPY volatility). */
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
  /**
   * Share of a session's market shock (diffusive and jumps) that the next session gives back: an MA(1)
   * term, so that lag-1 autocorrelation is about -reversal. Real markets overreact in panics.
   */
  readonly reversal: number;
  /** A market-wide jump on the first session of the regime (the crash that starts a crisis), or null. */
  readonly onsetJump: { readonly mean: number; readonly vol: number } | null;
  /** Multipliers on single-stock jump frequency and size. */
  readonly ownJumps: { readonly frequency: number; readonly size: number };
  /** Multiplier on traded volume. */
  readonly volume: number;
}

export const REGIME_PARAMS: Readonly<Record<Regime, RegimeParams>> = {
  calm: {
    drift: { market: 0.001, rates: 3e-5, gold: 0.0002 },
    vol: { market: 0.7, rates: 0.85, gold: 0.9, sector: 0.85, idio: 0.85 },
    correlation: { marketRates: -0.25, marketGold: 0.08, ratesGold: 0.2 },
    marketJumps: { perSession: 0.01, mean: -0.002, vol: 0.01 },
    bondJumpResponse: -0.1,
    reversal: 0,
    onsetJump: null,
    ownJumps: { frequency: 1, size: 1 },
    volume: 0.9,
  },
  trending: {
    drift: { market: 0.0008, rates: 0, gold: 0.0002 },
    vol: { market: 1.15, rates: 1, gold: 1, sector: 1, idio: 1 },
    correlation: { marketRates: -0.5, marketGold: 0.08, ratesGold: 0.15 },
    marketJumps: { perSession: 0.03, mean: -0.003, vol: 0.012 },
    bondJumpResponse: -0.15,
    reversal: 0,
    onsetJump: null,
    ownJumps: { frequency: 1, size: 1 },
    volume: 1.1,
  },
  crisis: {
    drift: { market: -0.001, rates: 0.0002, gold: 0.0005 },
    vol: { market: 2.7, rates: 1.6, gold: 1.5, sector: 1.6, idio: 1.7 },
    correlation: { marketRates: -0.45, marketGold: 0.03, ratesGold: 0.2 },
    marketJumps: { perSession: 0.2, mean: 0, vol: 0.025 },
    bondJumpResponse: -0.25,
    reversal: 0.12,
    onsetJump: { mean: -0.03, vol: 0.015 },
    ownJumps: { frequency: 2, size: 1.5 },
    volume: 1.8,
  },
};

/** Probability that a trend which starts is an up-trend. */
export const TREND_UP_PROBABILITY = 0.7;

/** Row: this session's regime; columns: next session's regime, in REGIMES order. Rows sum to 1. */
export const REGIME_TRANSITIONS: Readonly<Record<Regime, readonly [number, number, number]>> = {
  calm: [0.974, 0.022, 0.004],
  trending: [0.04, 0.94, 0.02],
  crisis: [0.05, 0.05, 0.9],
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
