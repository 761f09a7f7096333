import { describe, expect, it } from 'vitest';
import { buildDailyPanel, panelRowAtOrBefore, slicePanel, type DailyBarLike } from './daily-panel';

const DAY = 86_400_000;
const bar = (symbol: string, day: number, close: number, volume = 100): DailyBarLike => ({
  symbol,
  start: day * DAY,
  close,
  volume,
});

describe('buildDailyPanel', () => {
  it("puts rows on the clock symbol's sessions, matches others by exact start and leaves NaN where they lack a bar", () => {
    const panel = buildDailyPanel([
      bar('tlt', 2, 52, 7),
      bar('SPY', 3, 103),
      bar('SPY', 1, 101),
      bar('SPY', 2, 102),
      bar('TLT', 1, 51, 5),
      bar('TLT', 4, 54), // a session SPY has no bar for: dropped
      { symbol: 'TLT', start: 3 * DAY + 1, close: 99, volume: 1 }, // not the same start: no match
    ]);
    expect([...panel.times]).toEqual([DAY, 2 * DAY, 3 * DAY]);
    expect(panel.symbols).toEqual(['SPY', 'TLT']);
    expect([...panel.close.get('SPY')!]).toEqual([101, 102, 103]);
    expect([...panel.close.get('TLT')!]).toEqual([51, 52, NaN]);
    expect([...panel.volume.get('TLT')!]).toEqual([5, 7, NaN]);
  });

  it('uses another clock symbol when asked, and lists it first', () => {
    const panel = buildDailyPanel([bar('AAA', 1, 1), bar('QQQ', 1, 2), bar('QQQ', 2, 3)], 'qqq');
    expect(panel.symbols).toEqual(['QQQ', 'AAA']);
    expect([...panel.close.get('AAA')!]).toEqual([1, NaN]);
  });

  it('refuses to build without bars of the clock symbol, saying which symbol is missing', () => {
    expect(() => buildDailyPanel([bar('TLT', 1, 50)])).toThrow(/no daily bars of SPY/);
    expect(() => buildDailyPanel([])).toThrow(/no daily bars of SPY/);
  });
});

describe('panelRowAtOrBefore and slicePanel', () => {
  const panel = buildDailyPanel(
    [10, 20, 30, 40].flatMap((day) => [bar('SPY', day, day), bar('GLD', day, -day)]),
  );

  it('finds the last row starting at or before a time, −1 before the first', () => {
    expect(panelRowAtOrBefore(panel, 9 * DAY)).toBe(-1);
    expect(panelRowAtOrBefore(panel, 10 * DAY)).toBe(0);
    expect(panelRowAtOrBefore(panel, 25 * DAY)).toBe(1);
    expect(panelRowAtOrBefore(panel, 40 * DAY)).toBe(3);
    expect(panelRowAtOrBefore(panel, 99 * DAY)).toBe(3);
  });

  it('keeps the rows with from ≤ start ≤ to, both ends included, for every symbol', () => {
    const slice = slicePanel(panel, 20 * DAY, 30 * DAY);
    expect([...slice.times]).toEqual([20 * DAY, 30 * DAY]);
    expect([...slice.close.get('SPY')!]).toEqual([20, 30]);
    expect([...slice.close.get('GLD')!]).toEqual([-20, -30]);
    expect([...slicePanel(panel, 11 * DAY, 39 * DAY).times]).toEqual([20 * DAY, 30 * DAY]);
    expect(slicePanel(panel, 41 * DAY, 50 * DAY).times.length).toBe(0);
    expect(slicePanel(panel, 30 * DAY, 20 * DAY).times.length).toBe(0);
  });
});
