/** live-edge.ts: the newest bar counts as in view while any of it is, and an empty chart has no way back. */
import { describe, expect, it } from 'vitest';
import { newestBarInView } from './live-edge';

describe('whether the newest bar is in view', () => {
  it('is while the view reaches it, with the right offset or partly cut at the edge', () => {
    // 500 bars, the newest at index 499: at the live edge the view runs 4 bars past it.
    expect(newestBarInView({ from: 420, to: 503 }, 500)).toBe(true);
    expect(newestBarInView({ from: 400, to: 499 }, 500)).toBe(true);
    // Its left half (from 498.5) still shows.
    expect(newestBarInView({ from: 400, to: 498.6 }, 500)).toBe(true);
  });

  it('is not once the trader scrolled it out of view', () => {
    expect(newestBarInView({ from: 400, to: 498.5 }, 500)).toBe(false);
    expect(newestBarInView({ from: 100, to: 180 }, 500)).toBe(false);
  });

  it('counts as in view when there is nothing to go back to: no view yet, or no bars', () => {
    expect(newestBarInView(null, 500)).toBe(true);
    expect(newestBarInView({ from: -40, to: 40 }, 0)).toBe(true);
  });

  it('goes out of view when a new bar arrives beyond a view that stays in history', () => {
    const view = { from: 400, to: 499.2 };
    expect(newestBarInView(view, 500)).toBe(true);
    expect(newestBarInView(view, 501)).toBe(false);
  });
});
