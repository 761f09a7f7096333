/**
 * The replay feed over daily bars (a daily replay): each session's bars go out once, at its close, as
 * closed 1D bars of every symbol together (ordered by symbol), then the clock; nights and weekends are
 * skipped; step moves one session; seeks go both ways; 'max' runs a session per turn of the event loop
 * and has the engine's writes flushed after each.
 */
import { describe, expect, it } from 'vitest';
import type { Bar, FeedState, Speed, SymbolInfo } from '../../../shared/domain';
import { alwaysOpenCalendar, nyseCalendar, type Session } from '../../core/calendar';
import { manualTimers, type ManualTimers } from '../../test-support/manual-timers';
import type { FeedSink } from '../feed';
import type { DailySource } from './daily-cursor';
import { ReplayFeed } from './replay-feed';

const SYMBOLS: SymbolInfo[] = [
  { symbol: 'AAA', name: 'A', kind: 'stock' },
  { symbol: 'BBB', name: 'B', kind: 'stock' },
];

/** 300 NYSE sessions from Monday 4 January 2021 (more than three of the cursor's 90-day windows). */
const SESSIONS: Session[] = [];
for (let s = nyseCalendar.sessionOn('2021-01-04')!; SESSIONS.length < 300; s = nyseCalendar.nextSession(s))
  SESSIONS.push(s);
/** The replayed range: sessions 50 to 299; the ones before are history. */
const FIRST = 50;

function dailyBar(symbol: string, session: Session, price: number): Bar {
  return {
    symbol,
    timeframe: '1D',
    start: session.open,
    open: price,
    high: price + 2,
    low: price - 2,
    close: price + 1,
    volume: 1_000_000,
    closed: true,
  };
}

/** AAA every session; BBB on every third session only (a thinly traded or later-listed symbol). */
function storedDaily(): Bar[] {
  const bars: Bar[] = [];
  SESSIONS.forEach((session, i) => {
    bars.push(dailyBar('AAA', session, 100 + i));
    if (i % 3 === 0) bars.push(dailyBar('BBB', session, 50 + i));
  });
  return bars;
}

/** The store's read over an array, in a scrambled order (the cursor sorts). */
function arraySource(bars: Bar[]): DailySource {
  return {
    dailyBars: (from, to) => bars.filter((b) => b.start >= from && b.start < to).reverse(),
  };
}

type Event = { bars: Bar[] } | { time: number } | { rewind: number };

function recordingSink(): { sink: FeedSink; events: Event[]; states: FeedState[] } {
  const events: Event[] = [];
  const states: FeedState[] = [];
  const refuse = (what: string) => () => {
    throw new Error(`a daily replay sends no ${what}`);
  };
  const sink: FeedSink = {
    trade: refuse('trades'),
    minuteBar: refuse('minute bars'),
    officialDailyBar: refuse('official daily bars'),
    historyBars: (bars) => events.push({ bars: [...bars] }),
    time: (t) => events.push({ time: t }),
    state: (state) => states.push(state),
    rewind: (t) => events.push({ rewind: t }),
  };
  return { sink, events, states };
}

function replay(
  timers: ManualTimers,
  options: { speed?: Speed; autoplay?: boolean; symbols?: SymbolInfo[]; bars?: Bar[]; from?: number } = {},
) {
  let flushes = 0;
  const feed = new ReplayFeed({
    symbols: options.symbols ?? SYMBOLS,
    from: options.from ?? SESSIONS[FIRST]!.open,
    to: SESSIONS.at(-1)!.close,
    daily: arraySource(options.bars ?? storedDaily()),
    calendar: nyseCalendar,
    speed: options.speed ?? 23_400,
    timers,
    autoplay: options.autoplay ?? true,
    flushWrites: () => flushes++,
  });
  const { sink, events, states } = recordingSink();
  feed.start(sink);
  return { feed, events, states, flushes: () => flushes };
}

/** The bars delivered, one entry per historyBars call. */
const deliveries = (events: Event[]): Bar[][] => events.flatMap((e) => ('bars' in e ? [e.bars] : []));
/** The stored bars of sessions [from, to) of SESSIONS, grouped per session, by symbol. */
const expectedSessions = (from: number, to: number): Bar[][] => {
  const stored = storedDaily();
  return SESSIONS.slice(from, to).map((s) => stored.filter((b) => b.start === s.open));
};

describe('ReplayFeed over daily bars', () => {
  it('at max delivers each session once, at its close: all its closed 1D bars in one call, by symbol, then the clock', () => {
    const timers = manualTimers();
    const { feed, events, states } = replay(timers, { speed: 'max' });
    timers.drain();
    expect(feed.state()).toMatchObject({ finished: true, granularity: '1D', time: SESSIONS.at(-1)!.close });
    expect(states.at(-1)).toBe('closed');
    expect(deliveries(events)).toEqual(expectedSessions(FIRST, SESSIONS.length));
    for (const bars of deliveries(events)) {
      expect(bars.every((b) => b.closed && b.timeframe === '1D')).toBe(true);
      const i = events.findIndex((e) => 'bars' in e && e.bars[0] === bars[0]);
      const close = nyseCalendar.sessionAt(bars[0]!.start)!.close;
      expect(events[i + 1], 'the clock reaches the close right after its bars').toEqual({ time: close });
    }
  });

  it('at max runs one session per turn of the event loop, with the engine’s writes flushed after each', () => {
    const timers = manualTimers();
    const { events, flushes } = replay(timers, { speed: 'max' });
    expect(deliveries(events)).toHaveLength(1);
    expect(flushes()).toBe(1);
    timers.drain(1);
    expect(deliveries(events)).toHaveLength(2);
    timers.drain(10);
    expect(deliveries(events)).toHaveLength(12);
    expect(flushes()).toBe(12);
  });

  it('plays a session in a wall second at 23,400x and skips nights and weekends', () => {
    const timers = manualTimers();
    // From Friday 26 February 2021: its close, then Monday 1 March.
    const friday = SESSIONS.findIndex((s) => s.date === '2021-02-26');
    const { feed, events } = replay(timers, { from: SESSIONS[friday]!.open });
    timers.drain();
    expect(feed.state()).toMatchObject({ time: SESSIONS[friday]!.open, playing: true, speed: 23_400 });
    timers.advance(975);
    expect(deliveries(events), 'nothing before the close').toEqual([]);
    timers.advance(25);
    expect(deliveries(events)).toEqual(expectedSessions(friday, friday + 1));
    expect(SESSIONS[friday + 1]!.date).toBe('2021-03-01');
    expect(feed.state().time, 'over the weekend to the Monday open').toBe(SESSIONS[friday + 1]!.open);
    timers.advance(1_000);
    expect(deliveries(events)).toEqual(expectedSessions(friday, friday + 2));
  });

  it('steps one session at a time, to its close, from the open or from within a session', () => {
    const timers = manualTimers();
    const { feed, events } = replay(timers, { autoplay: false });
    timers.drain();
    expect(feed.state()).toMatchObject({ playing: false, time: SESSIONS[FIRST]!.open });
    expect(feed.control({ action: 'step' }).time).toBe(SESSIONS[FIRST]!.close);
    expect(deliveries(events)).toEqual(expectedSessions(FIRST, FIRST + 1));
    expect(feed.control({ action: 'step' }).time, 'over the night').toBe(SESSIONS[FIRST + 1]!.close);
    expect(deliveries(events)).toEqual(expectedSessions(FIRST, FIRST + 2));
    // Into the middle of a later session, then a step finishes it.
    const middle = SESSIONS[FIRST + 5]!.open + 3_600_000;
    feed.control({ action: 'seek', time: middle });
    timers.drain();
    expect(deliveries(events)).toEqual(expectedSessions(FIRST, FIRST + 5));
    expect(feed.control({ action: 'step' })).toMatchObject({
      time: SESSIONS[FIRST + 5]!.close,
      playing: false,
    });
    expect(deliveries(events)).toEqual(expectedSessions(FIRST, FIRST + 6));
  });

  it('seeks back by rewinding to the open of the session sought, and delivers its sessions again', () => {
    const timers = manualTimers();
    const { feed, events } = replay(timers, { autoplay: false });
    timers.drain();
    feed.control({ action: 'seek', time: SESSIONS[FIRST + 20]!.close });
    timers.drain();
    expect(deliveries(events)).toEqual(expectedSessions(FIRST, FIRST + 21));
    const before = events.length;
    const back = SESSIONS[FIRST + 8]!.open + 60_000;
    expect(feed.control({ action: 'seek', time: back }).time).toBe(back);
    timers.drain();
    expect(events[before], 'rewound first, to the open').toEqual({ rewind: SESSIONS[FIRST + 8]!.open });
    expect(deliveries(events.slice(before)), 'the session sought has not closed').toEqual([]);
    feed.control({ action: 'step' });
    feed.control({ action: 'step' });
    expect(deliveries(events.slice(before))).toEqual(expectedSessions(FIRST + 8, FIRST + 10));
  });

  it('orders sessions of different calendars by their close: a 24/7 day after the NYSE session of its date', () => {
    const timers = manualTimers();
    const btc: SymbolInfo = { symbol: 'BTC/USD', name: 'Bitcoin', kind: 'crypto', calendar: '24x7' };
    const friday = SESSIONS.findIndex((s) => s.date === '2021-02-26');
    const days = ['2021-02-26', '2021-02-27', '2021-02-28', '2021-03-01'].map((date) =>
      alwaysOpenCalendar.sessionOn(date)!,
    );
    const bars = [
      ...SESSIONS.slice(friday, friday + 2).map((s, i) => dailyBar('AAA', s, 100 + i)),
      ...days.map((day, i) => dailyBar('BTC/USD', day, 40_000 + i)),
    ];
    const { feed, events } = replay(timers, {
      symbols: [SYMBOLS[0]!, btc],
      bars,
      speed: 'max',
      from: days[0]!.open,
    });
    timers.drain();
    expect(feed.state().finished).toBe(true);
    const delivered = deliveries(events).map((group) => group.map((b) => `${b.symbol} ${b.start}`));
    const key = (b: Bar) => [`${b.symbol} ${b.start}`];
    // Friday's NYSE session (closes 21:00 UTC) before Friday's 24/7 day (closes at midnight), and so on.
    expect(delivered).toEqual([
      key(bars[0]!),
      key(bars[2]!),
      key(bars[3]!),
      key(bars[4]!),
      key(bars[1]!),
      key(bars[5]!),
    ]);
  });
});
