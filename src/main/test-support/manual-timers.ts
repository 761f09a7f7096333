/**
 * Timers driven by the test: wall time moves only when the test advances it, and deferred work runs
 * only when drained, so paced feeds and coalescing can be checked exactly.
 */
import type { Timers } from '../platform/clock';

export interface ManualTimers extends Timers {
  /** Moves wall time forward, running due timers (and the deferred work they queue) in time order. */
  advance(ms: number): void;
  /** Runs deferred work until none is left (or `limit` rounds pass). */
  drain(limit?: number): void;
  readonly pendingTimers: number;
}

export function manualTimers(start = 1_750_000_000_000): ManualTimers {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { due: number; fn: () => void }>();
  let deferred: (() => void)[] = [];

  const drain = (limit = 1_000_000): void => {
    for (let round = 0; deferred.length > 0 && round < limit; round++) {
      const batch = deferred;
      deferred = [];
      for (const fn of batch) fn();
    }
  };

  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { due: now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    defer(fn) {
      deferred.push(fn);
    },
    advance(ms) {
      const until = now + ms;
      drain();
      for (;;) {
        let nextKey: number | null = null;
        let nextDue = Infinity;
        for (const [id, timer] of timers) {
          if (timer.due <= until && timer.due < nextDue) {
            nextDue = timer.due;
            nextKey = id;
          }
        }
        if (nextKey === null) break;
        const timer = timers.get(nextKey)!;
        timers.delete(nextKey);
        now = Math.max(now, timer.due);
        timer.fn();
        drain();
      }
      now = until;
    },
    drain,
    get pendingTimers() {
      return timers.size;
    },
  };
}
