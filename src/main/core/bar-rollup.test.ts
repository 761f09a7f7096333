import { describe, expect, it } from 'vitest';
import type { Bar, Timeframe } from '../../shared/domain';
import { BarAggregator } from './bar-aggregator';
import { BarRollup } from './bar-rollup';
import { alwaysOpenCalendar, nyseCalendar, type SessionCalendar } from './calendar';
import { Random } from './synthetic/random';

const MINUTE = 60_000;

/**
 * Random-walk minute bars over the given sessions (some minutes missing, as thin symbols have), with
 * integer volumes and trade counts so sums are exact, and a VWAP inside each bar.
 */
function minutesOver(
  calendar: SessionCalendar,
  dates: readonly string[],
  seed: number,
  options: { missing?: number; extendedHours?: boolean } = {},
): Bar[] {
  const random = Random.fromSeed(seed);
  const bars: Bar[] = [];
  let price = 100;
  for (const date of dates) {
    const session = calendar.sessionOn(date);
    if (session === null) throw new Error(`no session on ${date}`);
    // Pre- and post-market minutes (outside the session) when asked for: never rolled up.
    const from = options.extendedHours ? session.open - 60 * MINUTE : session.open;
    const to = options.extendedHours ? session.close + 60 * MINUTE : session.close;
    for (let t = from; t < to; t += MINUTE) {
      if (random.uniform() < (options.missing ?? 0)) continue;
      const open = price;
      let high = price;
      let low = price;
      for (let k = 0; k < 3; k++) {
        price = Math.max(1, Math.round((price + (random.uniform() - 0.5) * 2) * 100) / 100);
        high = Math.max(high, price);
        low = Math.min(low, price);
      }
      const volume = 1 + Math.floor(random.uniform() * 1000);
      bars.push({
        symbol: 'TEST',
        timeframe: '1m',
        start: t,
        open,
        high,
        low,
        close: price,
        volume,
        vwap: Math.round(((low + high) / 2) * 100) / 100,
        tradeCount: 1 + Math.floor(random.uniform() * 50),
        closed: true,
      });
    }
  }
  return bars;
}

/** Every closed bar the live aggregator makes from the minutes, by timeframe, closing the last day too. */
function aggregate(calendar: SessionCalendar, minutes: readonly Bar[], end: number): Map<Timeframe, Bar[]> {
  const aggregator = new BarAggregator(calendar);
  const out: Bar[] = [];
  for (const m of minutes) out.push(...aggregator.onMinuteBar(m));
  out.push(...aggregator.onTime(end));
  const byTimeframe = new Map<Timeframe, Bar[]>();
  for (const bar of out) {
    if (!bar.closed) continue;
    const list = byTimeframe.get(bar.timeframe) ?? [];
    list.push(bar);
    byTimeframe.set(bar.timeframe, list);
  }
  return byTimeframe;
}

function rollUp(calendar: SessionCalendar, fiveMinute: readonly Bar[], end: number): Map<Timeframe, Bar[]> {
  const rollup = new BarRollup(calendar, '5m');
  const out: Bar[] = [];
  for (const bar of fiveMinute) out.push(...rollup.onBar(bar));
  out.push(...rollup.onTime(end));
  const byTimeframe = new Map<Timeframe, Bar[]>();
  for (const bar of out) {
    const list = byTimeframe.get(bar.timeframe) ?? [];
    list.push(bar);
    byTimeframe.set(bar.timeframe, list);
  }
  return byTimeframe;
}

/** Bars with VWAP rounded: the two paths sum vwap x volume in a different order (5m first). */
const comparable = (bars: readonly Bar[] | undefined) =>
  (bars ?? []).map((b) => ({
    ...b,
    vwap: b.vwap === undefined ? undefined : Math.round(b.vwap * 1e8) / 1e8,
  }));

describe('BarRollup', () => {
  it.each([
    // A regular week, a Thanksgiving week (13:00 early close on Friday), minutes missing here and there,
    // and extended-hours minutes that must stay out of every higher bar.
    {
      name: 'NYSE, a regular week with gaps and extended hours',
      calendar: nyseCalendar,
      dates: ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08'],
      options: { missing: 0.1, extendedHours: true },
    },
    {
      name: 'NYSE, Thanksgiving week with the early close',
      calendar: nyseCalendar,
      dates: ['2024-11-25', '2024-11-26', '2024-11-27', '2024-11-29', '2024-12-02'],
      options: { missing: 0.02 },
    },
    {
      name: '24/7, three UTC days',
      calendar: alwaysOpenCalendar,
      dates: ['2025-04-05', '2025-04-06', '2025-04-07'],
      options: { missing: 0.05 },
    },
  ])('gives the 15m, 1h, 4h and 1D bars the live aggregator gives from the minutes: $name', (c) => {
    const minutes = minutesOver(c.calendar, c.dates, 7, c.options);
    const end = minutes.at(-1)!.start + 2 * 86_400_000;
    const live = aggregate(c.calendar, minutes, end);
    const rolled = rollUp(c.calendar, live.get('5m') ?? [], end);

    expect(live.get('5m')!.length).toBeGreaterThan(100);
    for (const tf of ['15m', '1h', '4h', '1D'] as const) {
      expect(live.get(tf)?.length ?? 0, tf).toBeGreaterThan(0);
      expect(comparable(rolled.get(tf)), tf).toEqual(comparable(live.get(tf)));
    }
  });

  it('closes a bucket by time when its last bars are missing, and keeps a forming one back', () => {
    const session = nyseCalendar.sessionOn('2024-03-04')!;
    const rollup = new BarRollup(nyseCalendar, '5m');
    const bar = (start: number, close: number): Bar => ({
      symbol: 'TEST',
      timeframe: '5m',
      start,
      open: 100,
      high: 101,
      low: 99,
      close,
      volume: 10,
      closed: true,
    });
    // 09:30 and 09:35 only: the 09:30-09:45 bucket ends at 09:45 without a 09:40 bar.
    expect(rollup.onBar(bar(session.open, 100))).toEqual([]);
    expect(rollup.onBar(bar(session.open + 5 * MINUTE, 100.5))).toEqual([]);
    expect(rollup.onTime(session.open + 14 * MINUTE)).toEqual([]);
    const closed = rollup.onTime(session.open + 15 * MINUTE);
    expect(closed).toEqual([{ ...bar(session.open, 100.5), timeframe: '15m', volume: 20, closed: true }]);
  });

  it('refuses bars out of order, of another timeframe, and targets it cannot build', () => {
    const rollup = new BarRollup(nyseCalendar, '5m');
    const session = nyseCalendar.sessionOn('2024-03-04')!;
    const bar: Bar = {
      symbol: 'TEST',
      timeframe: '5m',
      start: session.open + 5 * MINUTE,
      open: 1,
      high: 1,
      low: 1,
      close: 1,
      volume: 1,
      closed: true,
    };
    rollup.onBar(bar);
    expect(() => rollup.onBar({ ...bar, start: session.open })).toThrow(RangeError);
    expect(() => rollup.onBar({ ...bar, timeframe: '1m' })).toThrow(RangeError);
    expect(() => new BarRollup(nyseCalendar, '15m', ['5m'])).toThrow(RangeError);
  });
});
