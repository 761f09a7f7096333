import { describe, expect, it } from 'vitest';
import type { Bar } from '../../shared/domain';
import { sampleBar } from '../../shared/test-support/sample-bar';
import { PendingBars } from './pending-bars';

const bar = (start: number, close = 100): Bar => sampleBar({ start, close });

describe('PendingBars', () => {
  it('keeps only the latest state of each bar and drains in time order', () => {
    const queue = new PendingBars(100);
    queue.add([bar(120_000, 101), bar(60_000, 99)]);
    queue.add([bar(120_000, 102)]);
    const drained = queue.drain();
    expect(
      drained.map((b) => [b.start, b.close]),
      'one entry per start, newest state, oldest first',
    ).toEqual([
      [60_000, 99],
      [120_000, 102],
    ]);
    expect(queue.size, 'draining empties the queue').toBe(0);
  });

  it('keeps a correction of a past bar: the chart, not the queue, decides where it goes', () => {
    const queue = new PendingBars(100);
    // 09:35:30: the forming 09:35 bar ticks and a revised 09:34 minute changes the closed 09:30 bar.
    const nineThirty = Date.UTC(2025, 2, 14, 13, 30);
    queue.add([bar(nineThirty + 5 * 60_000, 101)]);
    queue.add([bar(nineThirty, 97)]);
    expect(queue.drain().map((b) => [b.start, b.close])).toEqual([
      [nineThirty, 97],
      [nineThirty + 5 * 60_000, 101],
    ]);
  });

  it('evicts the least recently updated bars beyond capacity', () => {
    const queue = new PendingBars(2);
    queue.add([bar(0), bar(60_000)]);
    queue.add([bar(0, 101), bar(120_000)]);
    expect(queue.full).toBe(true);
    queue.trim();
    expect(
      queue.drain().map((b) => b.start),
      'bar 60 000 was updated least recently',
    ).toEqual([0, 120_000]);
  });
});
