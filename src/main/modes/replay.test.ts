/**
 * Replay mode end to end over a market database built with the store API: what it replays by default,
 * the range a trader asks for, the history the charts start with, the controls through the contract,
 * the refusals (nothing to replay, a database in use), and that the source is never written.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bar, ReplayGranularity, ReplayState, Speed, Timeframe } from '../../shared/domain';
import { nyseCalendar, type Session } from '../core/calendar';
import type { Engine } from '../engine/kernel';
import { createMemoryLogger, type Logger } from '../platform/log';
import { StoreInUseError } from '../store/errors';
import { openStore } from '../store/store';
import { manualTimers, type ManualTimers } from '../test-support/manual-timers';
import { ModeError } from './mode-choice';
import { createReplayEngine } from './replay';

const MINUTE = 60_000;
/** Nine sessions, Mon 3 to Thu 13 March 2025: minutes on all but the first two (daily bars only there). */
const DATES = [
  '2025-03-03',
  '2025-03-04',
  '2025-03-05',
  '2025-03-06',
  '2025-03-07',
  '2025-03-10',
  '2025-03-11',
  '2025-03-12',
  '2025-03-13',
];
const SESSIONS: Session[] = DATES.map((date) => nyseCalendar.sessionOn(date)!);
const day = (date: string): number => Date.parse(`${date}T00:00:00Z`);

let dir: string;
let db: string;
const engines: Engine[] = [];

function minuteBars(symbol: string, session: Session, price: number, every = 1): Bar[] {
  const bars: Bar[] = [];
  for (let start = session.open, i = 0; start < session.close; start += every * MINUTE, i++) {
    const close = price + Math.sin(i / 5);
    bars.push({
      symbol,
      timeframe: '1m',
      start,
      open: price,
      high: Math.max(price, close) + 0.1,
      low: Math.min(price, close) - 0.1,
      close,
      volume: 100 + i,
      closed: true,
    });
  }
  return bars;
}

/** A market database as an import leaves it: SPY and QQQ minutes, SPY daily bars before them. */
function buildMarketDatabase(): void {
  const store = openStore(db);
  store.symbols.register({
    symbol: 'SPY',
    name: 'SPDR S&P 500',
    kind: 'index-etf',
    calendar: 'XNYS',
    source: 'import',
  });
  store.symbols.register({
    symbol: 'QQQ',
    name: 'Invesco QQQ',
    kind: 'index-etf',
    calendar: 'XNYS',
    source: 'import',
  });
  for (const session of SESSIONS.slice(0, 2)) {
    store.bars.upsert([
      {
        symbol: 'SPY',
        timeframe: '1D',
        start: session.open,
        open: 500,
        high: 505,
        low: 495,
        close: 501,
        volume: 1e6,
        closed: true,
      },
    ]);
  }
  for (const session of SESSIONS.slice(2)) {
    store.bars.upsert(minuteBars('SPY', session, 500));
    // QQQ trades thinly in the last session only: every third minute.
    if (session === SESSIONS.at(-1)) store.bars.upsert(minuteBars('QQQ', session, 400, 3));
  }
  store.close();
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-replay-mode-'));
  db = join(dir, 'market.sqlite');
});

afterEach(() => {
  for (const engine of engines.splice(0)) engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

function replay(
  timers: ManualTimers,
  /** speed: null for the replay's default. */
  options: { from?: string; to?: string; bars?: ReplayGranularity; speed?: Speed | null; log?: Logger } = {},
): Engine {
  const engine = createReplayEngine({
    dbPath: db,
    ...(options.speed !== null ? { speed: options.speed ?? 60 } : {}),
    timers,
    log: options.log ?? createMemoryLogger(),
    ...(options.bars ? { bars: options.bars } : {}),
    // No autoplay given: a replay waits at its first open for Play (the first test checks it).
    ...(options.from ? { from: day(options.from) } : {}),
    ...(options.to ? { to: day(options.to) } : {}),
  });
  engines.push(engine);
  return engine;
}

const bars = (engine: Engine, symbol: string, timeframe: Timeframe): Promise<Bar[]> =>
  Promise.resolve(engine.service.handlers['market.bars']({ symbol, timeframe, limit: 10_000 }));
const state = (engine: Engine): Promise<ReplayState> =>
  Promise.resolve(engine.service.handlers['replay.state']({}));

describe('replay mode', () => {
  it('replays the last five sessions with minutes, warmed up with the sessions and daily bars before', async () => {
    buildMarketDatabase();
    const timers = manualTimers();
    const engine = replay(timers);
    engine.start();
    timers.drain();
    const first = SESSIONS[4]!;
    const last = SESSIONS.at(-1)!;
    expect(await state(engine)).toEqual({
      from: first.open,
      to: last.close,
      time: first.open,
      playing: false,
      speed: 60,
      finished: false,
      symbols: ['QQQ', 'SPY'],
      granularity: '1m',
    });
    expect(engine.status()).toMatchObject({
      mode: 'replay',
      marketTime: first.open,
      feed: { source: 'replay', state: 'paused' },
    });
    const symbols = await Promise.resolve(engine.service.handlers['market.symbols']({}));
    expect(symbols).toEqual([
      { symbol: 'QQQ', name: 'Invesco QQQ', kind: 'index-etf', calendar: 'XNYS' },
      { symbol: 'SPY', name: 'SPDR S&P 500', kind: 'index-etf', calendar: 'XNYS' },
    ]);
    // The charts start with the two daily bars and the minutes of the sessions before the range.
    const daily = await bars(engine, 'SPY', '1D');
    expect(daily.map((b) => b.start)).toEqual(SESSIONS.slice(0, 4).map((s) => s.open));
    expect(daily[2]).toMatchObject({ volume: 390 * 100 + (389 * 390) / 2, closed: true });
    const minutes = await bars(engine, 'SPY', '1m');
    expect(minutes.at(0)!.start).toBe(SESSIONS[2]!.open);
    expect(minutes.at(-1)!.start).toBe(SESSIONS[3]!.close - MINUTE);
  });

  it('plays, steps, seeks and finishes through the contract, and says why a command cannot be done', async () => {
    buildMarketDatabase();
    const timers = manualTimers();
    const engine = replay(timers, { from: '2025-03-12', to: '2025-03-13' });
    engine.start();
    timers.drain();
    const [wed, thu] = SESSIONS.slice(-2) as [Session, Session];
    const control = engine.service.handlers['replay.control'];
    expect(await Promise.resolve(control({ action: 'step' }))).toMatchObject({ time: wed.open + MINUTE });
    expect((await bars(engine, 'SPY', '1m')).at(-1)!.start).toBe(wed.open);
    await Promise.resolve(control({ action: 'play' }));
    timers.advance(5_000);
    expect(engine.status().feed.state).toBe('live');
    expect((await state(engine)).time).toBeGreaterThanOrEqual(wed.open + 5 * MINUTE);
    expect(() => control({ action: 'seek', time: thu.close + MINUTE })).toThrow(
      /Cannot seek to .* Pick a time in between/,
    );
    expect(() => control({ action: 'speed', speed: 0.25 })).toThrow(/out of range/);
    await Promise.resolve(control({ action: 'seek', time: thu.open + 60 * MINUTE }));
    timers.drain();
    expect((await bars(engine, 'QQQ', '1m')).at(-1)!.start).toBe(thu.open + 57 * MINUTE);
    await Promise.resolve(control({ action: 'speed', speed: 'max' }));
    timers.drain();
    expect(await state(engine)).toMatchObject({ finished: true, playing: false, time: thu.close });
    expect(engine.status().feed.state).toBe('closed');
    const day = (await bars(engine, 'QQQ', '1D')).at(-1)!;
    expect(day).toMatchObject({
      start: thu.open,
      closed: true,
      volume: minuteBars('QQQ', thu, 400, 3).reduce((s, b) => s + b.volume, 0),
    });
  });

  it('writes nothing to the source, and removes its scratch store when it stops', async () => {
    buildMarketDatabase();
    const timers = manualTimers();
    const engine = replay(timers);
    engine.start();
    await engine.service.handlers['replay.control']({ action: 'speed', speed: 'max' });
    await engine.service.handlers['replay.control']({ action: 'play' });
    timers.drain();
    const scratch = engine.status().store.path;
    expect(dirname(scratch)).not.toBe(dir);
    engine.stop();
    engines.splice(engines.indexOf(engine), 1);
    expect(existsSync(dirname(scratch))).toBe(false);
    const source = openStore(db);
    expect(source.bars.count()).toBe(2 + 7 * 390 + 130);
    expect(source.bars.forming()).toEqual([]);
    source.close();
  });

  it('refuses with what to do: no database, no minutes, no minutes in the range, a database in use', () => {
    const timers = manualTimers();
    expect(() => replay(timers)).toThrow(ModeError);
    expect(() => replay(timers)).toThrow(/Import history first with "npx trm import <files>"/);
    openStore(db).close();
    expect(() => replay(timers)).toThrow(/holds no 1-minute or daily bars to replay. Import history first/);
    buildMarketDatabase();
    expect(() => replay(timers, { from: '2025-04-01', to: '2025-04-03' })).toThrow(
      'No 1-minute or daily bars between 2025-04-01 and 2025-04-03 to replay. The database holds 1-minute ' +
        'bars from 2025-03-05 to 2025-03-13 and daily bars from 2025-03-03 to 2025-03-04.',
    );
    expect(() => replay(timers, { from: '2025-03-13', to: '2025-03-12' })).toThrow(
      /Pick a --from on or before --to/,
    );
    const holder = openStore(db);
    try {
      expect(() => replay(timers)).toThrow(StoreInUseError);
    } finally {
      holder.close();
    }
  });
});

/** NYSE sessions up to Friday 31 December 2021, oldest first: end-of-day history as an import leaves it. */
const DAILY: Session[] = [];
for (let s = nyseCalendar.sessionOn('2021-12-31')!; DAILY.length < 1300; s = nyseCalendar.previousSession(s))
  DAILY.unshift(s);
/** The default daily range: the last 250 sessions. */
const RANGE = DAILY.slice(-250);
const FIRST = DAILY.length - 250;

/** Daily bars of `symbols` (TLT listed later: its last 300 sessions only), registered as an import does. */
function buildDailyDatabase(symbols: readonly string[] = ['SPY', 'QQQ', 'TLT']): void {
  const store = openStore(db);
  for (const symbol of symbols) {
    store.symbols.register({
      symbol,
      name: symbol,
      kind: symbol === 'TLT' ? 'bond-etf' : 'index-etf',
      calendar: 'XNYS',
      source: 'import',
    });
    const sessions = symbol === 'TLT' ? DAILY.slice(-300) : DAILY;
    store.bars.upsert(
      sessions.map((session, i) => {
        const price = 100 + Math.sin(i / 9) * 10 + symbol.length;
        return {
          symbol,
          timeframe: '1D' as const,
          start: session.open,
          open: price,
          high: price + 1.5,
          low: price - 1.5,
          close: price + (i % 2 === 0 ? 0.5 : -0.5),
          volume: 1e6 + i,
          closed: true,
        };
      }),
    );
  }
  store.close();
}

describe('daily replay', () => {
  it('replays a database of daily bars alone: its last 250 sessions, after up to 1,000 sessions of history', async () => {
    buildDailyDatabase();
    const timers = manualTimers();
    const engine = replay(timers, { speed: null });
    engine.start();
    timers.drain();
    expect(await state(engine)).toEqual({
      from: RANGE[0]!.open,
      to: RANGE.at(-1)!.close,
      time: RANGE[0]!.open,
      playing: false,
      speed: 23_400,
      finished: false,
      symbols: ['QQQ', 'SPY', 'TLT'],
      granularity: '1D',
    });
    const spy = await bars(engine, 'SPY', '1D');
    expect(spy.map((b) => b.start)).toEqual(DAILY.slice(FIRST - 1000, FIRST).map((s) => s.open));
    expect(spy.every((b) => b.closed)).toBe(true);
    expect(await bars(engine, 'TLT', '1D'), 'all it has before the range').toHaveLength(50);
    expect(await bars(engine, 'SPY', '1m'), 'nothing intraday').toEqual([]);
  });

  it('at max, each session reaches market.bars once, closed, by symbol, written before the next, the clock at its close', async () => {
    buildDailyDatabase();
    const timers = manualTimers();
    const engine = replay(timers, { speed: 'max' });
    const events: ({ bars: Bar[]; pending: number } | { time: number })[] = [];
    engine.bus.subscribe('market.bars', (published) =>
      events.push({ bars: [...published], pending: engine.status().store.pendingWrites }),
    );
    engine.bus.subscribe('market.time', (time) => events.push({ time }));
    engine.start();
    await engine.service.handlers['replay.control']({ action: 'play' });
    timers.drain();
    expect(await state(engine)).toMatchObject({ finished: true, time: RANGE.at(-1)!.close });

    const replayed = events.flatMap((e, i) =>
      'bars' in e && e.bars[0]!.start >= RANGE[0]!.open ? [{ ...e, next: events[i + 1] }] : [],
    );
    expect(replayed.map((e) => e.bars[0]!.start)).toEqual(RANGE.map((s) => s.open));
    for (const { bars: published, pending, next } of replayed) {
      const session = nyseCalendar.sessionAt(published[0]!.start)!;
      expect(published.map((b) => [b.symbol, b.timeframe, b.start, b.closed])).toEqual(
        ['QQQ', 'SPY', 'TLT'].map((symbol) => [symbol, '1D', session.open, true]),
      );
      expect(pending, 'the sessions before are written').toBe(published.length);
      expect(next).toEqual({ time: session.close });
    }
    const spy = await bars(engine, 'SPY', '1D');
    expect(spy).toHaveLength(1250);
    expect(spy.at(-1)!.start).toBe(RANGE.at(-1)!.open);
  });

  it('steps one session, and a seek back deletes the sessions after the time sought', async () => {
    buildDailyDatabase();
    const timers = manualTimers();
    const engine = replay(timers);
    engine.start();
    timers.drain();
    const control = engine.service.handlers['replay.control'];
    const lastDaily = async (): Promise<number> => (await bars(engine, 'SPY', '1D')).at(-1)!.start;
    expect(await Promise.resolve(control({ action: 'step' }))).toMatchObject({
      time: RANGE[0]!.close,
      playing: false,
    });
    expect(await lastDaily()).toBe(RANGE[0]!.open);
    expect(await Promise.resolve(control({ action: 'step' }))).toMatchObject({ time: RANGE[1]!.close });
    expect(await lastDaily()).toBe(RANGE[1]!.open);

    await Promise.resolve(control({ action: 'seek', time: RANGE[100]!.close }));
    timers.drain();
    expect(await lastDaily()).toBe(RANGE[100]!.open);
    const back = RANGE[40]!.open + 3_600_000;
    await Promise.resolve(control({ action: 'seek', time: back }));
    timers.drain();
    expect(await state(engine)).toMatchObject({ time: back });
    expect(engine.status().marketTime).toBe(back);
    const spy = await bars(engine, 'SPY', '1D');
    expect(spy.at(-1)!.start, 'nothing from the session sought on').toBe(RANGE[39]!.open);
    expect(spy).toHaveLength(1000 + 40);
    expect((await bars(engine, 'QQQ', '1D')).at(-1)!.start).toBe(RANGE[39]!.open);
  });

  it('refuses with what the database holds and what to pass; replays without SPY, saying predictions need it', () => {
    buildDailyDatabase();
    const timers = manualTimers();
    const held = `daily bars from ${DAILY[0]!.date} to 2021-12-31`;
    expect(() => replay(timers, { bars: '1m' })).toThrow(
      `The market database holds no 1-minute bars to replay, only ${held}: replay those with --bars 1D, ` +
        'or import 1-minute bars with "npx trm import <files>".',
    );
    expect(() => replay(timers, { bars: '1D', from: '2030-01-02', to: '2030-01-31' })).toThrow(
      `No daily bars between 2030-01-02 and 2030-01-31 to replay. The database holds ${held} (no 1-minute ` +
        'bars). Pick dates in that span with --from and --to.',
    );
    expect(() => replay(timers, { from: '2021-06-10', to: '2021-06-01' })).toThrow(
      /No trading session from 2021-06-10 to 2021-06-01. Pick a --from on or before --to/,
    );

    rmSync(db);
    buildDailyDatabase(['QQQ', 'TLT']);
    const log = createMemoryLogger();
    const engine = replay(timers, { log });
    expect(engine.mode).toBe('replay');
    expect(log.lines.filter((line) => line.includes('SPY'))).toEqual([
      expect.stringMatching(
        /SPY has no daily bars in this range: the strategy model decides on them, so this replay shows no predictions/,
      ),
    ]);
  });

  it('in a database of minutes (2025) and daily history (to 2021) plays minutes by default, daily bars when asked or where only they are', async () => {
    buildMarketDatabase();
    buildDailyDatabase();
    const timers = manualTimers();
    const minutes = replay(timers);
    expect(await state(minutes)).toMatchObject({ granularity: '1m', symbols: ['QQQ', 'SPY'] });
    minutes.stop();
    engines.splice(engines.indexOf(minutes), 1);

    const daily = replay(timers, { bars: '1D', speed: null });
    // The default daily range ends with the last session that has daily bars (2025's two daily bars).
    expect(await state(daily)).toMatchObject({ granularity: '1D', speed: 23_400, to: SESSIONS[1]!.close });
    daily.stop();
    engines.splice(engines.indexOf(daily), 1);

    const june = replay(timers, { from: '2021-06-01', to: '2021-06-30' });
    expect(await state(june)).toMatchObject({
      granularity: '1D',
      from: nyseCalendar.sessionOn('2021-06-01')!.open,
      to: nyseCalendar.sessionOn('2021-06-30')!.close,
      symbols: ['QQQ', 'SPY', 'TLT'],
    });
    june.stop();
    engines.splice(engines.indexOf(june), 1);

    expect(() => replay(timers, { bars: '1m', from: '2021-06-01', to: '2021-06-30' })).toThrow(
      'No minute bars between 2021-06-01 and 2021-06-30 to replay. The database holds 1-minute bars from ' +
        `2025-03-05 to 2025-03-13 and daily bars from ${DAILY[0]!.date} to 2025-03-04. Pick dates in that ` +
        'span with --from and --to, or replay daily bars with --bars 1D.',
    );
  });
});
