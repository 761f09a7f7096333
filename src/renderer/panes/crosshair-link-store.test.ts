import { describe, expect, it } from 'vitest';
import { barIndexAt, CrosshairLinkStore } from './crosshair-link-store';

const MINUTE = 60_000;
const DAY = 86_400_000;
const OPEN = Date.UTC(2025, 2, 12, 13, 30);

describe('barIndexAt', () => {
  const days = [0, 1, 2].map((i) => ({ start: OPEN + i * DAY }));

  it('finds the bar holding a moment: the last one starting at or before it', () => {
    expect(barIndexAt(days, OPEN + DAY + 45 * MINUTE)).toBe(1);
    expect(barIndexAt(days, OPEN + 2 * DAY)).toBe(2);
    // After the newest bar: the newest.
    expect(barIndexAt(days, OPEN + 5 * DAY)).toBe(2);
  });

  it('answers -1 before the first bar and for no bars', () => {
    expect(barIndexAt(days, OPEN - 1)).toBe(-1);
    expect(barIndexAt([], OPEN)).toBe(-1);
  });
});

describe('CrosshairLinkStore', () => {
  it('tells listeners of moves, ignores a repeat, and clears only for the pane pointed at', () => {
    const store = new CrosshairLinkStore();
    let calls = 0;
    const stop = store.subscribe(() => calls++);
    const point = { slot: 0, symbol: 'SPY', time: OPEN, price: 500 };
    store.move(point);
    store.move({ ...point });
    expect(calls).toBe(1);
    store.leave(2);
    expect(store.current).toEqual(point);
    store.leave(0);
    expect(store.current).toBeNull();
    expect(calls).toBe(2);
    stop();
    store.move(point);
    expect(calls).toBe(2);
  });

  it('numbers sync requests, so the same moment asked twice acts twice', () => {
    const store = new CrosshairLinkStore();
    store.requestSync(1, OPEN);
    const first = store.lastSync?.seq ?? 0;
    store.requestSync(1, OPEN);
    expect(store.lastSync).toEqual({ slot: 1, time: OPEN, seq: first + 1 });
  });
});
