/**
 * Replay mode end to end over a market database built with the store API: what it replays by default,
 * the range a trader asks for, the history the charts start with, the controls through the contract,
 * the refusals (nothing to replay, a database in use), and that the source is never written.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bar, ReplayState, Timeframe } from '../../shared/domain';
import { nyseCalendar, type Session } from '../core/calendar';
import type { Engine } from '../engine/kernel';
import { createMemoryLogger } from '../platform/log';
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

function replay(timers: ManualTimers, options: { from?: string; to?: string } = {}): Engine {
  const engine = createReplayEngine({
    dbPath: db,
    speed: 60,
    timers,
    log: createMemoryLogger(),
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
    expect(() => replay(timers)).toThrow(/holds no 1-minute bars to replay. Import history first/);
    buildMarketDatabase();
    expect(() => replay(timers, { from: '2025-04-01', to: '2025-04-03' })).toThrow(
      /No minute bars between 2025-04-01 and 2025-04-03 to replay. Stored minutes run from 2025-03-05 to 2025-03-13/,
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
