/**
 * The demo engine end to end in one process: synthetic feed -> aggregation -> store -> listeners,
 * with wall time driven by the test. What a trader relies on: history on every timeframe that agrees
 * with the minutes, live updates, replies that never miss a published bar, and a demo world that
 * resumes where it stopped.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Bar, Timeframe } from '../../shared/domain';
import { nyseCalendar } from '../core/calendar';
import { FANOUT_INTERVAL_MS } from '../engine/bar-fanout';
import type { Engine } from '../engine/kernel';
import { createDemoEngine, NotADemoDatabaseError } from './demo';
import { createMemoryLogger, type Logger } from '../platform/log';
import { openStore } from '../store/store';
import { manualTimers, type ManualTimers } from '../test-support/manual-timers';
import { ohlcvOf } from '../test-support/ohlcv-of';

const MINUTE = 60_000;
const FRIDAY_10AM = Date.UTC(2025, 2, 14, 14, 0); // 10:00 New York
const LENGTH = { '5m': 5, '15m': 15, '1h': 60, '4h': 240 } as const;

let dir: string;
const engines: Engine[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-engine-'));
});

afterEach(() => {
  for (const engine of engines.splice(0)) engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

function demo(
  timers: ManualTimers,
  options: { db?: string; seed?: number; speed?: number; startAt?: number; log?: Logger } = {},
): Engine {
  const engine = createDemoEngine({
    dbPath: options.db ?? join(dir, 'demo.sqlite'),
    seed: options.seed ?? 11,
    speed: options.speed ?? 60,
    startAt: options.startAt ?? FRIDAY_10AM,
    minuteSessions: 2,
    dailySessions: 5,
    timers,
    log: options.log ?? createMemoryLogger(),
  });
  engines.push(engine);
  return engine;
}

async function bars(engine: Engine, symbol: string, timeframe: Timeframe, limit = 5000): Promise<Bar[]> {
  return engine.service.handlers['market.bars']({ symbol, timeframe, limit });
}

describe('demo engine', () => {
  it('builds history on every timeframe that agrees with the stored minutes', async () => {
    const timers = manualTimers();
    const engine = demo(timers);
    engine.start();
    timers.drain();
    expect(engine.status().feed.state).toBe('live');
    const minutes = await bars(engine, 'SPY', '1m');
    // Two previous sessions of 390 minutes, then this morning from 09:30 to 09:59.
    expect(minutes).toHaveLength(2 * 390 + 30);
    expect(minutes.at(-1)!.start).toBe(FRIDAY_10AM - MINUTE);
    for (const timeframe of ['5m', '15m', '1h', '4h'] as const) {
      const higher = (await bars(engine, 'SPY', timeframe)).filter((b) => b.closed);
      expect(higher.length).toBeGreaterThan(0);
      for (const bar of higher) {
        const inside = minutes.filter(
          (m) => m.start >= bar.start && m.start < bar.start + LENGTH[timeframe] * MINUTE,
        );
        expect({ ...ohlcvOf(inside) }, `${timeframe} bar at ${new Date(bar.start).toISOString()}`).toEqual({
          open: bar.open,
          high: bar.high,
          low: bar.low,
          close: bar.close,
          volume: expect.closeTo(bar.volume, 6) as unknown,
        });
      }
    }
    const daily = await bars(engine, 'SPY', '1D');
    // Five sessions at daily resolution, two built from minutes, and today's forming bar.
    expect(daily).toHaveLength(5 + 2 + 1);
    expect(daily.at(-1)!.closed).toBe(false);
    const thursday = daily.at(-2)!;
    expect(
      ohlcvOf(minutes.filter((m) => m.start >= thursday.start && m.start < thursday.start + 390 * MINUTE))
        .close,
    ).toBe(thursday.close);
  });

  it('streams coalesced live updates for the listened symbols only', () => {
    const timers = manualTimers();
    const engine = demo(timers);
    engine.start();
    timers.drain();
    const payloads: Bar[][] = [];
    const stop = engine.service.events['market.barsUpdated']({ symbols: ['QQQ'] }, (p) =>
      payloads.push(p.bars),
    );
    timers.advance(2_000); // two market minutes at speed 60
    stop();
    const received = payloads.flat();
    expect(received.length).toBeGreaterThan(0);
    expect(new Set(received.map((b) => b.symbol))).toEqual(new Set(['QQQ']));
    const closedMinutes = received.filter((b) => b.timeframe === '1m' && b.closed).map((b) => b.start);
    expect(closedMinutes).toContain(FRIDAY_10AM);
    // Coalesced: at most one payload per fan-out interval, not one per trade.
    expect(payloads.length).toBeLessThanOrEqual(2_000 / FANOUT_INTERVAL_MS + 2);
  });

  it('answers market.bars with every bar already published (writes before it reads)', async () => {
    const timers = manualTimers();
    const engine = demo(timers);
    engine.start();
    timers.drain();
    let lastPublished: Bar | undefined;
    engine.service.events['market.barsUpdated']({ symbols: ['SPY'] }, (p) => {
      for (const bar of p.bars) if (bar.timeframe === '1m' && bar.closed) lastPublished = bar;
    });
    timers.advance(1_100);
    expect(lastPublished).toBeDefined();
    expect(engine.status().store.pendingWrites).toBeGreaterThan(0);
    const reply = await bars(engine, 'SPY', '1m', 3);
    expect(reply.find((b) => b.start === lastPublished!.start)).toEqual(lastPublished);
  });

  it('reports status: live feed, market time, rates, tick age and store size', () => {
    const timers = manualTimers();
    const engine = demo(timers);
    const pushed: string[] = [];
    engine.service.events['engine.statusChanged']({}, (s) => pushed.push(s.feed.state));
    engine.start();
    timers.drain();
    timers.advance(6_000);
    const status = engine.status();
    expect(status).toMatchObject({
      mode: 'demo',
      speed: 60,
      symbols: 10,
      feed: { source: 'synthetic', state: 'live' },
    });
    expect(status.marketTime).toBeGreaterThanOrEqual(FRIDAY_10AM + 5 * MINUTE);
    expect(status.barsPerSecond).toBeGreaterThan(5); // 10 symbols, one market minute per second
    expect(status.tradesPerSecond).toBeGreaterThan(10);
    expect(status.lastTickAgeMs).toBeLessThan(1_000);
    expect(status.store.bytes).toBeGreaterThan(0);
    expect(pushed).toEqual(expect.arrayContaining(['backfilling', 'live']));
  });

  it('resumes the stored world where it stopped: no gap, no duplicate, the day bar keeps its morning', async () => {
    const db = join(dir, 'world.sqlite');
    const first = manualTimers();
    const engine = demo(first, { db });
    engine.start();
    first.drain();
    first.advance(3_500); // 10:00, 10:01 and 10:02 close
    engine.stop();
    engines.splice(engines.indexOf(engine), 1);

    const second = manualTimers(first.now() + 3_600_000);
    const resumed = demo(second, { db });
    resumed.start();
    second.drain();
    second.advance(2_500);
    const minutes = (await bars(resumed, 'SPY', '1m')).map((b) => b.start);
    const today = minutes.filter((t) => t >= FRIDAY_10AM - 30 * MINUTE);
    expect(today).toEqual(
      Array.from({ length: today.length }, (_, i) => FRIDAY_10AM - 30 * MINUTE + i * MINUTE),
    );
    expect(today.at(-1)).toBeGreaterThanOrEqual(FRIDAY_10AM + 4 * MINUTE);
    const todayMinutes = (await bars(resumed, 'SPY', '1m')).filter(
      (b) => b.start >= FRIDAY_10AM - 30 * MINUTE && b.closed,
    );
    const day = (await bars(resumed, 'SPY', '1D')).at(-1)!;
    expect(day.open).toBe(todayMinutes[0]!.open);
    expect(day.volume).toBeGreaterThanOrEqual(todayMinutes.reduce((sum, m) => sum + m.volume, 0) - 1e-6);
  });

  it('is deterministic: the same seed and start give the same market', async () => {
    const run = async (name: string, seed: number) => {
      const timers = manualTimers();
      const engine = demo(timers, { db: join(dir, name), seed });
      engine.start();
      timers.drain();
      timers.advance(3_000);
      return { minutes: await bars(engine, 'NVDA', '1m'), hours: await bars(engine, 'NVDA', '1h') };
    };
    const a = await run('a.sqlite', 5);
    const b = await run('b.sqlite', 5);
    const c = await run('c.sqlite', 6);
    expect(a.minutes.length).toBeGreaterThan(800);
    expect(b).toEqual(a);
    expect(c.minutes.map((m) => m.close)).not.toEqual(a.minutes.map((m) => m.close));
  });

  it('refuses to turn a database of other market data into a demo world', () => {
    const db = join(dir, 'real.sqlite');
    const store = openStore(db);
    store.bars.upsert([
      {
        symbol: 'SPY',
        timeframe: '1D',
        start: Date.UTC(2021, 0, 4, 14, 30),
        open: 1,
        high: 2,
        low: 1,
        close: 2,
        volume: 5,
        closed: true,
      },
    ]);
    store.close();
    expect(() => demo(manualTimers(), { db })).toThrow(NotADemoDatabaseError);
    expect(() => demo(manualTimers(), { db })).toThrow(/will not overwrite it/);
  });

  describe('restarts', () => {
    const FRIDAY_1550 = Date.UTC(2025, 2, 14, 19, 50); // 15:50 New York, ten minutes before the close
    const FRIDAY_CLOSE = Date.UTC(2025, 2, 14, 20, 0);
    const MONDAY = nyseCalendar.sessionOn('2025-03-17')!;
    const END = MONDAY.open + 6 * MINUTE;
    const SYMBOLS = ['SPY', 'TLT', 'NVDA', 'JPM'];
    /** Market times at which the database is copied, as a SIGKILL or a stop would leave it. */
    const STOPS = [
      { name: 'mid-minute', at: FRIDAY_1550 + 2.5 * MINUTE },
      { name: 'in the last minute before the close', at: FRIDAY_CLOSE - 15_000 },
      { name: 'at the close, over the weekend', at: MONDAY.open },
      { name: 'mid-minute after the weekend', at: MONDAY.open + 1.5 * MINUTE },
    ];
    const SavedSchema = z.object({ seed: z.number(), saved: z.unknown() });

    const marketTime = (engine: Engine): number => engine.status().marketTime ?? 0;

    /** Advances wall time in quarter seconds (15 market seconds) until the market clock reaches `t`. */
    function runUntil(engine: Engine, timers: ManualTimers, t: number, onStep?: () => void): void {
      for (let guard = 0; marketTime(engine) < t && guard < 10_000; guard++) {
        timers.advance(250);
        onStep?.();
      }
    }

    /** The database files as they are now: what a SIGKILL at this instant leaves behind. */
    function copyDatabase(from: string, to: string): void {
      copyFileSync(from, to);
      if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${to}-wal`);
    }

    async function minutes(engine: Engine): Promise<Bar[]> {
      const out: Bar[] = [];
      for (const symbol of SYMBOLS) {
        out.push(...(await bars(engine, symbol, '1m')).filter((b) => b.start >= FRIDAY_1550 - 60 * MINUTE));
      }
      return out.filter((b) => b.start < END);
    }

    function savedState(db: string): unknown {
      const store = openStore(db);
      try {
        return store.settings.get('demo.world', SavedSchema)?.saved;
      } finally {
        store.close();
      }
    }

    it('continues after a kill or a stop at any point exactly as a world that never stopped', async () => {
      const reference = join(dir, 'reference.sqlite');
      const timers = manualTimers();
      const engine = demo(timers, { db: reference, startAt: FRIDAY_1550 });
      engine.start();
      timers.drain();
      const copies: { name: string; db: string }[] = [];
      let next = 0;
      runUntil(engine, timers, END + MINUTE, () => {
        while (next < STOPS.length && marketTime(engine) >= STOPS[next]!.at) {
          const { name } = STOPS[next++]!;
          const killed = join(dir, `killed-${next}.sqlite`);
          copyDatabase(reference, killed);
          copies.push({ name: `killed ${name}`, db: killed });
          // Killed right after a write: market.bars flushes the write queue before it reads.
          void bars(engine, 'SPY', '1m', 1);
          const flushed = join(dir, `flushed-${next}.sqlite`);
          copyDatabase(reference, flushed);
          copies.push({ name: `killed after a write ${name}`, db: flushed });
        }
      });
      expect(copies).toHaveLength(2 * STOPS.length);
      // Stopped the ordinary way (the forming bars written too), in worlds of their own.
      for (const [k, { name, at }] of STOPS.entries()) {
        const stopped = join(dir, `stopped-${k}.sqlite`);
        const stopTimers = manualTimers();
        const world = demo(stopTimers, { db: stopped, startAt: FRIDAY_1550 });
        world.start();
        stopTimers.drain();
        runUntil(world, stopTimers, at);
        engines.splice(engines.indexOf(world), 1);
        world.stop();
        copies.push({ name: `stopped ${name}`, db: stopped });
      }
      const expected = await minutes(engine);
      expect(expected.filter((b) => b.start === MONDAY.open + 5 * MINUTE)).toHaveLength(SYMBOLS.length);
      engines.splice(engines.indexOf(engine), 1);
      engine.stop();
      const expectedState = savedState(reference);
      expect(expectedState).toBeDefined();

      for (const { name, db } of copies) {
        const log = createMemoryLogger();
        const resumedTimers = manualTimers(timers.now() + 3_600_000);
        const resumed = demo(resumedTimers, { db, log, startAt: FRIDAY_10AM });
        resumed.start();
        resumedTimers.drain();
        runUntil(resumed, resumedTimers, END + MINUTE);
        const got = await minutes(resumed);
        // Every minute, every symbol, bit for bit: the first open after the restart is the last stored
        // close, the weekend gap is the one the uninterrupted world had, and nothing is missing.
        expect(got, name).toEqual(expected);
        // Higher timeframes rebuilt through the restart agree with their minutes.
        const spy = got.filter((b) => b.symbol === 'SPY');
        for (const five of (await bars(resumed, 'SPY', '5m')).filter(
          (b) => b.closed && b.start >= FRIDAY_1550,
        )) {
          const inside = spy.filter((m) => m.start >= five.start && m.start < five.start + 5 * MINUTE);
          if (inside.length < 5) continue;
          expect({ ...ohlcvOf(inside), volume: expect.closeTo(five.volume, 6) as unknown }, name).toEqual({
            open: five.open,
            high: five.high,
            low: five.low,
            close: five.close,
            volume: five.volume,
          });
        }
        engines.splice(engines.indexOf(resumed), 1);
        resumed.stop();
        // The regime, volatility, volume level, trend and prices saved for Monday are the same too.
        expect(savedState(db), name).toEqual(expectedState);
        expect(log.lines.join('\n'), name).toContain('resuming the demo world');
        expect(
          log.lines.filter((l) => / (WARN|ERROR) /.test(l)),
          name,
        ).toEqual([]);
      }
    });

    it.each([
      ['saved by an older version, without a state', { seed: 11 }, false],
      ['whose saved state is unreadable', { seed: 11, saved: { state: 'garbage' } }, true],
    ])('continues a world %s from its last closes', async (_name, world, warns) => {
      const db = join(dir, 'old.sqlite');
      const first = manualTimers();
      const engine = demo(first, { db });
      engine.start();
      first.drain();
      first.advance(2_500);
      engine.stop();
      engines.splice(engines.indexOf(engine), 1);
      const store = openStore(db);
      const lastClose = store.bars
        .range('SPY', '1m', { limit: 2 })
        .filter((b) => b.closed)
        .at(-1)!;
      store.settings.set('demo.world', world);
      store.close();

      const log = createMemoryLogger();
      const second = manualTimers(first.now() + 60_000);
      const resumed = demo(second, { db, log });
      resumed.start();
      second.drain();
      second.advance(3_000);
      const after = (await bars(resumed, 'SPY', '1m')).filter((b) => b.start > lastClose.start);
      expect(after[0]!.start).toBe(lastClose.start + MINUTE);
      expect(after[0]!.open).toBe(lastClose.close);
      expect(after.filter((b) => b.closed).length).toBeGreaterThanOrEqual(2);
      expect(log.lines.some((l) => l.includes('WARN'))).toBe(warns);
      const stoppedAt = after.filter((b) => b.closed).at(-1)!;
      engines.splice(engines.indexOf(resumed), 1);
      resumed.stop();

      // It saved its state on the way (for the minute it joined its session at): the next restart uses
      // it without a word and still continues from the last close.
      const thirdLog = createMemoryLogger();
      const third = manualTimers(second.now() + 60_000);
      const again = demo(third, { db, log: thirdLog });
      again.start();
      third.drain();
      third.advance(2_000);
      const next = (await bars(again, 'SPY', '1m')).find((b) => b.start === stoppedAt.start + MINUTE)!;
      expect(next.open).toBe(stoppedAt.close);
      expect(thirdLog.lines.filter((l) => / (WARN|ERROR) /.test(l))).toEqual([]);
    });
  });
});
