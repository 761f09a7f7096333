import { describe, expect, it } from 'vitest';
import { sampleBar } from '../../shared/test-support/sample-bar';
import { barChange, legendBarAt, legendBarStarting, newestLegendBar } from './legend-bar';

const MINUTE = 60_000;
const T0 = Date.UTC(2025, 2, 14, 14, 30);

// A gap up: the second bar opens above the first's close and closes below its own open, yet it is up
// on the day-trader's reading (close vs previous close).
const series = [
  sampleBar({ start: T0, open: 100, close: 101, volume: 1_000 }),
  sampleBar({ start: T0 + MINUTE, open: 104, close: 102.5, volume: 2_500 }),
  sampleBar({ start: T0 + 2 * MINUTE, open: 102.5, close: 99.425, volume: 4_000 }),
];

describe('the legend change', () => {
  it('reads the change from the previous bar close, not the bar own open', () => {
    const second = legendBarAt(series, 1);
    expect(second?.previousClose).toBe(101);
    const change = barChange(second!);
    expect(change?.amount).toBeCloseTo(1.5, 10);
    expect(change?.fraction).toBeCloseTo(1.5 / 101, 12);
    // The candle itself is down (102.5 < 104 open); the change is up.
    expect(change!.amount).toBeGreaterThan(0);

    const third = barChange(newestLegendBar(series)!);
    expect(third?.amount).toBeCloseTo(-3.075, 10);
    expect(third?.fraction).toBeCloseTo(-0.03, 12);
  });

  it('shows no change for the first bar of a series', () => {
    const first = legendBarAt(series, 0);
    expect(first?.previousClose).toBeNull();
    expect(barChange(first!)).toBeNull();
  });

  it('has no bar for an empty series or an index outside it', () => {
    expect(newestLegendBar([])).toBeNull();
    expect(legendBarAt(series, 3)).toBeNull();
  });
});

describe('the hovered bar after a symbol switch', () => {
  const previousSymbol = [
    sampleBar({ symbol: 'QQQ', start: T0 - 10 * MINUTE, close: 400, open: 400, volume: 9 }),
    sampleBar({ symbol: 'QQQ', start: T0 - 9 * MINUTE, close: 401, open: 400, volume: 8 }),
  ];

  it("takes the hovered bar's values, volume included, from the new series", () => {
    const hovered = legendBarStarting(series, T0 + 2 * MINUTE);
    expect(hovered).toEqual({
      start: T0 + 2 * MINUTE,
      open: 102.5,
      high: 102.5,
      low: 99.425,
      close: 99.425,
      volume: 4_000,
      previousClose: 102.5,
    });
  });

  it('has no hovered bar where the crosshair still points at the old series, so the newest bar shows', () => {
    // The chart reports a time of the previous symbol's data before the mouse moves.
    expect(legendBarStarting(series, previousSymbol[1]!.start)).toBeNull();
    expect(legendBarStarting([], T0)).toBeNull();
    // Between two bars (a time the series does not hold) is no bar either.
    expect(legendBarStarting(series, T0 + MINUTE / 2)).toBeNull();
    expect(newestLegendBar(series)?.volume).toBe(4_000);
  });
});
