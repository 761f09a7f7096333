import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NewsItem } from '../../../shared/domain';
import type { NewsFeed } from '../../engine/ports';
import type { Store } from '../../store/store';
import { storePerTest } from '../../store/test-fixtures/helpers';
import { RecordedNewsFeed, type RecordedNewsSink } from './recorded-news-feed';

const MINUTE = 60_000;
const START = Date.UTC(2024, 9, 29, 13, 30);

function news(minute: number, n = 0): NewsItem {
  return {
    id: `recorded:test:${minute}:${n}`,
    origin: 'recorded',
    kind: 'headline',
    source: 'test.csv',
    time: START + minute * MINUTE,
    headline: `News at minute ${minute} (${n})`,
    summary: '',
    symbols: minute % 2 === 0 ? ['AAPL'] : [],
    url: null,
  };
}

/** A sink that records every call, with the clock time the feed was at when items came. */
class RecordingSink implements RecordedNewsSink {
  readonly calls: { items: NewsItem[]; backfill: boolean; clock: number }[] = [];
  readonly states: string[] = [];
  clock = START;
  items(items: readonly NewsItem[], backfill: boolean): void {
    this.calls.push({ items: [...items], backfill, clock: this.clock });
  }
  state(state: string): void {
    this.states.push(state);
  }
  delivered(backfill?: boolean): NewsItem[] {
    return this.calls
      .filter((c) => backfill === undefined || c.backfill === backfill)
      .flatMap((c) => c.items);
  }
}

const minutes = (items: readonly NewsItem[]): number[] => items.map((i) => (i.time - START) / MINUTE);

describe('RecordedNewsFeed', () => {
  let store: Store;
  storePerTest((s) => (store = s));

  it('backfills the last N items up to the start, then reports live', () => {
    store.news.insert([-5, -4, -3, -2, -1, 0, 1, 2].map((m) => news(m)));
    const sink = new RecordingSink();
    // It is the engine's NewsFeed port (checked by the type-checker), over the store's NewsRepository.
    const feed: NewsFeed = new RecordedNewsFeed(store.news, { startTime: START, backfill: 3 });
    feed.start(sink);
    expect(sink.states).toEqual(['backfilling', 'live']);
    expect(sink.calls).toHaveLength(1);
    // Items at the start time itself are history: the clock stands there.
    expect(minutes(sink.delivered(true))).toEqual([-2, -1, 0]);
    expect(sink.delivered(true)[0]).toEqual(news(-2));
    feed.stop();
    expect(sink.states.at(-1)).toBe('stopped');
  });

  it('backfills 50 by default', () => {
    store.news.insert(Array.from({ length: 80 }, (_, i) => news(-i)));
    const sink = new RecordingSink();
    new RecordedNewsFeed(store.news, { startTime: START }).start(sink);
    expect(sink.delivered(true)).toHaveLength(50);
    expect(minutes(sink.delivered(true)).at(-1)).toBe(0);
  });

  it('delivers each item once, in publication order, as the clock reaches it', () => {
    store.news.insert([1, 2, 2, 3, 5, 8].map((m, i) => news(m, i)));
    const sink = new RecordingSink();
    const feed = new RecordedNewsFeed(store.news, { startTime: START });
    feed.start(sink);
    feed.advanceTo(START + 2 * MINUTE);
    expect(minutes(sink.delivered(false))).toEqual([1, 2, 2]);
    feed.advanceTo(START + 2 * MINUTE);
    feed.advanceTo(START + 4 * MINUTE);
    expect(minutes(sink.delivered(false))).toEqual([1, 2, 2, 3]);
    feed.advanceTo(START + 10 * MINUTE);
    expect(minutes(sink.delivered(false))).toEqual([1, 2, 2, 3, 5, 8]);
    expect(sink.calls.every((c) => !c.backfill || c.items.every((i) => i.time <= START))).toBe(true);
  });

  it('reads in windows with a cap per advance; the rest follows on the next calls', () => {
    // A year of news at once (here 1,000 items across one jump): windows of 100, at most 250 per call.
    store.news.insert(Array.from({ length: 1000 }, (_, i) => news(1 + Math.floor(i / 3), i)));
    const sink = new RecordingSink();
    const feed = new RecordedNewsFeed(store.news, { startTime: START, window: 100, maxPerAdvance: 250 });
    feed.start(sink);
    const end = START + 400 * MINUTE;
    feed.advanceTo(end);
    expect(sink.calls.map((c) => c.items.length)).toEqual([100, 100, 50]);
    expect(feed.behind).toBe(true);
    for (let i = 0; i < 3; i++) feed.advanceTo(end);
    expect(feed.behind).toBe(false);
    const all = sink.delivered(false);
    expect(all).toHaveLength(1000);
    expect(new Set(all.map((i) => i.id)).size).toBe(1000);
    expect(all.map((i) => i.id)).toEqual(
      Array.from({ length: 1000 }, (_, i) => news(1 + Math.floor(i / 3), i).id),
    );
  });

  it('re-delivers from the rewind point on the next advance', () => {
    store.news.insert([1, 2, 3, 4, 5].map((m) => news(m)));
    const sink = new RecordingSink();
    const feed = new RecordedNewsFeed(store.news, { startTime: START });
    feed.start(sink);
    feed.advanceTo(START + 5 * MINUTE);
    feed.rewindTo(START + 3 * MINUTE);
    feed.advanceTo(START + 3 * MINUTE);
    expect(minutes(sink.delivered(false))).toEqual([1, 2, 3, 4, 5, 3]);
    feed.advanceTo(START + 10 * MINUTE);
    expect(minutes(sink.delivered(false))).toEqual([1, 2, 3, 4, 5, 3, 4, 5]);
  });

  it('delivers nothing after stop and nothing before start', () => {
    store.news.insert([1, 2].map((m) => news(m)));
    const sink = new RecordingSink();
    const feed = new RecordedNewsFeed(store.news, { startTime: START });
    feed.advanceTo(START + 5 * MINUTE);
    feed.start(sink);
    feed.stop();
    feed.advanceTo(START + 5 * MINUTE);
    expect(sink.delivered(false)).toEqual([]);
  });

  it('never delivers an item before the clock reaches its time, whatever the steps, caps and rewinds', () => {
    const stored = Array.from({ length: 60 }, (_, i) => news(1 + ((i * 7) % 30), i));
    store.news.insert(stored);
    fc.assert(
      fc.property(
        fc.array(fc.record({ minute: fc.integer({ min: -5, max: 40 }), rewind: fc.boolean() }), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.integer({ min: 1, max: 7 }),
        (steps, cap) => {
          const sink = new RecordingSink();
          const feed = new RecordedNewsFeed(store.news, { startTime: START, window: 3, maxPerAdvance: cap });
          feed.start(sink);
          let clock = START;
          let rewound = false;
          for (const step of steps) {
            const t = START + step.minute * MINUTE;
            if (step.rewind && t < clock) {
              feed.rewindTo(t);
              clock = t;
              rewound = true;
            } else {
              clock = Math.max(clock, t);
              sink.clock = clock;
              feed.advanceTo(t);
            }
          }
          for (const call of sink.calls) {
            if (call.backfill) continue;
            for (const item of call.items) expect(item.time).toBeLessThanOrEqual(call.clock);
          }
          for (let i = 0; i < 100 && feed.behind; i++) feed.advanceTo(clock);
          expect(feed.behind).toBe(false);
          if (!rewound) {
            // Without a seek back, every item up to the clock came exactly once, in (time, stored) order.
            const expected = store.news.between(START, clock, 1000).map((i) => i.id);
            expect(sink.delivered(false).map((i) => i.id)).toEqual(expected);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
