/**
 * The news service: items from the source are stored once (duplicates dropped), scored in batches by the
 * sentiment model, written, then published, filtered per listener by symbol; without a model news still
 * arrives, unscored, and the status says why; a replay's seek back deletes the news of the future.
 * The store here is an in-memory stand-in behind the repository port; the scorer is a keyword fake.
 */
import { describe, expect, it } from 'vitest';
import { ScoredNewsSchema, type NewsItem, type ScoredNews, type Sentiment } from '../../shared/domain';
import { createMemoryLogger } from '../platform/log';
import { manualTimers, type ManualTimers } from '../test-support/manual-timers';
import { TopicBus } from './bus';
import { NewsService, type NewsParts, type NewsRepositoryPort } from './news-service';
import type { NewsFeed, NewsSink, SentimentScorer } from './ports';
import type { EngineTopics } from './topics';
import { drainUntil } from '../test-support/drain-until';

const T0 = Date.UTC(2024, 2, 4, 15);

function item(n: number, symbols: string[] = ['AAPL'], headline = `Headline ${n}`): NewsItem {
  return {
    id: `recorded:test:${n}`,
    origin: 'recorded',
    kind: 'headline',
    source: 'test',
    time: T0 + n * 60_000,
    headline,
    summary: '',
    symbols,
    url: null,
  };
}

/** The repository's semantics that the service relies on, in memory: dedupe by id, newest first. */
class MemoryNews implements NewsRepositoryPort {
  readonly rows = new Map<string, ScoredNews>();
  insert(items: readonly NewsItem[]): NewsItem[] {
    const fresh: NewsItem[] = [];
    for (const it of items) {
      if (this.rows.has(it.id)) continue;
      this.rows.set(it.id, { ...it, sentiment: null, sentimentModel: null, catalysts: [] });
      fresh.push(it);
    }
    return fresh;
  }
  setScores(rows: Parameters<NewsRepositoryPort['setScores']>[0]): void {
    for (const row of rows) {
      const stored = this.rows.get(row.id);
      if (stored) this.rows.set(row.id, { ...stored, ...row });
    }
  }
  list({ symbol, before, limit }: { symbol?: string; before?: number; limit: number }): ScoredNews[] {
    return [...this.rows.values()]
      .filter((r) => (before === undefined || r.time < before) && (!symbol || r.symbols.includes(symbol)))
      .sort((a, b) => b.time - a.time)
      .slice(0, limit);
  }
  count(): number {
    return this.rows.size;
  }
  deleteFrom(time: number): void {
    for (const [id, row] of this.rows) if (row.time >= time) this.rows.delete(id);
  }
}

/** Positive when the headline says "beat", negative for "miss", else neutral; records batch sizes. */
class KeywordScorer implements SentimentScorer {
  readonly info = {
    name: 'fake',
    version: 'fake-1',
    provider: 'cpu' as const,
    labels: ['negative', 'neutral', 'positive'],
    maxTokens: 64,
  };
  readonly batches: number[] = [];
  closed = false;
  score(texts: readonly string[]): Promise<Sentiment[]> {
    this.batches.push(texts.length);
    return Promise.resolve(
      texts.map((text) => {
        const p = /beat/i.test(text)
          ? [0.1, 0.1, 0.8]
          : /miss/i.test(text)
            ? [0.8, 0.1, 0.1]
            : [0.1, 0.8, 0.1];
        const label = (['negative', 'neutral', 'positive'] as const)[p.indexOf(Math.max(...p))]!;
        return { label, probabilities: p, score: p[2]! - p[0]! };
      }),
    );
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

class FakeFeed implements NewsFeed {
  readonly name = 'fake news';
  sink: NewsSink | null = null;
  readonly advanced: number[] = [];
  readonly rewound: number[] = [];
  start(sink: NewsSink): void {
    this.sink = sink;
    sink.state('live', null);
  }
  stop(): void {
    this.sink = null;
  }
  advanceTo(time: number): void {
    this.advanced.push(time);
  }
  rewindTo(time: number): void {
    this.rewound.push(time);
  }
}

interface Rig {
  service: NewsService;
  bus: TopicBus<EngineTopics>;
  news: MemoryNews;
  feed: FakeFeed;
  timers: ManualTimers;
  log: ReturnType<typeof createMemoryLogger>;
  published: ScoredNews[][];
}

function rig(parts: Partial<NewsParts> & { scorer?: SentimentScorer; scoreBatch?: number } = {}): Rig {
  const timers = manualTimers();
  const log = createMemoryLogger();
  const bus = new TopicBus<EngineTopics>((topic, error) => {
    throw new Error(`${String(topic)}: ${String(error)}`);
  });
  const news = new MemoryNews();
  const feed = new FakeFeed();
  const scorer = parts.scorer ?? new KeywordScorer();
  const service = new NewsService({
    feed,
    loadSentiment: () => Promise.resolve(scorer),
    tagCatalysts: (text) => (/earnings/i.test(text) ? ['earnings'] : []),
    ...parts,
    news,
    bus,
    timers,
    log,
  });
  const published: ScoredNews[][] = [];
  bus.subscribe('news.items', (items) => published.push([...items]));
  return { service, bus, news, feed, timers, log, published };
}

/** Runs deferred work and settles promises until the service is idle. */
function settle(r: Rig): Promise<void> {
  return drainUntil(r.service.whenIdle(), r.timers);
}

describe('NewsService', () => {
  it('stores an item once: the same item delivered twice reaches a listener once', async () => {
    const r = rig();
    r.service.start();
    const events: ScoredNews[][] = [];
    r.service.events['news.items']({}, (payload) => events.push(payload.items));
    r.feed.sink!.items([item(1, ['AAPL'], 'Apple earnings beat estimates')], false);
    await settle(r);
    r.feed.sink!.items([item(1, ['AAPL'], 'Apple earnings beat estimates')], true);
    r.feed.sink!.items([item(2), item(1, ['AAPL'], 'Apple earnings beat estimates')], true);
    await settle(r);
    expect(events.map((batch) => batch.map((i) => i.id))).toEqual([['recorded:test:1'], ['recorded:test:2']]);
    const first = events[0]![0]!;
    expect(ScoredNewsSchema.parse(first)).toEqual(first);
    expect(first.sentiment?.label).toBe('positive');
    expect(first.sentimentModel).toBe('fake-1');
    expect(first.catalysts).toEqual(['earnings']);
    expect(r.news.count()).toBe(2);
  });

  it('writes the scores before it publishes them', async () => {
    const r = rig();
    r.service.start();
    const seen: (ScoredNews | undefined)[] = [];
    r.bus.subscribe('news.items', (items) => seen.push(r.news.rows.get(items[0]!.id)));
    r.feed.sink!.items([item(1, ['AAPL'], 'Apple misses on revenue')], false);
    await settle(r);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.sentiment?.label).toBe('negative');
    expect(r.service.handlers['news.list']({ limit: 10 })).toEqual([r.published[0]![0]]);
  });

  it('scores what arrives in one turn together, at most one batch per model run, in order', async () => {
    const scorer = new KeywordScorer();
    const r = rig({ scorer, scoreBatch: 32 });
    r.service.start();
    await settle(r);
    const burst = Array.from({ length: 70 }, (_, n) => item(n));
    r.feed.sink!.items(burst.slice(0, 40), true);
    r.feed.sink!.items(burst.slice(40), true);
    await settle(r);
    expect(scorer.batches).toEqual([32, 32, 6]);
    expect(r.published.map((batch) => batch.length)).toEqual([32, 32, 6]);
    expect(r.published.flat().map((i) => i.id)).toEqual(burst.map((i) => i.id));
  });

  it('without a sentiment model news arrives unscored, the status says why, and one line is logged', async () => {
    const r = rig({
      loadSentiment: () => Promise.reject(new Error('models/sentiment-default/onnx/model.onnx is missing')),
    });
    r.service.start();
    r.feed.sink!.items([item(1), item(2)], false);
    await settle(r);
    r.feed.sink!.items([item(3)], false);
    await settle(r);
    expect(r.published.flat().map((i) => [i.id, i.sentiment, i.sentimentModel])).toEqual([
      ['recorded:test:1', null, null],
      ['recorded:test:2', null, null],
      ['recorded:test:3', null, null],
    ]);
    const status = r.service.handlers['news.status'](undefined as never) as ReturnType<NewsService['status']>;
    expect(status.sentiment).toBeNull();
    expect(status.sentimentMessage).toMatch(/onnx\/model\.onnx is missing.*unscored/);
    expect(status.sources).toEqual([{ name: 'fake news', state: 'live', message: null }]);
    expect(status.stored).toBe(3);
    expect(r.log.lines.filter((line) => line.includes('model.onnx'))).toHaveLength(1);
  });

  it('waits for the model while it loads, then scores what arrived meanwhile', async () => {
    let resolve: (scorer: SentimentScorer) => void = () => undefined;
    const r = rig({ loadSentiment: () => new Promise((done) => (resolve = done)) });
    r.service.start();
    r.feed.sink!.items([item(1, ['AAPL'], 'beat')], false);
    for (let i = 0; i < 5; i++) {
      r.timers.drain();
      await new Promise((done) => setImmediate(done));
    }
    expect(r.published).toEqual([]);
    expect(r.service.status().sentimentMessage).toMatch(/loading/);
    expect(r.news.count()).toBe(1); // stored at once, published once scored
    resolve(new KeywordScorer());
    await settle(r);
    expect(r.published.flat().map((i) => i.sentiment?.label)).toEqual(['positive']);
  });

  it('follows the replay clock and, on a seek back, deletes the news from that time on', async () => {
    const r = rig();
    r.service.start();
    // The clock's moves within one turn reach the source once, with the latest time.
    r.bus.publish('market.time', T0 + 4 * 60_000);
    r.bus.publish('market.time', T0 + 5 * 60_000);
    expect(r.feed.advanced).toEqual([]);
    r.timers.drain();
    expect(r.feed.advanced).toEqual([T0 + 5 * 60_000]);
    // A seek back drops an advance still queued from before it.
    r.bus.publish('market.time', T0 + 9 * 60_000);
    r.bus.publish('market.rewound', T0 + 7 * 60_000);
    r.timers.drain();
    expect(r.feed.advanced).toEqual([T0 + 5 * 60_000]);
    expect(r.feed.rewound).toEqual([T0 + 7 * 60_000]);
    r.feed.rewound.length = 0;
    r.feed.sink!.items([item(1), item(2), item(3)], false);
    await settle(r);
    r.feed.sink!.items([item(4), item(5)], false); // queued, not yet stored
    r.bus.publish('market.rewound', T0 + 2 * 60_000);
    await settle(r);
    expect(r.feed.rewound).toEqual([T0 + 2 * 60_000]);
    expect([...r.news.rows.keys()]).toEqual(['recorded:test:1']);
    expect(r.published.flat().map((i) => i.id)).toEqual([
      'recorded:test:1',
      'recorded:test:2',
      'recorded:test:3',
    ]);
    expect(r.service.handlers['news.list']({ limit: 10 })).toHaveLength(1);
  });

  it('gives each listener the items naming its symbols, and market-wide items to all', async () => {
    const r = rig();
    r.service.start();
    const aapl: string[] = [];
    const all: string[] = [];
    r.service.events['news.items']({ symbols: ['AAPL'] }, ({ items }) =>
      aapl.push(...items.map((i) => i.id)),
    );
    const stop = r.service.events['news.items']({}, ({ items }) => all.push(...items.map((i) => i.id)));
    r.feed.sink!.items([item(1, ['AAPL', 'MSFT']), item(2, ['MSFT']), item(3, [])], false);
    await settle(r);
    expect(aapl).toEqual(['recorded:test:1', 'recorded:test:3']);
    expect(all).toEqual(['recorded:test:1', 'recorded:test:2', 'recorded:test:3']);
    stop();
    r.feed.sink!.items([item(4, [])], false);
    await settle(r);
    expect(all).toHaveLength(3);
    expect(aapl).toEqual(['recorded:test:1', 'recorded:test:3', 'recorded:test:4']);
  });

  it('without a source (demo) answers with no sources and says what to do', async () => {
    const r = rig({ feed: null, noSourceMessage: 'Demo mode has no news source: import recorded news.' });
    r.service.start();
    await settle(r);
    const status = r.service.status();
    expect(status.sources).toEqual([]);
    expect(status.message).toBe('Demo mode has no news source: import recorded news.');
    expect(status.sentiment?.version).toBe('fake-1');
  });

  it('tags with the zero-shot tagger when one is installed, and with the keyword rules when it fails', async () => {
    let fail = false;
    const tagged: string[][] = [];
    const r = rig({
      loadCatalystTagger: () =>
        Promise.resolve({
          tag: (texts: readonly string[]) => {
            tagged.push([...texts]);
            return fail
              ? Promise.reject(new Error('NLI run failed'))
              : Promise.resolve(texts.map(() => ['merger_acquisition' as const]));
          },
          close: () => Promise.resolve(),
        }),
    });
    r.service.start();
    await settle(r);
    expect(r.service.status().catalystTagger).toBe('zero-shot');
    r.feed.sink!.items([{ ...item(1, ['AAPL'], 'Apple earnings beat'), summary: 'Record quarter.' }], false);
    await settle(r);
    expect(tagged).toEqual([['Apple earnings beat. Record quarter.']]);
    expect(r.published.flat().map((i) => i.catalysts)).toEqual([['merger_acquisition']]);
    fail = true;
    r.feed.sink!.items([item(2, ['AAPL'], 'Apple earnings miss')], false);
    r.feed.sink!.items([item(3, ['AAPL'], 'More earnings')], false);
    await settle(r);
    expect(r.published.flat().map((i) => i.catalysts)).toEqual([
      ['merger_acquisition'],
      ['earnings'],
      ['earnings'],
    ]);
    expect(r.log.lines.filter((line) => line.includes('NLI run failed'))).toHaveLength(1);
  });

  it('without a zero-shot model tags by keyword rules', async () => {
    const r = rig({ loadCatalystTagger: () => Promise.resolve(null) });
    r.service.start();
    await settle(r);
    expect(r.service.status().catalystTagger).toBe('keywords');
  });

  it('closes the model on stop and delivers nothing after it', async () => {
    const scorer = new KeywordScorer();
    const r = rig({ scorer });
    r.service.start();
    await settle(r);
    const sink = r.feed.sink!;
    r.service.stop();
    sink.items([item(1)], false);
    await new Promise((done) => setImmediate(done));
    r.timers.drain();
    expect(r.published).toEqual([]);
    expect(scorer.closed).toBe(true);
  });
});
