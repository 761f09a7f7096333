import { describe, expect, it } from 'vitest';
import { bridgeMax, bridgeMin, intradayProfile } from './intraday';

function mean(a: ArrayLike<number>, from = 0, to = a.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i]!;
  return s / (to - from);
}

describe('intradayProfile', () => {
  it('keeps the session variance and the mean volume whatever the session length', () => {
    for (const minutes of [1, 30, 210, 390, 1440]) {
      const p = intradayProfile(minutes);
      let squares = 0;
      for (const w of p.sd) squares += w * w;
      expect(squares).toBeCloseTo(1, 12);
      expect(mean(p.volume)).toBeCloseTo(1, 12);
    }
  });

  it('is U-shaped for a regular and an early-close session', () => {
    for (const minutes of [390, 210]) {
      const p = intradayProfile(minutes);
      const n = Math.round(minutes / 13);
      const lunch = Math.floor(minutes / 2);
      expect(mean(p.volume, 0, n)).toBeGreaterThan(1.8 * mean(p.volume, lunch, lunch + n));
      expect(mean(p.volume, minutes - n)).toBeGreaterThan(1.8 * mean(p.volume, lunch, lunch + n));
      expect(mean(p.sd, 0, n)).toBeGreaterThan(1.5 * mean(p.sd, lunch, lunch + n));
      expect(mean(p.sd, minutes - n)).toBeGreaterThan(mean(p.sd, lunch, lunch + n));
      expect(p.trades[0]).toBeGreaterThan(p.trades[lunch]!);
    }
  });

  it('rejects sessions without minutes', () => {
    expect(() => intradayProfile(0)).toThrow(RangeError);
  });
});

describe('bridge extremes', () => {
  it('stay outside the end points, and grow with the variance', () => {
    for (const end of [-0.01, 0, 0.02]) {
      for (const u of [1e-9, 0.3, 1]) {
        expect(bridgeMax(end, 1e-4, u)).toBeGreaterThanOrEqual(Math.max(0, end));
        expect(bridgeMin(end, 1e-4, u)).toBeLessThanOrEqual(Math.min(0, end));
      }
      expect(bridgeMax(end, 4e-4, 0.5)).toBeGreaterThan(bridgeMax(end, 1e-4, 0.5));
    }
  });

  it('matches the known mean range of a Brownian bridge', () => {
    // For a bridge from 0 to 0 with variance 1, E[max] = sqrt(pi/8) ~ 0.6267.
    let sum = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) sum += bridgeMax(0, 1, (i + 0.5) / n);
    expect(sum / n).toBeCloseTo(Math.sqrt(Math.PI / 8), 3);
  });
});
