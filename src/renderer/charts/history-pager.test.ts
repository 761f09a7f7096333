import { describe, expect, it } from 'vitest';
import { HistoryPager, MIN_PAGE_BARS } from './history-pager';

const OLDEST = Date.UTC(2025, 2, 3, 14, 30);
const held = (length: number, oldestStart: number | null = OLDEST) => ({ length, oldestStart });

describe('paging back through history', () => {
  it('asks for the bars before the oldest held once the view nears it, not before', () => {
    const pager = new HistoryPager(60_000);
    expect(pager.want({ from: 300, to: 400 }, held(500)), 'three screens still held on the left').toBeNull();
    const request = pager.want({ from: 80, to: 180 }, held(500));
    expect(request).toMatchObject({ before: OLDEST, limit: MIN_PAGE_BARS });
    expect(pager.edge).toBe('loading');
  });

  it('never has two requests out at once, and ignores an answer from before a reset', () => {
    const pager = new HistoryPager(60_000);
    const first = pager.want({ from: 0, to: 100 }, held(500));
    expect(first).not.toBeNull();
    expect(pager.want({ from: -40, to: 60 }, held(500)), 'scrolling on while the page is out').toBeNull();
    pager.reset();
    expect(pager.settle(first!, 1000, 1000), 'a page for the previous symbol').toBe(false);
    const second = pager.want({ from: 0, to: 100 }, held(500));
    expect(second?.generation).not.toBe(first?.generation);
  });

  it('pages grow with the view and stay within the contract limit (5000)', () => {
    const pager = new HistoryPager(60_000);
    expect(pager.want({ from: 0, to: 400 }, held(500))?.limit).toBe(2000);
    pager.reset();
    expect(pager.want({ from: 0, to: 3000 }, held(500))?.limit).toBe(5000);
  });

  it('stops when the store has no more: a short page, or one that added nothing', () => {
    const pager = new HistoryPager(60_000);
    const request = pager.want({ from: 0, to: 100 }, held(500))!;
    expect(pager.settle(request, 1000, 1000)).toBe(true);
    expect(pager.edge).toBe('more');
    const last = pager.want({ from: 0, to: 100 }, held(1500))!;
    pager.settle(last, 420, 420);
    expect(pager.edge).toBe('start');
    expect(pager.want({ from: -50, to: 50 }, held(1920)), 'nothing more to ask').toBeNull();
    pager.trimmed();
    expect(pager.edge, 'after trimming, the store has older bars again').toBe('more');
  });

  it('stops at the most bars a chart may hold', () => {
    const pager = new HistoryPager(2000);
    expect(pager.want({ from: 0, to: 100 }, held(1500))?.limit, 'only what fits').toBe(500);
    pager.reset();
    expect(pager.want({ from: 0, to: 100 }, held(2000))).toBeNull();
    expect(pager.edge).toBe('limit');
  });

  it('a failed request stops paging until retried, and says why', () => {
    const pager = new HistoryPager(60_000);
    const request = pager.want({ from: 0, to: 100 }, held(500))!;
    expect(pager.fail(request, 'UNAVAILABLE: connection to the engine was lost')).toBe(true);
    expect(pager.edge).toBe('error');
    expect(pager.error).toContain('connection');
    expect(pager.want({ from: 0, to: 100 }, held(500))).toBeNull();
    pager.retry();
    expect(pager.want({ from: 0, to: 100 }, held(500))).not.toBeNull();
  });

  it('asks nothing for an empty series', () => {
    expect(new HistoryPager(60_000).want({ from: 0, to: 100 }, held(0, null))).toBeNull();
  });
});
