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
    const drained = queue.drain(null);
    expect(
      drained.map((b) => [b.start, b.close]),
      'one entry per start, newest state, oldest first',
    ).toEqual([
      [60_000, 99],
      [120_000, 102],
    ]);
    expect(queue.size, 'draining empties the queue').toBe(0);
  });

  it('drops bars older than the newest bar shown, keeps an update of that bar', () => {
    const queue = new PendingBars(100);
    queue.add([bar(0), bar(60_000), bar(120_000)]);
    expect(
      queue.drain(60_000).map((b) => b.start),
      'series.update refuses older bars',
    ).toEqual([60_000, 120_000]);
  });

  it('evicts the least recently updated bars beyond capacity', () => {
    const queue = new PendingBars(2);
    queue.add([bar(0), bar(60_000)]);
    queue.add([bar(0, 101), bar(120_000)]);
    expect(queue.full).toBe(true);
    queue.trim();
    expect(
      queue.drain(null).map((b) => b.start),
      'bar 60 000 was updated least recently',
    ).toEqual([0, 120_000]);
  });
});
