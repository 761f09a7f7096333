/**
 * The symbols of the demo market and their statistical character.
 *
 * Returns follow a factor model: a symbol's daily log return is
 *   loadings.market * market + loadings.rates * rates + loadings.gold * gold
 *   + loadings.sector * (its sector factor) + idiosyncratic noise,
 * each factor with the daily volatility in FACTOR_VOLS (scaled per regime, see regimes.ts).
 *
 * Calibration (from the daily ETF history 2005-2021 in ../shared/data/daily and the 2025-26 minute bars
 * in ../shared/data/intraday; stylised-facts.ts holds the values the tests check, with their source):
 * - daily vol, full sample: SPY 1.22%, QQQ 1.33%, TLT 0.89%, GLD 1.14%, XLK 1.36%, XLF 1.96%, XLE 1.95%;
 *   in calm markets (VIX < 18) SPY 0.61%, QQQ 0.81%, XLF 0.83%, XLE 1.21%; in crises (VIX > 30) 2.5-3x.
 * - correlation with SPY, whole period: QQQ 0.91, XLK 0.92, XLF 0.85, XLE 0.78, TLT -0.41, GLD 0.04;
 *   calm / crisis: QQQ 0.87 / 0.95, XLF 0.81 / 0.87, XLE 0.58 / 0.90. TLT-GLD ~0.15.
 * - overnight share of daily variance: SPY 0.39, QQQ 0.34, XLK 0.39, XLF 0.36, XLE 0.35, TLT 0.46,
 *   GLD 0.51 (the share set below is a little lower than the measured one: intraday jumps add to the
 *   session part).
 * - minute volume, recent regular sessions: SPY ~100k shares, QQQ ~80k, NVDA ~250k, XLF ~70k.
 * Single stocks: NVDA's minute file (2025-26) gives a daily vol of 2.3%, a correlation with SPY of 0.65
 * and an overnight share of 0.35; AVGO, GS and META give correlations of 0.37-0.69. AAPL and JPM have
 * no file; their figures are typical published ones (daily vol ~1.7%, a correlation with SPY of about
 * 0.6-0.7, a handful of earnings-size jumps a year). Each stock correlates with SPY less than its
 * sector fund does (own noise and jumps), so its chart has a shape of its own.
 */
import type { SymbolInfo } from '../../../shared/domain';

/** The common factors, in the order the model stores them. */
export const FACTORS = ['market', 'rates', 'gold', 'technology', 'financials', 'energy'] as const;
export type Factor = (typeof FACTORS)[number];
export const SECTORS = ['technology', 'financials', 'energy'] as const;
export type Sector = (typeof SECTORS)[number];

/**
 * Daily volatility of each factor at regime multiplier 1 ('trending'). `rates` is the return of a
 * long Treasury bond (TLT loads 1 on it), not a yield: it rises when yields fall. Sector factors are
 * what a sector does beyond the market.
 */
export const FACTOR_VOLS: Readonly<Record<Factor, number>> = {
  market: 0.0095,
  rates: 0.0085,
  gold: 0.011,
  technology: 0.005,
  financials: 0.009,
  energy: 0.011,
};

export interface SyntheticSymbolSpec extends SymbolInfo {
  /** A fresh world's first price. */
  readonly startPrice: number;
  /** Loadings of the daily log return on the common factors. */
  readonly loadings: {
    readonly market: number;
    readonly rates: number;
    readonly gold: number;
    /** On the symbol's own sector factor; ignored when `sector` is null. */
    readonly sector: number;
  };
  readonly sector: Sector | null;
  /** Daily volatility of the symbol's own noise, at regime multiplier 1. */
  readonly idioVol: number;
  /** Share of the daily variance realised overnight (the gap at the open); the rest is intraday. */
  readonly overnightShare: number;
  /** Average shares per regular-session minute in a 'trending' (normal) market. */
  readonly minuteVolume: number;
  /** Typical trades per minute at midday; more near the open and the close. */
  readonly tradesPerMinute: number;
  /** Own jumps (earnings, news) per year of 252 sessions; 0 for funds. */
  readonly jumpsPerYear: number;
  /** Standard deviation of an own jump's log size. */
  readonly jumpVol: number;
}

const noJumps = { jumpsPerYear: 0, jumpVol: 0 } as const;

export const DEFAULT_UNIVERSE: readonly SyntheticSymbolSpec[] = [
  {
    symbol: 'SPY',
    name: 'SPDR S&P 500 ETF Trust',
    kind: 'index-etf',
    startPrice: 660,
    loadings: { market: 1, rates: 0, gold: 0, sector: 0 },
    sector: null,
    idioVol: 0.0008,
    overnightShare: 0.38,
    minuteVolume: 90_000,
    tradesPerMinute: 45,
    ...noJumps,
  },
  {
    symbol: 'QQQ',
    name: 'Invesco QQQ Trust (Nasdaq-100)',
    kind: 'index-etf',
    startPrice: 590,
    loadings: { market: 1.05, rates: 0, gold: 0, sector: 1 },
    sector: 'technology',
    idioVol: 0.0015,
    overnightShare: 0.35,
    minuteVolume: 75_000,
    tradesPerMinute: 42,
    ...noJumps,
  },
  {
    symbol: 'TLT',
    name: 'iShares 20+ Year Treasury Bond ETF',
    kind: 'bond-etf',
    startPrice: 88,
    loadings: { market: 0, rates: 1, gold: 0, sector: 0 },
    sector: null,
    idioVol: 0.001,
    overnightShare: 0.46,
    minuteVolume: 40_000,
    tradesPerMinute: 28,
    ...noJumps,
  },
  {
    symbol: 'GLD',
    name: 'SPDR Gold Shares',
    kind: 'commodity-etf',
    startPrice: 380,
    loadings: { market: 0, rates: 0, gold: 1, sector: 0 },
    sector: null,
    idioVol: 0.001,
    // Gold trades around the clock elsewhere: half its daily move happens while New York sleeps.
    overnightShare: 0.5,
    minuteVolume: 25_000,
    tradesPerMinute: 28,
    ...noJumps,
  },
  {
    symbol: 'XLK',
    name: 'Technology Select Sector SPDR Fund',
    kind: 'sector-etf',
    startPrice: 140,
    loadings: { market: 1.05, rates: 0, gold: 0, sector: 1.2 },
    sector: 'technology',
    idioVol: 0.002,
    overnightShare: 0.4,
    minuteVolume: 30_000,
    tradesPerMinute: 25,
    ...noJumps,
  },
  {
    symbol: 'XLF',
    name: 'Financial Select Sector SPDR Fund',
    kind: 'sector-etf',
    startPrice: 50,
    // Banks gain when yields rise, i.e. when bonds fall: a small negative loading on bond returns.
    loadings: { market: 1.15, rates: -0.2, gold: 0, sector: 1 },
    sector: 'financials',
    idioVol: 0.0015,
    overnightShare: 0.37,
    minuteVolume: 80_000,
    tradesPerMinute: 32,
    ...noJumps,
  },
  {
    symbol: 'XLE',
    name: 'Energy Select Sector SPDR Fund',
    kind: 'sector-etf',
    startPrice: 90,
    loadings: { market: 1.05, rates: -0.1, gold: 0.15, sector: 1 },
    sector: 'energy',
    idioVol: 0.002,
    overnightShare: 0.36,
    minuteVolume: 50_000,
    tradesPerMinute: 28,
    ...noJumps,
  },
  {
    symbol: 'AAPL',
    name: 'Apple Inc.',
    kind: 'stock',
    startPrice: 250,
    loadings: { market: 1.15, rates: 0, gold: 0, sector: 1 },
    sector: 'technology',
    idioVol: 0.012,
    overnightShare: 0.35,
    minuteVolume: 120_000,
    tradesPerMinute: 40,
    jumpsPerYear: 4,
    jumpVol: 0.035,
  },
  {
    symbol: 'NVDA',
    name: 'NVIDIA Corporation',
    kind: 'stock',
    startPrice: 180,
    loadings: { market: 1.7, rates: 0, gold: 0, sector: 1.8 },
    sector: 'technology',
    idioVol: 0.022,
    overnightShare: 0.35,
    minuteVolume: 250_000,
    tradesPerMinute: 45,
    jumpsPerYear: 5,
    jumpVol: 0.06,
  },
  {
    symbol: 'JPM',
    name: 'JPMorgan Chase & Co.',
    kind: 'stock',
    startPrice: 300,
    loadings: { market: 1.15, rates: -0.2, gold: 0, sector: 1.3 },
    sector: 'financials',
    idioVol: 0.01,
    overnightShare: 0.35,
    minuteVolume: 25_000,
    tradesPerMinute: 28,
    jumpsPerYear: 4,
    jumpVol: 0.03,
  },
];
