import { describe, expect, it } from 'vitest';
import type { Bar, FeedState, Speed, Trade } from '../../shared/domain';
import { nyseCalendar } from '../core/calendar';
import { planDemoWorld, type DemoPlan } from '../core/demo-plan';
import { SyntheticMarket } from '../core/synthetic/market';
import { manualTimers } from '../test-support/manual-timers';
import type { FeedSink } from './feed';
import { createSyntheticFeed } from './synthetic-feed';

const MINUTE = 60_000;
// Friday 14 March 2025, 10:00 New York (EDT): a regular session.
const FRIDAY_10AM = Date.UTC(2025, 2, 14, 14, 0);

function recorder() {
  const trades: Trade[] = [];
  const minuteBars: Bar[] = [];
  const history: Bar[] = [];
  const times: number[] = [];
  const states: FeedState[] = [];
  const sink: FeedSink = {
    trade: (t) => trades.push(t),
    minuteBar: (b) => minuteBars.push(b),
    historyBars: (bars) => history.push(...bars),
    officialDailyBar: (bar) => history.push(bar),
    time: (t) => times.push(t),
    state: (s) => states.push(s),
    rewind: () => {
      throw new Error('the synthetic feed never rewinds');
    },
  };
  return { sink, trades, minuteBars, history, times, states };
}

function plan(overrides: Partial<DemoPlan> = {}): DemoPlan {
  return {
    ...planDemoWorld({
      now: FRIDAY_10AM,
      calendar: nyseCalendar,
      seed: 1,
      stored: null,
      minuteSessions: 1,
      dailySessions: 3,
    }),
    ...overrides,
  };
}

/** A feed over a fresh seeded market with test-driven timers, started; history runs unless `drain` is false. */
function startFeed(
  seed: number,
  p: DemoPlan,
  speed: Speed,
  options: { minutesPerSlice?: number; drain?: boolean } = {},
) {
  const timers = manualTimers();
  const feed = createSyntheticFeed({
    market: new SyntheticMarket({ seed }),
    calendar: nyseCalendar,
    plan: p,
    speed,
    timers,
    ...(options.minutesPerSlice !== undefined ? { minutesPerSlice: options.minutesPerSlice } : {}),
  });
  const r = recorder();
  feed.start(r.sink);
  if (options.drain !== false) timers.drain();
  return { ...r, feed, timers };
}

describe('synthetic feed', () => {
  it('generates history first (daily, then minutes up to the live start), then goes live', () => {
    const p = plan();
    const { feed, ...r } = startFeed(1, p, 60);
    expect(r.states).toEqual(['starting', 'backfilling', 'live']);
    expect(r.history.filter((b) => b.timeframe === '1D')).toHaveLength(3 * 10);
    const spyMinutes = r.minuteBars.filter((b) => b.symbol === 'SPY').map((b) => b.start);
    // One whole previous session (390 minutes) plus this morning's 30 minutes, each minute once, in order.
    expect(spyMinutes).toHaveLength(390 + 30);
    expect(spyMinutes.at(-1)).toBe(FRIDAY_10AM - MINUTE);
    expect(new Set(spyMinutes).size).toBe(spyMinutes.length);
    expect([...spyMinutes].sort((a, b) => a - b)).toEqual(spyMinutes);
    expect(r.trades).toHaveLength(0); // history carries bars only
    feed.stop();
  });

  it('paces market time at `speed` market seconds per wall second, trades before their minute bar', () => {
    const p = plan({ dailySessions: [], backfillFrom: FRIDAY_10AM });
    const { feed, timers, ...r } = startFeed(2, p, 60);
    timers.advance(500); // 30 market seconds
    expect(r.minuteBars).toHaveLength(0);
    expect(r.trades.length).toBeGreaterThan(0);
    expect(r.trades.every((t) => t.time < FRIDAY_10AM + 30_500)).toBe(true);
    timers.advance(1_000); // 90 market seconds in all: the first minute is complete
    const first = r.minuteBars.filter((b) => b.start === FRIDAY_10AM);
    expect(first).toHaveLength(10);
    // Each minute bar is exactly what its trades made.
    for (const bar of first) {
      const trades = r.trades.filter((t) => t.symbol === bar.symbol && t.time < FRIDAY_10AM + MINUTE);
      expect(trades[0]!.price).toBe(bar.open);
      expect(trades.at(-1)!.price).toBe(bar.close);
      expect(Math.max(...trades.map((t) => t.price))).toBe(bar.high);
      expect(Math.min(...trades.map((t) => t.price))).toBe(bar.low);
      expect(trades.reduce((sum, t) => sum + t.size, 0)).toBeCloseTo(bar.volume, 6);
    }
    const times = r.trades.map((t) => t.time);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(Math.max(...r.times)).toBeLessThanOrEqual(FRIDAY_10AM + 90_000);
    feed.stop();
  });

  it('skips the closed night: after the close the next session opens at once', () => {
    const lastMinute = Date.UTC(2025, 2, 14, 19, 59); // 15:59 New York
    const p = plan({ dailySessions: [], backfillFrom: lastMinute, liveFrom: lastMinute });
    const { feed, timers, ...r } = startFeed(3, p, 60);
    timers.advance(2_500); // two and a half market minutes
    const monday = nyseCalendar.sessionOn('2025-03-17')!;
    expect(r.times).toContain(Date.UTC(2025, 2, 14, 20, 0)); // the close is announced
    const starts = [...new Set(r.minuteBars.map((b) => b.start))];
    expect(starts).toEqual([lastMinute, monday.open]);
    feed.stop();
  });

  it('is deterministic: the same seed and plan give the same trades and bars', () => {
    const run = () => {
      const { feed, timers, ...r } = startFeed(9, plan(), 120);
      timers.advance(3_000);
      feed.stop();
      return { trades: r.trades, bars: r.minuteBars, history: r.history };
    };
    expect(run()).toEqual(run());
  });

  it('emits nothing after stop', () => {
    const { feed, timers, ...r } = startFeed(4, plan(), 60);
    feed.stop();
    const counts = [r.trades.length, r.minuteBars.length, r.times.length];
    timers.advance(10_000);
    expect([r.trades.length, r.minuteBars.length, r.times.length]).toEqual(counts);
    expect(r.states.at(-1)).toBe('stopped');
  });

  it('runs as fast as possible at speed "max", yielding to the event loop between slices', () => {
    const p = plan({ dailySessions: [], backfillFrom: FRIDAY_10AM });
    const { feed, timers, ...r } = startFeed(5, p, 'max', { minutesPerSlice: 10, drain: false });
    const minutes = () => new Set(r.minuteBars.map((b) => b.start)).size;
    expect(minutes()).toBe(10); // one slice, then it yields
    timers.drain(5); // five more slices, without any wall time passing
    expect(minutes()).toBe(60);
    expect(r.trades.length).toBeGreaterThan(60 * 10);
    feed.stop();
  });
});
