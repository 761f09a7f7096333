import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../shared/domain';
import { sampleBar } from '../../shared/test-support/sample-bar';
import { SeriesBars, barsToTrim, type LivePlan } from './series-bars';

const MINUTE = 60_000;
const NINE_THIRTY = Date.UTC(2025, 2, 14, 13, 30);
const five = (index: number, close = 100): Bar =>
  sampleBar({ timeframe: '5m', start: NINE_THIRTY + index * 5 * MINUTE, close, closed: true });
const minute = (index: number, close = 100): Bar => sampleBar({ start: index * MINUTE, close });

/**
 * A series with lightweight-charts 5's update rules (ISeriesApi.update): without `historical` a point
 * may only extend or replace the newest; with it, only an existing past point may be replaced.
 */
class FakeSeries {
  points: { time: number; close: number }[] = [];
  setDataCalls = 0;

  setData(bars: readonly Bar[]): void {
    this.setDataCalls += 1;
    this.points = bars.map((bar) => ({ time: bar.start, close: bar.close }));
  }

  update(bar: Bar, historical: boolean): void {
    const last = this.points[this.points.length - 1];
    const point = { time: bar.start, close: bar.close };
    if (!historical) {
      if (last !== undefined && bar.start < last.time) throw new Error('Cannot update oldest data');
      if (last?.time === bar.start) this.points[this.points.length - 1] = point;
      else this.points.push(point);
      return;
    }
    const at = this.points.findIndex((p) => p.time === bar.start);
    if (at < 0) throw new Error('Cannot update non-existing data point when historicalUpdate is true');
    this.points[at] = point;
  }

  /** What the chart does with a plan: point updates, or setData of our copy when it must. */
  apply(plan: LivePlan, copy: SeriesBars): void {
    if (plan.reset) this.setData(copy.all);
    else for (const { bar, historical } of plan.updates) this.update(bar, historical);
  }
}

const shown = (series: SeriesBars) => series.all.map((bar) => [bar.start, bar.close]);

describe('live bars on a chart series', () => {
  it('a revised 09:34 minute at 09:35:30 changes the closed 5m 09:30 candle in place', () => {
    const series = new SeriesBars();
    const chart = new FakeSeries();
    series.replace([five(0, 100), five(1, 101)]);
    chart.setData(series.all);

    // The forming 09:35 bar ticks, and the aggregator re-emits the 09:30 bar with the revised minute.
    const plan = series.applyLive([five(1, 102), five(0, 96)]);
    expect(plan.updates.map((u) => [u.bar.start, u.historical])).toEqual([
      [five(0).start, true],
      [five(1).start, false],
    ]);
    expect(plan.reset).toBe(false);
    chart.apply(plan, series);
    expect(
      chart.points.map((p) => p.close),
      'the 09:30 candle shows the correction',
    ).toEqual([96, 102]);
    expect(chart.setDataCalls, 'no full reload for a correction').toBe(1);
  });

  it('a bar between two shown bars (a filled gap) cannot be a point update: the series is set again', () => {
    const series = new SeriesBars();
    series.replace([minute(1), minute(3)]);
    const plan = series.applyLive([minute(2, 99)]);
    expect(plan.reset).toBe(true);
    expect(shown(series)).toEqual([
      [MINUTE, 100],
      [2 * MINUTE, 99],
      [3 * MINUTE, 100],
    ]);
  });

  it('leaves bars older than the oldest held to the store, unless the store has nothing older', () => {
    const series = new SeriesBars();
    series.replace([minute(10), minute(11)]);
    expect(series.applyLive([minute(5)]).dropped).toBe(1);
    expect(series.length).toBe(2);
    const complete = series.applyLive([minute(5)], true);
    expect(complete.reset, 'inserted in front with setData').toBe(true);
    expect(series.oldest?.start).toBe(5 * MINUTE);
  });

  it('any mix of live bars, applied as planned, leaves the chart equal to the copy', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 30 }),
        fc.array(
          fc.array(
            fc.record({ index: fc.integer({ min: 0, max: 80 }), close: fc.integer({ min: 90, max: 110 }) }),
            {
              maxLength: 12,
            },
          ),
          { maxLength: 8 },
        ),
        (history, frames) => {
          const series = new SeriesBars();
          const chart = new FakeSeries();
          series.replace(history.map((i) => minute(i)));
          chart.setData(series.all);
          for (const frame of frames) {
            chart.apply(series.applyLive(frame.map(({ index, close }) => minute(index, close))), series);
          }
          expect(chart.points).toEqual(series.all.map((bar) => ({ time: bar.start, close: bar.close })));
        },
      ),
    );
  });
});

describe('pages and reloads', () => {
  it('prepends only bars older than the oldest held, and says how many', () => {
    const series = new SeriesBars();
    series.replace([minute(10), minute(11)]);
    expect(series.prepend([minute(7), minute(8), minute(9), minute(10, 1)])).toBe(3);
    expect(shown(series).map(([start]) => start)).toEqual([7, 8, 9, 10, 11].map((i) => i * MINUTE));
    expect(series.all[3]?.close, 'the held bar wins over the page').toBe(100);
    expect(series.prepend([])).toBe(0);
  });

  it('a reloaded latest page keeps the older pages it reaches back to, and replaces the rest', () => {
    const series = new SeriesBars();
    series.replace([1, 2, 3, 4, 5].map((i) => minute(i)));
    expect(series.mergeLatest([minute(4, 90), minute(5, 91), minute(6, 92)])).toBe(true);
    expect(shown(series)).toEqual([
      [MINUTE, 100],
      [2 * MINUTE, 100],
      [3 * MINUTE, 100],
      [4 * MINUTE, 90],
      [5 * MINUTE, 91],
      [6 * MINUTE, 92],
    ]);
    expect(series.mergeLatest([minute(20), minute(21)]), 'a hole between: start over').toBe(false);
    expect(series.length).toBe(2);
  });
});

describe('trimming a bounded series', () => {
  const limits = { max: 6000, target: 5000, hardMax: 60_000, margin: 1000 };
  const following = (from: number) => ({ following: true, from });

  it('trims nothing up to the bound, then down to the target while the trader follows the live edge', () => {
    expect(barsToTrim(6000, limits, following(5900))).toBe(0);
    expect(barsToTrim(6100, limits, null)).toBe(1100);
    expect(barsToTrim(6100, limits, following(6000))).toBe(1100);
  });

  it('never trims what the trader looks at, or the margin left of it, and never a few bars at a time', () => {
    expect(barsToTrim(9000, limits, following(3500)), 'a wide view reaching back to index 3500').toBe(2500);
    expect(barsToTrim(9000, limits, following(1300)), 'not worth a full reload').toBe(0);
  });

  it('keeps every bar while the trader looks at history: trimming must not fight scroll-back', () => {
    expect(barsToTrim(9000, limits, { following: false, from: 8000 })).toBe(0);
    expect(barsToTrim(30_000, limits, { following: false, from: 20_000 })).toBe(0);
  });

  it('past the hard bound, memory wins', () => {
    expect(barsToTrim(60_500, limits, { following: false, from: 0 })).toBe(1500);
  });
});
