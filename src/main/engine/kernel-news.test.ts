/**
 * News through the whole engine over a real SQLite store: a news source's items reach a `news.items`
 * listener once each (the store's dedupe: same id, or the same headline at the same time under another
 * id), scored, and `news.list` reads them back with their scores; an engine without a source says why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newsRequests } from '../../shared/api/news';
import type { NewsItem, ScoredNews, Sentiment, SymbolInfo } from '../../shared/domain';
import { nyseCalendar } from '../core/calendar';
import type { FeedSink, MarketFeed } from '../market/feed';
import { createMemoryLogger } from '../platform/log';
import { openStore } from '../store/store';
import { manualTimers, type ManualTimers } from '../test-support/manual-timers';
import { Engine } from './kernel';
import type { NewsParts } from './news-service';
import type { NewsFeed, NewsSink, SentimentScorer } from './ports';
import { drainUntil } from '../test-support/drain-until';

const T0 = Date.UTC(2024, 2, 4, 15);

class QuietFeed implements MarketFeed {
  readonly source = 'quiet';
  readonly speed = 1;
  readonly symbols: readonly SymbolInfo[] = [{ symbol: 'SPY', name: 'SPY', kind: 'index-etf' }];
  start(sink: FeedSink): void {
    sink.state('live', null);
  }
  stop(): void {}
}

class PushNews implements NewsFeed {
  readonly name = 'push';
  sink: NewsSink | null = null;
  interest: string[] = [];
  start(sink: NewsSink): void {
    this.sink = sink;
    sink.state('live', null);
  }
  stop(): void {}
  setInterest(symbols: readonly string[]): void {
    this.interest = [...symbols];
  }
}

const scorer: SentimentScorer = {
  info: {
    name: 'fake',
    version: 'fake-2',
    provider: 'cpu',
    labels: ['negative', 'neutral', 'positive'],
    maxTokens: 64,
  },
  score: (texts) =>
    Promise.resolve(
      texts.map((text): Sentiment =>
        /soar/i.test(text)
          ? { label: 'positive', probabilities: [0.05, 0.15, 0.8], score: 0.75 }
          : { label: 'neutral', probabilities: [0.1, 0.8, 0.1], score: 0 },
      ),
    ),
  close: () => Promise.resolve(),
};

function item(id: string, minute: number, headline: string, symbols = ['SPY']): NewsItem {
  return {
    id,
    origin: 'alpaca',
    kind: 'headline',
    source: 'benzinga',
    time: T0 + minute * 60_000,
    headline,
    summary: '',
    symbols,
    url: null,
  };
}

let dir: string;
let timers: ManualTimers;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-kernel-news-'));
  timers = manualTimers();
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function engine(news?: NewsParts): Engine {
  return new Engine({
    mode: 'paper',
    feed: new QuietFeed(),
    store: openStore(join(dir, 'market.sqlite')),
    calendar: nyseCalendar,
    timers,
    log: createMemoryLogger(),
    ...(news ? { news } : {}),
  });
}

function settle(e: Engine): Promise<void> {
  return drainUntil(e.news.whenIdle(), timers);
}

describe('Engine news', () => {
  it('stores, scores and publishes each item once, and lists it back from the store', async () => {
    const feed = new PushNews();
    const e = engine({ feed, loadSentiment: () => Promise.resolve(scorer) });
    e.start();
    const events: ScoredNews[][] = [];
    e.service.events['news.items']({ symbols: ['SPY'] }, ({ items }) => events.push(items));
    feed.sink!.items([item('alpaca:1', 1, 'SPY soars on jobs report')], false);
    feed.sink!.items(
      [
        item('alpaca:1', 1, 'SPY soars on jobs report'),
        // The same headline at the same time from another id: the store keeps one.
        item('alpaca:99', 1, '  spy SOARS on jobs   report'),
        item('alpaca:2', 2, 'Apple unveils a new Mac', ['AAPL']),
      ],
      true,
    );
    await settle(e);
    expect(events.flat().map((i) => i.id)).toEqual(['alpaca:1']);
    expect(events[0]![0]!.sentiment?.label).toBe('positive');
    expect(events[0]![0]!.catalysts).toContain('macro');
    const listed = newsRequests['news.list'].result.parse(
      await e.service.handlers['news.list']({ limit: 10 }),
    );
    expect(listed.map((i) => [i.id, i.sentiment?.label, i.sentimentModel])).toEqual([
      ['alpaca:2', 'neutral', 'fake-2'],
      ['alpaca:1', 'positive', 'fake-2'],
    ]);
    const status = newsRequests['news.status'].result.parse(
      await e.service.handlers['news.status'](undefined as never),
    );
    expect(status).toMatchObject({
      sources: [{ name: 'push', state: 'live', message: null }],
      sentiment: { version: 'fake-2', provider: 'cpu' },
      sentimentMessage: null,
      catalystTagger: 'keywords',
      stored: 2,
    });
    e.stop();
  });

  it('tells the news source which symbols are on screen', () => {
    const feed = new PushNews();
    const e = engine({ feed, loadSentiment: null });
    e.start();
    const stop = e.service.events['market.barsUpdated']({ symbols: ['SPY', 'QQQ'] }, () => undefined);
    expect(feed.interest.sort()).toEqual(['QQQ', 'SPY']);
    stop();
    expect(feed.interest).toEqual([]);
    e.stop();
  });

  it('without a news part answers with no source and no model, and says so', async () => {
    const e = engine();
    e.start();
    await settle(e);
    const status = newsRequests['news.status'].result.parse(
      await e.service.handlers['news.status'](undefined as never),
    );
    expect(status.sources).toEqual([]);
    expect(status.message).toMatch(/no news source/);
    expect(status.sentiment).toBeNull();
    expect(status.sentimentMessage).toMatch(/No sentiment model/);
    expect(await e.service.handlers['news.list']({ limit: 5 })).toEqual([]);
    e.stop();
  });
});
