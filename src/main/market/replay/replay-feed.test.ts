import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bar, FeedState, ReplayState, Speed, SymbolInfo, Timeframe } from '../../../shared/domain';
import { alwaysOpenCalendar, nyseCalendar, type Session } from '../../core/calendar';
import { Random } from '../../core/synthetic/random';
import { Engine } from '../../engine/kernel';
import { createMemoryLogger } from '../../platform/log';
import { openStore } from '../../store/store';
import { manualTimers, type ManualTimers } from '../../test-support/manual-timers';
import type { FeedSink } from '../feed';
import type { MinuteSource } from './minute-cursor';
import { ReplayCommandError, ReplayFeed } from './replay-feed';
import { bucketBoundaryAtOrBefore } from './replay-range';

const MINUTE = 60_000;
const SYMBOLS: SymbolInfo[] = [
  { symbol: 'AAA', name: 'A', kind: 'stock' },
  { symbol: 'BBB', name: 'B', kind: 'stock' },
];

/** Three sessions: Wed 12, Thu 13, Fri 14 March 2025. */
const SESSIONS: Session[] = ['2025-03-12', '2025-03-13', '2025-03-14'].map((d) => nyseCalendar.sessionOn(d)!);
const [WED, THU, FRI] = SESSIONS as [Session, Session, Session];

/** Seeded random-walk minutes for every symbol and session minute (some missing), as a store holds them. */
function storedMinutes(seed = 1, missing = 0.1): Bar[] {
  const random = Random.fromSeed(seed);
  const bars: Bar[] = [];
  for (const info of SYMBOLS) {
    let price = 100;
    for (const session of SESSIONS) {
      for (let start = session.open; start < session.close; start += MINUTE) {
        if (random.uniform() < missing) continue;
        const open = price;
        price = Math.max(1, Math.round((price + (random.uniform() - 0.5) * 2) * 100) / 100);
        bars.push({
          symbol: info.symbol,
          timeframe: '1m',
          start,
          open,
          high: Math.max(open, price) + 0.05,
          low: Math.min(open, price) - 0.05,
          close: price,
          volume: 1 + Math.floor(random.uniform() * 1000),
          closed: true,
        });
      }
    }
  }
  return bars.sort((a, b) => a.start - b.start || (a.symbol < b.symbol ? -1 : 1));
}

/** The store's read, over an array: [from, to) by start, then symbol. */
function arraySource(bars: Bar[]): MinuteSource & { reads: number } {
  const source = {
    reads: 0,
    minuteBars(from: number, to: number): Bar[] {
      source.reads++;
      return bars.filter((b) => b.start >= from && b.start < to);
    },
  };
  return source;
}

interface Recorded {
  minutes: Bar[];
  times: number[];
  states: FeedState[];
  rewinds: number[];
  history: Bar[];
}

function recordingSink(): { sink: FeedSink; rec: Recorded } {
  const rec: Recorded = { minutes: [], times: [], states: [], rewinds: [], history: [] };
  const sink: FeedSink = {
    trade: () => {
      throw new Error('a replay of minute bars sends no trades');
    },
    minuteBar: (bar) => rec.minutes.push(bar),
    historyBars: (bars) => rec.history.push(...bars),
    officialDailyBar: () => {
      throw new Error('no official daily bars in a replay');
    },
    time: (t) => rec.times.push(t),
    state: (state) => rec.states.push(state),
    rewind: (t) => rec.rewinds.push(t),
  };
  return { sink, rec };
}

function replay(
  timers: ManualTimers,
  options: { speed?: Speed; bars?: Bar[]; autoplay?: boolean; barsPerSlice?: number; from?: number } = {},
) {
  const source = arraySource(options.bars ?? storedMinutes());
  const feed = new ReplayFeed({
    symbols: SYMBOLS,
    from: options.from ?? THU.open,
    to: FRI.close,
    warmFrom: WED.open,
    minutes: source,
    calendar: nyseCalendar,
    speed: options.speed ?? 60,
    timers,
    autoplay: options.autoplay ?? true,
    barsPerSlice: options.barsPerSlice ?? 500,
  });
  const { sink, rec } = recordingSink();
  feed.start(sink);
  return { feed, rec, source };
}

const ends = (bars: readonly Bar[]): number[] => bars.map((b) => b.start + MINUTE);

describe('ReplayFeed', () => {
  it('warms up with the minutes before the range, then plays from its start at the chosen pace', () => {
    const timers = manualTimers();
    const stored = storedMinutes();
    const { feed, rec } = replay(timers, { bars: stored });
    timers.drain();
    const warm = stored.filter((b) => b.start < THU.open);
    expect(rec.minutes).toEqual(warm);
    expect(rec.states).toEqual(['starting', 'backfilling', 'live']);
    expect(feed.state()).toMatchObject({ time: THU.open, playing: true, finished: false, speed: 60 });
    timers.advance(2_000); // two market minutes
    expect(rec.minutes.slice(warm.length).map((b) => b.start)).toEqual(
      stored.filter((b) => b.start < THU.open + 2 * MINUTE && b.start >= THU.open).map((b) => b.start),
    );
    expect(
      Math.max(...ends(rec.minutes)),
      'nothing goes out before the clock reaches its end',
    ).toBeLessThanOrEqual(feed.state().time!);
  });

  it('is deterministic, ties included: the same range gives the same bars and times at any slice size', () => {
    const run = (barsPerSlice: number) => {
      const timers = manualTimers();
      const { rec, feed } = replay(timers, { speed: 'max', barsPerSlice });
      timers.drain();
      expect(feed.state().finished).toBe(true);
      return rec;
    };
    const a = run(500);
    const b = run(500);
    expect(b).toEqual(a);
    const c = run(37);
    expect(c.minutes, 'the same sequence whatever the slices').toEqual(a.minutes);
    expect(a.minutes).toEqual(storedMinutes());
    // Ties: at each start, symbols in code-unit order.
    for (let i = 1; i < a.minutes.length; i++) {
      const [p, q] = [a.minutes[i - 1]!, a.minutes[i]!];
      expect(p.start < q.start || (p.start === q.start && p.symbol < q.symbol)).toBe(true);
    }
    expect(a.times.at(-1)).toBe(FRI.close);
    expect(a.states.at(-1)).toBe('closed');
  });

  it('never splits a minute between slices, and moves the clock to the end of the last minute sent', () => {
    const timers = manualTimers();
    const { rec } = replay(timers, { speed: 'max', barsPerSlice: 3 });
    timers.drain(1);
    // Each slice ends with every symbol of its last minute sent, and time right after it.
    const lastEnd = rec.times.at(-1)!;
    expect(rec.minutes.filter((b) => b.start + MINUTE === lastEnd).map((b) => b.symbol)).toEqual(
      storedMinutes()
        .filter((b) => b.start + MINUTE === lastEnd)
        .map((b) => b.symbol),
    );
  });

  it('pauses and plays on from where it stood', () => {
    const timers = manualTimers();
    const { feed, rec } = replay(timers);
    timers.drain();
    timers.advance(1_500);
    const paused = feed.control({ action: 'pause' });
    expect(paused.playing).toBe(false);
    const sent = rec.minutes.length;
    timers.advance(60_000);
    expect(rec.minutes).toHaveLength(sent);
    expect(rec.states.at(-1)).toBe('paused');
    feed.control({ action: 'play' });
    timers.advance(1_000);
    expect(rec.minutes.length).toBeGreaterThan(sent);
    expect(rec.states.at(-1)).toBe('live');
  });

  it('steps one minute of market time at a time, paused, and over closed hours to the next open', () => {
    const timers = manualTimers();
    const stored = storedMinutes();
    const { feed, rec } = replay(timers, { autoplay: false });
    timers.drain();
    expect(feed.state()).toMatchObject({ playing: false, time: THU.open });
    const before = rec.minutes.length;
    expect(feed.control({ action: 'step' }).time).toBe(THU.open + MINUTE);
    expect(rec.minutes.slice(before)).toEqual(stored.filter((b) => b.start === THU.open));
    expect(feed.control({ action: 'step' }).time).toBe(THU.open + 2 * MINUTE);
    timers.advance(10_000);
    expect(feed.state()).toMatchObject({ playing: false, time: THU.open + 2 * MINUTE });
    // From the close, a step lands one minute after the next open.
    feed.control({ action: 'seek', time: THU.close });
    timers.drain();
    const sent = rec.minutes.length;
    expect(feed.control({ action: 'step' }).time).toBe(FRI.open + MINUTE);
    expect(rec.minutes.slice(sent)).toEqual(stored.filter((b) => b.start === FRI.open));
  });

  it('changes speed on the fly, within 1x to 1,000,000x or max, and says so when out of range', () => {
    const timers = manualTimers();
    const { feed, rec } = replay(timers, { speed: 1 });
    timers.drain();
    timers.advance(60_000); // one market minute at 1x
    const atOne = rec.minutes.length;
    expect(feed.control({ action: 'speed', speed: 600 }).speed).toBe(600);
    timers.advance(1_000); // ten market minutes
    expect(new Set(rec.minutes.slice(atOne).map((b) => b.start)).size).toBeGreaterThanOrEqual(9);
    expect(() => feed.control({ action: 'speed', speed: 0.5 })).toThrow(ReplayCommandError);
    expect(() => feed.control({ action: 'speed', speed: 0.5 })).toThrow(/1 to 1,000,000 market seconds/);
    expect(feed.control({ action: 'speed', speed: 'max' }).speed).toBe('max');
    timers.drain();
    expect(feed.state().finished).toBe(true);
  });

  it('seeks forward at once, and back by rewinding the engine to a bucket boundary first', () => {
    const timers = manualTimers();
    const stored = storedMinutes();
    const { feed, rec } = replay(timers, { autoplay: false, barsPerSlice: 100_000 });
    timers.drain();
    const noon = FRI.open + 150 * MINUTE;
    const forward = feed.control({ action: 'seek', time: noon });
    expect(forward).toMatchObject({ time: noon, playing: false });
    expect(rec.rewinds).toEqual([]);
    expect(rec.minutes).toEqual(stored.filter((b) => b.start + MINUTE <= noon));

    const thursdayNoon = THU.open + 150 * MINUTE;
    const back = feed.control({ action: 'seek', time: thursdayNoon });
    expect(back.time).toBe(thursdayNoon);
    expect(rec.rewinds, 'back to the Thursday open: no bucket is open across it').toEqual([THU.open]);
    const after = rec.minutes.slice(rec.minutes.findLastIndex((b) => b.start === noon - MINUTE) + 1);
    expect(after).toEqual(stored.filter((b) => b.start >= THU.open && b.start + MINUTE <= thursdayNoon));
    expect(rec.times.at(-1)).toBe(thursdayNoon);
  });

  it('refuses to seek outside the range, saying where it runs', () => {
    const timers = manualTimers();
    const { feed } = replay(timers);
    timers.drain();
    expect(() => feed.control({ action: 'seek', time: WED.open })).toThrow(
      /Cannot seek to 2025-03-12 13:30 UTC: the replay runs from 2025-03-13 13:30 UTC to 2025-03-14 20:00 UTC/,
    );
  });

  it('finishes at the end of the range, and plays again from the start when asked', () => {
    const timers = manualTimers();
    const states: ReplayState[] = [];
    const { feed, rec } = replay(timers, { speed: 'max' });
    feed.subscribe((s) => states.push(s));
    timers.drain();
    expect(feed.state()).toMatchObject({ finished: true, playing: false, time: FRI.close });
    expect(states.at(-1)).toMatchObject({ finished: true });
    expect(rec.states.at(-1)).toBe('closed');
    const again = feed.control({ action: 'play' });
    expect(again).toMatchObject({ finished: false, playing: true });
    expect(rec.rewinds).toEqual([THU.open]);
  });

  it('reports its state about once a second while playing, and on every change', () => {
    const timers = manualTimers();
    const { feed } = replay(timers);
    timers.drain();
    const states: ReplayState[] = [];
    feed.subscribe((s) => states.push(s));
    timers.advance(3_000);
    expect(states.length).toBeGreaterThanOrEqual(3);
    expect(states.at(-1)!.time).toBeGreaterThan(states[0]!.time!);
    feed.control({ action: 'pause' });
    const count = states.length;
    timers.advance(5_000);
    expect(states).toHaveLength(count);
  });

  it('rewinds to a boundary of every calendar when a 24/7 symbol replays beside NYSE ones', () => {
    const thursdayNoon = THU.open + 150 * MINUTE;
    expect(bucketBoundaryAtOrBefore([nyseCalendar], thursdayNoon)).toBe(THU.open);
    expect(bucketBoundaryAtOrBefore([nyseCalendar, alwaysOpenCalendar], thursdayNoon)).toBe(
      Date.UTC(2025, 2, 13),
    );
    expect(bucketBoundaryAtOrBefore([nyseCalendar], THU.open - MINUTE), 'closed: itself').toBe(
      THU.open - MINUTE,
    );
  });
});

describe('ReplayFeed in the engine', () => {
  let dir: string;
  const engines: Engine[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trm-replay-feed-'));
  });

  afterEach(() => {
    for (const engine of engines.splice(0)) engine.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function replayEngine(timers: ManualTimers, stored: Bar[]) {
    const store = openStore(join(dir, `scratch-${engines.length}.sqlite`), {
      writer: { setTimer: (fn, ms) => timers.setTimeout(fn, ms), clearTimer: (h) => timers.clearTimeout(h) },
    });
    const feed = new ReplayFeed({
      symbols: SYMBOLS,
      from: THU.open,
      to: FRI.close,
      warmFrom: WED.open,
      minutes: arraySource(stored),
      calendar: nyseCalendar,
      speed: 60,
      timers,
      autoplay: false,
    });
    const engine = new Engine({
      mode: 'replay',
      feed,
      store,
      calendar: nyseCalendar,
      timers,
      log: createMemoryLogger(),
      replay: feed,
    });
    engines.push(engine);
    engine.start();
    timers.drain();
    return { engine, feed };
  }

  const bars = (engine: Engine, symbol: string, timeframe: Timeframe): Promise<Bar[]> =>
    Promise.resolve(engine.service.handlers['market.bars']({ symbol, timeframe, limit: 5000 }));

  /** No bar holds anything after the replay clock: minutes end by it, higher bars are built from those. */
  async function expectNothingAfter(engine: Engine, stored: Bar[], clock: number): Promise<void> {
    const minutes = await bars(engine, 'AAA', '1m');
    expect(minutes).toEqual(stored.filter((b) => b.symbol === 'AAA' && b.start + MINUTE <= clock));
    const day = (await bars(engine, 'AAA', '1D')).at(-1)!;
    const session = nyseCalendar.sessionOnOrBefore(clock - 1);
    const todays = minutes.filter((m) => m.start >= session.open);
    expect(day).toMatchObject({
      start: session.open,
      close: todays.at(-1)!.close,
      volume: todays.reduce((sum, m) => sum + m.volume, 0),
    });
  }

  it('shows history up to the replay clock and nothing after it, across seeks both ways', async () => {
    const timers = manualTimers();
    const stored = storedMinutes(3);
    const { engine, feed } = replayEngine(timers, stored);
    expect(engine.status()).toMatchObject({
      mode: 'replay',
      marketTime: THU.open,
      feed: { state: 'paused' },
    });
    await expectNothingAfter(engine, stored, THU.open);

    const received: Bar[] = [];
    engine.service.events['market.barsUpdated']({ symbols: ['AAA'] }, (p) => received.push(...p.bars));
    const friday = FRI.open + 200 * MINUTE;
    feed.control({ action: 'seek', time: friday });
    await expectNothingAfter(engine, stored, friday);
    expect(engine.status().marketTime).toBe(friday);

    // Back to Thursday while Friday's bars still wait in the fan-out: they go out before the seek
    // answers, and no Friday bar after it.
    const thursday = THU.open + 45 * MINUTE;
    feed.control({ action: 'seek', time: thursday });
    const answered = received.length;
    expect(received.some((b) => b.start >= FRI.open)).toBe(true);
    timers.drain();
    await expectNothingAfter(engine, stored, thursday);
    expect(engine.status().marketTime).toBe(thursday);
    timers.advance(100);
    expect(received.length).toBeGreaterThan(answered);
    expect(received.slice(answered).filter((b) => b.start >= FRI.open)).toEqual([]);

    feed.control({ action: 'play' });
    timers.advance(3_000);
    const clock = feed.state().time!;
    expect(engine.status().feed.state).toBe('live');
    await expectNothingAfter(engine, stored, Math.floor((clock - THU.open) / MINUTE) * MINUTE + THU.open);
  });

  it('replays a corrected source after a seek back: the engine holds the new minute, counted once', async () => {
    const timers = manualTimers();
    const stored = storedMinutes(4, 0);
    const { engine, feed } = replayEngine(timers, stored);
    const late = THU.open + 30 * MINUTE;
    feed.control({ action: 'seek', time: late });
    timers.drain();
    const i = stored.findIndex((b) => b.symbol === 'AAA' && b.start === THU.open + 10 * MINUTE);
    stored[i] = { ...stored[i]!, high: stored[i]!.high + 50, volume: stored[i]!.volume + 1000 };
    feed.control({ action: 'seek', time: THU.open + 5 * MINUTE });
    feed.control({ action: 'seek', time: late });
    timers.drain();
    await expectNothingAfter(engine, stored, late);
    const hour = (await bars(engine, 'AAA', '1h')).at(-1)!;
    expect(hour.high).toBe(stored[i].high);
  });
});
