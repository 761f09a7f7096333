import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bar, Indicator, Timeframe } from '../../shared/domain';
import {
  IndicatorCalculator,
  exchangeDay,
  indicatorLines,
  unavailableReason,
  type IndicatorLines,
} from './indicator-values';

const MINUTE = 60_000;
// Friday 14 March 2025, 09:30 ET (13:30 UTC).
const OPEN = Date.UTC(2025, 2, 14, 13, 30);

function bar(start: number, close: number, extra: Partial<Bar> = {}): Bar {
  return {
    symbol: 'SPY',
    timeframe: '1m',
    start,
    open: close,
    high: close,
    low: close,
    close,
    volume: 100,
    closed: true,
    ...extra,
  };
}

const closesToBars = (closes: readonly number[], step = MINUTE): Bar[] =>
  closes.map((close, i) => bar(OPEN + i * step, close));

const values = (lines: IndicatorLines, name: keyof IndicatorLines): number[] =>
  (lines[name] ?? []).map((p) => p.value);

describe('indicatorLines', () => {
  it('SMA 3 over five closes is the mean of each three, from the third bar (by hand)', () => {
    const bars = closesToBars([10, 11, 12, 13, 20]);
    const { lines } = indicatorLines({ id: 's', kind: 'sma', period: 3 }, bars, '1m');
    expect(lines.value).toEqual([
      { time: bars[2]!.start, value: 11 },
      { time: bars[3]!.start, value: 12 },
      { time: bars[4]!.start, value: 15 },
    ]);
  });

  it('EMA 3 follows value = close * 2/(3+1) + previous * (1 - 2/(3+1)) seeded with the first close, shown from the third bar', () => {
    const bars = closesToBars([10, 12, 14, 10, 18]);
    const { lines } = indicatorLines({ id: 'e', kind: 'ema', period: 3 }, bars, '1m');
    // 10 -> 11 -> 12.5 -> 11.25 -> 14.625 (k = 0.5)
    expect(values(lines, 'value')).toEqual([12.5, 11.25, 14.625]);
  });

  it('Bollinger 5/2 is the mean ± 2 population standard deviations (by hand)', () => {
    const bars = closesToBars([2, 4, 4, 4, 5, 5, 7, 9]);
    const { lines } = indicatorLines({ id: 'b', kind: 'bollinger', period: 8, deviations: 2 }, bars, '1m');
    // The textbook set 2,4,4,4,5,5,7,9: mean 5, population standard deviation 2.
    expect(values(lines, 'middle')).toEqual([5]);
    expect(values(lines, 'upper')).toEqual([9]);
    expect(values(lines, 'lower')).toEqual([1]);
  });

  it('RSI 14 matches StockCharts’ worked example (ChartSchool, "Relative Strength Index", cs-rsi.xls)', () => {
    // Closes and RSI values from StockCharts ChartSchool's RSI spreadsheet (Wilder's smoothing). The
    // spreadsheet rounds the first average gain and loss to two decimals (0.24, 0.10), so its values sit
    // up to 0.07 from unrounded arithmetic (70.46 for its 70.53).
    const closes = [
      44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.1, 45.42, 45.84, 46.08, 45.89, 46.03, 45.61, 46.28, 46.28,
      46.0, 46.03, 46.41, 46.22, 45.64, 46.21, 46.25, 45.71, 46.45, 45.78, 45.35, 44.03, 44.18, 44.22, 44.57,
      43.42, 42.66, 43.13,
    ];
    const expected = [
      70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38, 54.71, 50.42, 39.99, 41.46, 41.87,
      45.46, 37.3, 33.08, 37.77,
    ];
    const { lines } = indicatorLines({ id: 'r', kind: 'rsi', period: 14 }, closesToBars(closes), '1m');
    const rsi = values(lines, 'value');
    expect(rsi).toHaveLength(expected.length);
    rsi.forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThan(0.1));
    // The first value is at the 15th close: 14 changes are needed.
    expect(lines.value?.[0]?.time).toBe(OPEN + 14 * MINUTE);
  });

  it('MACD 2/3/2: EMA(2) − EMA(3) of the closes, its EMA(2) as signal, their difference as histogram', () => {
    const closes = [10, 11, 13, 12, 15, 14];
    const ema = (period: number, xs: readonly number[]): number[] => {
      const k = 2 / (period + 1);
      const out: number[] = [];
      for (const x of xs) out.push(out.length === 0 ? x : x * k + out[out.length - 1]! * (1 - k));
      return out;
    };
    const fast = ema(2, closes);
    const slow = ema(3, closes);
    // The MACD line starts once the slow EMA has its 3 closes; its signal EMA is seeded from there.
    const macd = closes.map((_, i) => fast[i]! - slow[i]!).slice(2);
    const signal = ema(2, macd);
    const { lines } = indicatorLines(
      { id: 'm', kind: 'macd', fast: 2, slow: 3, signal: 2 },
      closesToBars(closes),
      '1m',
    );
    expect(values(lines, 'macd')).toHaveLength(4);
    values(lines, 'macd').forEach((v, i) => expect(v).toBeCloseTo(macd[i]!, 10));
    // The signal line is shown once its EMA has 2 MACD values.
    expect(values(lines, 'signal')).toHaveLength(3);
    values(lines, 'signal').forEach((v, i) => expect(v).toBeCloseTo(signal[i + 1]!, 10));
    values(lines, 'histogram').forEach((v, i) => expect(v).toBeCloseTo(macd[i + 1]! - signal[i + 1]!, 10));
  });

  it('VWAP is Σ typical price × volume / Σ volume, starting again on the next exchange day', () => {
    const day1 = [
      bar(OPEN, 10, { high: 11, low: 9, volume: 100 }), // typical 10
      bar(OPEN + MINUTE, 13, { high: 14, low: 12, volume: 300 }), // typical 13
      bar(OPEN + 2 * MINUTE, 13, { high: 14, low: 12, volume: 0 }), // no trades: VWAP holds
    ];
    // Monday 17 March, 09:30 ET.
    const monday = Date.UTC(2025, 2, 17, 13, 30);
    const day2 = [bar(monday, 20, { high: 21, low: 19, volume: 50 })];
    const { lines } = indicatorLines({ id: 'v', kind: 'vwap' }, [...day1, ...day2], '1m');
    expect(values(lines, 'value')).toEqual([
      10,
      (10 * 100 + 13 * 300) / 400,
      (10 * 100 + 13 * 300) / 400,
      20,
    ]);
  });

  it('VWAP draws nothing on daily bars, and says why', () => {
    const bars = closesToBars([10, 11, 12], 86_400_000).map((b) => ({ ...b, timeframe: '1D' as const }));
    const { lines } = indicatorLines({ id: 'v', kind: 'vwap' }, bars, '1D');
    expect(lines.value).toEqual([]);
    expect(unavailableReason('vwap', '1D')).toMatch(/intraday/);
    expect(unavailableReason('vwap', '5m')).toBeNull();
    expect(unavailableReason('sma', '1D')).toBeNull();
  });
});

describe('exchangeDay', () => {
  it('is the New York date: 23:30 ET is still that day, 00:30 ET the next (in EDT and in EST)', () => {
    // 14 March 2025 23:30 EDT = 15 March 03:30 UTC.
    expect(exchangeDay(Date.UTC(2025, 2, 15, 3, 30))).toBe(exchangeDay(Date.UTC(2025, 2, 14, 13, 30)));
    expect(exchangeDay(Date.UTC(2025, 2, 15, 4, 30))).not.toBe(exchangeDay(Date.UTC(2025, 2, 14, 13, 30)));
    // 10 January 2025 23:30 EST = 11 January 04:30 UTC.
    expect(exchangeDay(Date.UTC(2025, 0, 11, 4, 30))).toBe(exchangeDay(Date.UTC(2025, 0, 10, 14, 30)));
    expect(exchangeDay(Date.UTC(2025, 0, 11, 5, 30))).not.toBe(exchangeDay(Date.UTC(2025, 0, 10, 14, 30)));
  });
});

describe('IndicatorCalculator live updates', () => {
  const INDICATORS: Indicator[] = [
    { id: 'a', kind: 'sma', period: 4 },
    { id: 'b', kind: 'ema', period: 4 },
    { id: 'c', kind: 'bollinger', period: 4, deviations: 2 },
    { id: 'd', kind: 'vwap' },
    { id: 'e', kind: 'rsi', period: 3 },
    { id: 'f', kind: 'macd', fast: 2, slow: 4, signal: 3 },
  ];

  /** A live feed: each bar arrives as several states of the forming bar, then the next bar. */
  const feed = fc.array(
    fc.record({
      states: fc.array(
        fc.record({
          close: fc.double({ min: 1, max: 200, noNaN: true }),
          volume: fc.integer({ min: 0, max: 5000 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      // Gaps of up to a day and a half: some bars start a new exchange day.
      gapMinutes: fc.integer({ min: 1, max: 2200 }),
    }),
    { minLength: 1, maxLength: 40 },
  );

  it.each(INDICATORS.map((i) => [i.kind, i] as const))(
    '%s: adding and revising bars as they form gives the values of a fresh computation over the final bars',
    (_kind, indicator) => {
      fc.assert(
        fc.property(feed, (steps) => {
          const timeframe: Timeframe = '1m';
          const live = new IndicatorCalculator(indicator, timeframe);
          const finalBars: Bar[] = [];
          const liveValues: object[] = [];
          let start = OPEN;
          let recomputed = false;
          for (const { states, gapMinutes } of steps) {
            start += gapMinutes * MINUTE;
            let volume = 0;
            states.forEach((state, i) => {
              // A forming bar's volume only grows.
              volume = Math.max(volume, state.volume);
              const b = bar(start, state.close, { volume });
              const result = i === 0 ? live.add(b) : live.revise(b);
              if (result === null) recomputed = true;
              else if (i === 0) liveValues.push(result);
              else liveValues[liveValues.length - 1] = result;
              if (i === 0) finalBars.push(b);
              else finalBars[finalBars.length - 1] = b;
            });
          }
          if (recomputed) return;
          const fresh = new IndicatorCalculator(indicator, timeframe);
          const expected = finalBars.map((b) => fresh.add(b));
          expect(liveValues).toHaveLength(expected.length);
          liveValues.forEach((got, i) => {
            const want = expected[i] as Record<string, number>;
            expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
            for (const [name, value] of Object.entries(got as Record<string, number>)) {
              expect(value).toBeCloseTo(want[name]!, 6);
            }
          });
        }),
        { numRuns: 200 },
      );
    },
  );

  it('refuses bars out of order', () => {
    const calc = new IndicatorCalculator({ id: 's', kind: 'sma', period: 2 }, '1m');
    calc.add(bar(OPEN + MINUTE, 10));
    expect(() => calc.add(bar(OPEN, 10))).toThrow(/oldest first/);
    expect(() => calc.revise(bar(OPEN, 10))).toThrow(/newest is/);
  });
});
