/**
 * The volatility regime of one symbol's daily closes (SPY by default) and its forecast for the next
 * session: calm, normal or stressed, with probabilities.
 *
 * Definitions, with r_t = ln(close_t / close_{t−1}) the daily log return:
 * - Realised volatility now (RiskMetrics EWMA; J.P. Morgan/Reuters, "RiskMetrics — Technical Document",
 *   4th ed. 1996, §5.2, λ = 0.94 for daily data): v_t = λ·v_{t−1} + (1 − λ)·r_t², annualised
 *   σ_t = √(252·v_t).
 * - The squared return's conditional variance (GARCH(1,1), Bollerslev 1986, with variance targeting):
 *   h_{t+1} = ω + α·r_t² + β·h_t with ω = (1 − α − β)·V̄_t, V̄_t the mean of r² over all returns up to t
 *   (the long-run variance it reverts to), α = 0.08, β = 0.91: rounded from Hull's S&P 500 estimate
 *   (α = 0.0834, β = 0.9101; J. Hull, "Options, Futures, and Other Derivatives", chapter "Volatility",
 *   GARCH(1,1) example). A shock lifts it at once (α) and it decays toward V̄ at α + β = 0.99 a session.
 * - One-step-ahead forecast: next session's realised volatility in expectation, E[v_{t+1}] =
 *   λ·v_t + (1 − λ)·h_{t+1}, annualised σ̂_{t+1} = √(252·E[v_{t+1}]). It forecasts exactly the value the
 *   regime will be read from next session (on SPY 1993–2021 the log error has mean −0.002, sd 0.052).
 * - Both recursions start from the mean of the first WARMUP squared returns; rows before that are NaN.
 *   A missing close (NaN) skips the returns that need it: the variances carry over unchanged.
 * - Regimes by annualised volatility (DEFAULT_REGIME_THRESHOLDS): calm below 12 %, stressed above 25 %,
 *   normal between. Why: SPY's long-run annualised volatility is about 16–19 % (this measure averages
 *   16 % over SPY 1993–2021, calm 41 % of sessions, stressed 11 %; the VIX has averaged about 19.5 since
 *   1990); 12 % is the quiet years' level (2017, the
 *   mid-1990s), 25 % is the level of corrections and crises (VIX above 25 is the usual "fear" mark).
 * - Next regime probabilities: next session's realised volatility (the EWMA σ_{t+1}, the value the regime
 *   will then be read from) is taken as log-normal around the forecast: ln σ_{t+1} ~ N(ln σ̂_{t+1}, s²),
 *   where s is the standard deviation of this series' own past errors ln σ_{k+1} − ln σ̂_{k+1} over the
 *   last ERROR_WINDOW sessions (at least MIN_ERRORS of them, else DEFAULT_LOG_ERROR_SD), floored at
 *   MIN_LOG_ERROR_SD. P(calm) = Φ((ln 0.12 − ln σ̂)/s), P(stressed) = 1 − Φ((ln 0.25 − ln σ̂)/s).
 *
 * Pure: no I/O, no clock; the same closes give the same forecast.
 */
import { REGIMES, type Regime, type RegimeForecast } from '../../../shared/domain';

/** Trading sessions per year (annualisation). */
export const SESSIONS_PER_YEAR = 252;
/** RiskMetrics decay for daily data. */
export const EWMA_LAMBDA = 0.94;
/** GARCH(1,1) reaction and persistence (Hull's S&P 500 estimate, rounded). */
export const GARCH_ALPHA = 0.08;
export const GARCH_BETA = 0.91;
/** Squared returns averaged to start both recursions. */
export const WARMUP = 20;
/** Sessions of past forecast errors the probability spread is estimated from. */
export const ERROR_WINDOW = 250;
export const MIN_ERRORS = 20;
/**
 * The spread of ln σ_{t+1} − ln σ̂_{t+1} when the series is too short to estimate it: SPY 1993–2021 gives
 * 0.052 over the whole history (less in quiet years, more around shocks); rounded up to stay humble.
 */
export const DEFAULT_LOG_ERROR_SD = 0.08;
export const MIN_LOG_ERROR_SD = 0.01;

export interface RegimeThresholds {
  /** Annualised volatility below which the regime is calm (0.12 = 12 %). */
  calmBelow: number;
  /** Annualised volatility above which the regime is stressed. */
  stressedAbove: number;
}

export const DEFAULT_REGIME_THRESHOLDS: Readonly<RegimeThresholds> = { calmBelow: 0.12, stressedAbove: 0.25 };

/** The regime of an annualised volatility. */
export function regimeOf(
  volatility: number,
  thresholds: RegimeThresholds = DEFAULT_REGIME_THRESHOLDS,
): Regime {
  if (volatility < thresholds.calmBelow) return 'calm';
  if (volatility > thresholds.stressedAbove) return 'stressed';
  return 'normal';
}

export interface VolatilityPath {
  /** Per row, the realised (EWMA) annualised volatility after that row's return; NaN during warm-up. */
  volatility: Float64Array;
  /** Per row, the forecast (made at that row) of the next row's realised volatility; NaN during warm-up. */
  forecast: Float64Array;
}

/** The realised volatility and the one-step forecast at every row of a close series (see the module doc). */
export function volatilityPath(closes: ArrayLike<number>): VolatilityPath {
  const n = closes.length;
  const volatility = new Float64Array(n).fill(Number.NaN);
  const forecast = new Float64Array(n).fill(Number.NaN);
  let seen = 0;
  let sumSquares = 0;
  let v = Number.NaN;
  let h = Number.NaN;
  for (let t = 1; t < n; t++) {
    const now = closes[t]!;
    const then = closes[t - 1]!;
    if (Number.isFinite(now) && Number.isFinite(then) && now > 0 && then > 0) {
      const r2 = Math.log(now / then) ** 2;
      seen++;
      sumSquares += r2;
      if (seen === WARMUP) {
        v = sumSquares / WARMUP;
        h = v;
      } else if (seen > WARMUP) {
        v = EWMA_LAMBDA * v + (1 - EWMA_LAMBDA) * r2;
        // h is h_t (the forecast made at t − 1 for t); the update gives h_{t+1}.
        const longRun = sumSquares / seen;
        h = (1 - GARCH_ALPHA - GARCH_BETA) * longRun + GARCH_ALPHA * r2 + GARCH_BETA * h;
      }
    }
    if (seen >= WARMUP) {
      volatility[t] = Math.sqrt(SESSIONS_PER_YEAR * v);
      // Next session's EWMA in expectation: E[v_{t+1}] = λ·v_t + (1 − λ)·h_{t+1}.
      forecast[t] = Math.sqrt(SESSIONS_PER_YEAR * (EWMA_LAMBDA * v + (1 - EWMA_LAMBDA) * h));
    }
  }
  return { volatility, forecast };
}

/**
 * Standard normal CDF Φ(x), from the complementary error function with Abramowitz & Stegun 7.1.26
 * (absolute error below 1.5e−7).
 */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erfc = poly * Math.exp(-z * z);
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** The spread s of ln σ_{k+1} − ln σ̂_{k+1} over the ERROR_WINDOW sessions before `row` (see the module doc). */
function logErrorSd(path: VolatilityPath, row: number): number {
  let count = 0;
  let sum = 0;
  let squares = 0;
  for (let k = Math.max(0, row - ERROR_WINDOW); k < row; k++) {
    const realised = path.volatility[k + 1]!;
    const predicted = path.forecast[k]!;
    if (!(realised > 0) || !(predicted > 0)) continue;
    const e = Math.log(realised / predicted);
    count++;
    sum += e;
    squares += e * e;
  }
  if (count < MIN_ERRORS) return DEFAULT_LOG_ERROR_SD;
  const mean = sum / count;
  const sd = Math.sqrt(Math.max(0, squares / count - mean * mean));
  return Math.max(MIN_LOG_ERROR_SD, sd);
}

export interface RegimeForecastOptions {
  /** The row to read at (default the last). */
  row?: number;
  thresholds?: RegimeThresholds;
}

/**
 * The regime at row `row` (default the last) of one symbol's daily closes and its forecast for the next
 * session, as the contract's RegimeForecast; `barStarts[row]` is its barStart. Reads rows ≤ row only.
 * Null when the row has no estimate yet (fewer than WARMUP returns up to it).
 * @throws RangeError when closes and barStarts differ in length or the row is outside them.
 */
export function forecastRegime(
  closes: ArrayLike<number>,
  barStarts: ArrayLike<number>,
  options: RegimeForecastOptions = {},
): RegimeForecast | null {
  if (closes.length !== barStarts.length) {
    throw new RangeError(`forecastRegime: ${closes.length} closes but ${barStarts.length} bar starts`);
  }
  const row = options.row ?? closes.length - 1;
  if (!Number.isInteger(row) || row < 0 || row >= closes.length) {
    throw new RangeError(`forecastRegime: row ${row} is outside the ${closes.length} closes`);
  }
  const thresholds = options.thresholds ?? DEFAULT_REGIME_THRESHOLDS;
  // Only rows ≤ row are read: the recursion runs forward, so slicing changes nothing before the row.
  const path = volatilityPath(Array.prototype.slice.call(closes, 0, row + 1) as number[]);
  const volatility = path.volatility[row]!;
  const forecastVolatility = path.forecast[row]!;
  if (!Number.isFinite(volatility) || !Number.isFinite(forecastVolatility)) return null;
  const next = regimeProbabilities(forecastVolatility, logErrorSd(path, row), thresholds);
  let best = 0;
  for (let k = 1; k < next.length; k++) if (next[k]! > next[best]!) best = k;
  return {
    barStart: barStarts[row]!,
    current: regimeOf(volatility, thresholds),
    volatility,
    forecastVolatility,
    next,
    nextRegime: REGIMES[best]!,
  };
}

/**
 * P(calm), P(normal), P(stressed) (REGIMES order, summing to 1) when ln σ ~ N(ln forecast, sd²).
 * A zero forecast is calm with certainty.
 */
export function regimeProbabilities(
  forecast: number,
  sd: number,
  thresholds: RegimeThresholds = DEFAULT_REGIME_THRESHOLDS,
): number[] {
  if (!(forecast > 0)) return [1, 0, 0];
  const mu = Math.log(forecast);
  const calm = normalCdf((Math.log(thresholds.calmBelow) - mu) / sd);
  const stressed = 1 - normalCdf((Math.log(thresholds.stressedAbove) - mu) / sd);
  const normal = Math.max(0, 1 - calm - stressed);
  const total = calm + normal + stressed;
  return [calm / total, normal / total, stressed / total];
}
