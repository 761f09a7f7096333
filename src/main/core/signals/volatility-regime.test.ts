import { describe, expect, it } from 'vitest';
import { REGIMES, RegimeForecastSchema } from '../../../shared/domain';
import { Random } from '../synthetic/random';
import {
  DEFAULT_LOG_ERROR_SD,
  forecastRegime,
  normalCdf,
  regimeOf,
  regimeProbabilities,
  volatilityPath,
  WARMUP,
} from './volatility-regime';

const DAY = 86_400_000;

/** Closes from daily log returns drawn with sd sd(t) (normal, from the seeded generator). */
function closesWith(sd: (t: number) => number, n: number, seed = 7): Float64Array {
  const rng = Random.fromSeed(seed);
  const out = new Float64Array(n);
  out[0] = 100;
  for (let t = 1; t < n; t++) {
    out[t] = out[t - 1]! * Math.exp(sd(t) * rng.normal());
  }
  return out;
}

const starts = (n: number) => Float64Array.from({ length: n }, (_, t) => t * DAY);
const annual = (daily: number) => daily * Math.sqrt(252);

describe('volatility regime', () => {
  it('reads a calm series as calm, now and next session, with probabilities summing to 1', () => {
    const closes = closesWith(() => 0.004, 300); // ≈ 6.3 % a year
    const forecast = forecastRegime(closes, starts(300))!;
    expect(RegimeForecastSchema.parse(forecast)).toEqual(forecast);
    expect(forecast.current).toBe('calm');
    expect(forecast.nextRegime).toBe('calm');
    expect(forecast.volatility).toBeGreaterThan(annual(0.004) * 0.6);
    expect(forecast.volatility).toBeLessThan(annual(0.004) * 1.4);
    expect(forecast.next.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(forecast.next[0]).toBeGreaterThan(0.99);
    expect(forecast.barStart).toBe(299 * DAY);
  });

  it('turns stressed in a volatility burst, the forecast rising at once and decaying after it', () => {
    // Calm for 200 sessions, a burst at 3 % a day (≈ 48 % a year) for 15, then calm again.
    const sd = (t: number) => (t >= 200 && t < 215 ? 0.03 : 0.005);
    const closes = closesWith(sd, 320);
    const path = volatilityPath(closes);
    const at = (row: number) => forecastRegime(closes, starts(320), { row })!;
    expect(at(199).current).toBe('calm');
    expect(at(214).current).toBe('stressed');
    expect(at(214).nextRegime).toBe('stressed');
    expect(at(214).next[2]).toBeGreaterThan(0.9);
    // It leads: the forecast is above the calm level right in the burst's first sessions…
    expect(path.forecast[203]!).toBeGreaterThan(path.forecast[199]! * 1.5);
    // …and decays once the burst is over, back toward calm.
    const after = [215, 235, 255, 275, 319].map((t) => path.forecast[t]!);
    after.slice(1).forEach((f, k) => expect(f).toBeLessThan(after[k]!));
    expect(after[4]!).toBeLessThan(after[0]! / 2);
    expect(at(319).current).not.toBe('stressed');
  });

  it('gives a row the same answer whatever comes after it', () => {
    const closes = closesWith((t) => (t > 150 ? 0.02 : 0.008), 260);
    const row = 150;
    const early = forecastRegime(closes.slice(0, row + 1), starts(row + 1));
    expect(forecastRegime(closes, starts(260), { row })).toEqual(early);
  });

  it('answers null during warm-up, and carries over a missing close', () => {
    const closes = closesWith(() => 0.01, 60);
    expect(forecastRegime(closes, starts(60), { row: WARMUP - 1 })).toBeNull();
    expect(forecastRegime(closes, starts(60), { row: WARMUP })).not.toBeNull();
    const gappy = Float64Array.from(closes);
    gappy[40] = Number.NaN;
    const path = volatilityPath(gappy);
    expect(path.volatility[40]).toBe(path.volatility[39]);
    expect(path.volatility[41]).toBe(path.volatility[39]);
    expect(Number.isFinite(path.volatility[42]!)).toBe(true);
    expect(() => forecastRegime(closes, starts(59))).toThrow(RangeError);
    expect(() => forecastRegime(closes, starts(60), { row: 60 })).toThrow(RangeError);
  });

  it('puts the thresholds at 12 % and 25 %', () => {
    expect(regimeOf(0.119)).toBe('calm');
    expect(regimeOf(0.12)).toBe('normal');
    expect(regimeOf(0.25)).toBe('normal');
    expect(regimeOf(0.251)).toBe('stressed');
    expect(regimeOf(0.2, { calmBelow: 0.25, stressedAbove: 0.4 })).toBe('calm');
  });

  it('spreads the probabilities by the log error: half and half at a threshold', () => {
    const p = regimeProbabilities(0.25, DEFAULT_LOG_ERROR_SD);
    expect(p[2]).toBeCloseTo(0.5, 6);
    expect(p[1]).toBeCloseTo(0.5, 6);
    const wide = regimeProbabilities(0.18, 1);
    expect(wide.every((q) => q > 0.1)).toBe(true);
    expect(regimeProbabilities(0, 0.1)).toEqual([1, 0, 0]);
    expect(REGIMES).toEqual(['calm', 'normal', 'stressed']);
  });

  it('computes Φ to 1e−7', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963985)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655254, 6);
  });
});
