import { describe, expect, it } from 'vitest';
import { RateMeter } from './rate-meter';

describe('RateMeter', () => {
  it('reports the mean rate of the last complete seconds, excluding the current one', () => {
    const meter = new RateMeter(5);
    for (let s = 0; s < 5; s++) meter.record(s * 1000 + 10, 100);
    meter.record(5_500, 999); // the current, incomplete second must not count yet
    expect(meter.perSecond(5_600)).toBe(100);
  });

  it('forgets counts older than the window, so a stalled feed shows 0/s', () => {
    const meter = new RateMeter(5);
    meter.record(1_000, 50);
    expect(meter.perSecond(2_000)).toBe(10);
    expect(meter.perSecond(30_000)).toBe(0);
  });

  it('reuses ring slots without leaking counts from a previous lap', () => {
    const meter = new RateMeter(2);
    meter.record(0, 7);
    meter.record(3_000, 1); // same slot as second 0 in a ring of 3
    expect(meter.perSecond(4_000)).toBe(0.5);
  });
});
