import { describe, expect, it } from 'vitest';
import type { Speed } from '../../shared/domain';
import { manualTimers } from '../test-support/manual-timers';
import { Pacer, type PacedSource } from './pacer';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2025, 2, 14, 14, 0);

/** Events at fixed market times; `emitted` records the time of each one the pacer let out. */
function eventsAt(times: readonly number[]) {
  const emitted: number[] = [];
  const untils: number[] = [];
  let next = 0;
  const source: PacedSource = {
    advance(until, budget) {
      untils.push(until);
      for (let n = 0; next < times.length && times[next]! <= until; n++) {
        if (n >= budget) return times[next]!;
        emitted.push(times[next]!);
        next++;
      }
      return next < times.length ? times[next]! : null;
    },
  };
  return { source, emitted, untils };
}

/** Open 14:00-21:00 UTC every day (a stand-in for a session calendar). */
const openAt = (t: number): number => {
  const day = Math.floor(t / (24 * HOUR)) * 24 * HOUR;
  if (t < day + 14 * HOUR) return day + 14 * HOUR;
  if (t >= day + 21 * HOUR) return day + 38 * HOUR;
  return t;
};

function pacer(
  times: readonly number[],
  speed: Speed,
  options: { unitsPerTick?: number; unitsPerSlice?: number } = {},
) {
  const timers = manualTimers();
  const events = eventsAt(times);
  let finished = 0;
  const p = new Pacer(events.source, {
    timers,
    speed,
    openAt,
    tickMs: 25,
    ...options,
    onFinish: () => finished++,
  });
  return { p, timers, ...events, finished: () => finished };
}

const everyMinute = (from: number, count: number): number[] =>
  Array.from({ length: count }, (_, i) => from + (i + 1) * MINUTE);

describe('Pacer', () => {
  it('lets `speed` market seconds pass per wall second', () => {
    const { p, timers, emitted } = pacer(everyMinute(T0, 30), 60);
    p.start(T0);
    timers.advance(2_990); // just under 3 market minutes
    expect(emitted).toEqual([T0 + MINUTE, T0 + 2 * MINUTE]);
    timers.advance(20);
    expect(emitted).toHaveLength(3);
    expect(p.time).toBeGreaterThanOrEqual(T0 + 3 * MINUTE);
    expect(p.time).toBeLessThan(T0 + 3 * MINUTE + 60 * 50);
  });

  it('holds the clock while paused and carries on from there', () => {
    const { p, timers, emitted } = pacer(everyMinute(T0, 30), 60);
    p.start(T0);
    timers.advance(1_500);
    p.pause();
    expect(p.running).toBe(false);
    const clock = p.time;
    timers.advance(60_000);
    expect(emitted).toEqual([T0 + MINUTE]);
    expect(p.time).toBe(clock);
    p.play();
    timers.advance(600); // 1.5 + 0.6 wall seconds of play: the second minute is due
    expect(emitted).toEqual([T0 + MINUTE, T0 + 2 * MINUTE]);
  });

  it('changes speed from the market time reached, without a jump', () => {
    const { p, timers, emitted } = pacer(everyMinute(T0, 600), 60);
    p.start(T0);
    timers.advance(1_000);
    p.setSpeed(600);
    const clock = p.time;
    expect(clock).toBe(T0 + MINUTE);
    timers.advance(1_000); // ten market minutes at 600x
    expect(emitted.at(-1)).toBe(T0 + 11 * MINUTE);
    expect(p.speed).toBe(600);
  });

  it('skips closed hours: after the close the next open comes at once', () => {
    const close = T0 + 7 * HOUR; // 21:00
    const nextOpen = T0 + 24 * HOUR; // 14:00 the next day
    const { p, timers, emitted } = pacer([close - MINUTE, close, nextOpen + MINUTE], 60);
    p.start(close - 2 * MINUTE);
    timers.advance(2_100);
    expect(emitted).toEqual([close - MINUTE, close]);
    expect(p.time, 'the night passed in one tick').toBeGreaterThanOrEqual(nextOpen);
    timers.advance(1_000);
    expect(emitted).toEqual([close - MINUTE, close, nextOpen + MINUTE]);
  });

  it('falls behind instead of piling up work a tick cannot do', () => {
    const { p, timers, emitted } = pacer(everyMinute(T0, 1000), 60_000, { unitsPerTick: 10 });
    p.start(T0);
    timers.advance(100); // four ticks; 100 market minutes are due at this speed
    expect(emitted.length).toBeLessThanOrEqual(5 * 10);
    expect(emitted).toEqual(everyMinute(T0, emitted.length));
  });

  it("runs as fast as possible at 'max', yielding to the event loop between slices", () => {
    const { p, timers, emitted, finished } = pacer(everyMinute(T0, 95), 'max', { unitsPerSlice: 10 });
    p.start(T0);
    expect(emitted, 'one slice before start() returns').toHaveLength(10);
    timers.drain(3);
    expect(emitted, 'one slice per turn of the event loop').toHaveLength(40);
    expect(finished()).toBe(0);
    timers.drain();
    expect(emitted).toEqual(everyMinute(T0, 95));
    expect(finished()).toBe(1);
    expect(p.finished).toBe(true);
  });

  it('switches between paced and max, and stops for good', () => {
    const { p, timers, emitted, untils } = pacer(everyMinute(T0, 100), 60, { unitsPerSlice: 5 });
    p.start(T0);
    timers.advance(1_000);
    p.setSpeed('max');
    timers.drain(2);
    expect(emitted).toHaveLength(1 + 10);
    // Max left the clock at the next event (T0 + 12 min): paced from there, one market minute later.
    p.setSpeed(60);
    const calls = untils.length;
    timers.advance(1_000);
    expect(emitted.at(-1)).toBe(T0 + 13 * MINUTE);
    expect(untils.slice(calls).every((u) => Number.isFinite(u))).toBe(true);
    p.stop();
    timers.advance(10_000);
    timers.drain();
    expect(emitted).toHaveLength(13);
  });

  it('jumps the clock without emitting, and may run again after finishing', () => {
    const times = everyMinute(T0, 3);
    const { p, timers, emitted, finished } = pacer(times, 'max');
    p.start(T0);
    expect(finished()).toBe(1);
    p.jump(T0 + 2 * MINUTE);
    expect(p.time).toBe(T0 + 2 * MINUTE);
    expect(p.finished).toBe(false);
    p.play();
    timers.drain();
    expect(emitted).toEqual(times);
    expect(finished()).toBe(2);
  });
});
