import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bar } from '../../shared/domain';
import { BarWriter, type BarWriterOptions } from './bar-writer';
import { openStore, type Store } from './store';
import { bar, MINUTE, series, T0, tempDir, type TempDir } from './test-fixtures/helpers';

/** A timer pair the test fires by hand: `armed` holds the callbacks not yet fired or cleared. */
function manualTimers() {
  const armed = new Map<number, { callback: () => void; ms: number }>();
  let next = 0;
  return {
    armed,
    setTimer: (callback: () => void, ms: number) => {
      armed.set(++next, { callback, ms });
      return next;
    },
    clearTimer: (handle: unknown) => armed.delete(handle as number),
    fire: () => {
      const due = [...armed.entries()];
      armed.clear();
      for (const [, timer] of due) timer.callback();
    },
  };
}

let tmp: TempDir;
let store: Store;
let timers: ReturnType<typeof manualTimers>;
let errors: unknown[];
const writer = (options: BarWriterOptions = {}, sink: { upsert(bars: readonly Bar[]): void } = store.bars) =>
  new BarWriter(sink, {
    setTimer: timers.setTimer,
    clearTimer: timers.clearTimer,
    onError: (error) => errors.push(error),
    ...options,
  });

beforeEach(() => {
  tmp = tempDir();
  store = openStore(tmp.file('trm.sqlite'));
  timers = manualTimers();
  errors = [];
});
afterEach(() => {
  store.close();
  tmp.remove();
});

describe('BarWriter', () => {
  it('coalesces updates of the same bar so a forming bar costs one row per flush', () => {
    const w = writer();
    for (let i = 0; i < 50; i++) {
      w.enqueue([bar({ close: 470 + i / 100, high: 471, closed: i === 49 })]);
    }
    w.enqueue(series('QQQ', 3));
    expect(w.pending).toBe(4);

    expect(w.flush()).toBe(true);
    expect(w.pending).toBe(0);
    expect({ rows: w.rowsWritten, batches: w.batches }).toEqual({ rows: 4, batches: 1 });
    expect(store.bars.latest('SPY', '1m')).toEqual(bar({ close: 470.49, high: 471, closed: true }));
    expect(store.bars.count()).toBe(4);
  });

  it('writes nothing before a flush is due', () => {
    const w = writer();
    w.enqueue(series('SPY', 10));
    expect(store.bars.count()).toBe(0);
    expect(w.pending).toBe(10);
  });

  it('flushes on the timer, armed once per batch with the configured interval', () => {
    const w = writer({ flushIntervalMs: 100 });
    expect(timers.armed.size).toBe(0);
    w.enqueue(series('SPY', 2));
    w.enqueue(series('QQQ', 2));
    expect([...timers.armed.values()].map((t) => t.ms)).toEqual([100]);

    timers.fire();
    expect(store.bars.count()).toBe(4);
    expect(w.batches).toBe(1);
    expect(timers.armed.size).toBe(0);
  });

  it('flushes as soon as the batch reaches maxBatch distinct rows', () => {
    const w = writer({ maxBatch: 10 });
    const bars = series('SPY', 25);
    for (const b of bars.slice(0, 9)) w.enqueue([b]);
    w.enqueue([bars[8]!]); // an update of a queued bar does not grow the batch
    expect(store.bars.count()).toBe(0);

    w.enqueue([bars[9]!]);
    expect(store.bars.count()).toBe(10);
    expect(w.pending).toBe(0);
    expect(timers.armed.size).toBe(0);

    w.enqueue(bars.slice(10)); // one call past the limit is still one transaction
    expect({ count: store.bars.count(), batches: w.batches }).toEqual({ count: 25, batches: 2 });
  });

  it('keeps the rows and reports the error when a flush fails, then writes them on the next attempt', () => {
    const path = store.path;
    let target = store;
    const w = writer({ maxBatch: 5 }, { upsert: (bars) => target.bars.upsert(bars) });
    w.enqueue(series('SPY', 3));
    store.close(); // the database goes away under the writer

    expect(w.flush()).toBe(false);
    expect(errors).toHaveLength(1);
    expect(w.pending).toBe(3);
    expect(w.failedFlushes).toBe(1);
    expect(timers.armed.size).toBe(1); // a retry is scheduled

    // While failing, reaching maxBatch does not retry on every enqueue; the timer does.
    w.enqueue([bar({ symbol: 'QQQ', start: T0 }), bar({ symbol: 'QQQ', start: T0 + MINUTE })]);
    expect(errors).toHaveLength(1);

    store = openStore(path);
    target = store;
    timers.fire();
    expect(w.pending).toBe(0);
    expect(store.bars.count()).toBe(5);
    expect({ rows: w.rowsWritten, batches: w.batches }).toEqual({ rows: 5, batches: 1 });
  });

  it('close() writes what is pending, stops the timer and refuses new bars', () => {
    const w = writer();
    w.enqueue(series('SPY', 7));
    w.close();
    w.close();
    expect(store.bars.count()).toBe(7);
    expect(timers.armed.size).toBe(0);
    expect(() => w.enqueue([bar()])).toThrow(/closed/);
  });
});
