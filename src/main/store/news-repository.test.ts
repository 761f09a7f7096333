import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ScoredNewsSchema, type NewsItem, type Sentiment } from '../../shared/domain';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';
import { cursorAfter } from './news-repository';
import { openStore, type Store } from './store';
import { storePerTest, tempDir } from './test-fixtures/helpers';

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 9, 29, 13, 0);

function news(n: number, overrides: Partial<NewsItem> = {}): NewsItem {
  return {
    id: `recorded:test:${n}`,
    origin: 'recorded',
    kind: 'headline',
    source: 'test.csv',
    time: T0 + n * MINUTE,
    headline: `Headline number ${n}`,
    summary: '',
    symbols: ['AAPL'],
    url: null,
    ...overrides,
  };
}

const POSITIVE: Sentiment = { label: 'positive', probabilities: [0.1, 0.2, 0.7], score: 0.6 };

const ids = (items: readonly { id: string }[]): string[] =>
  items.map((i) => i.id.replace('recorded:test:', ''));

describe('NewsRepository', () => {
  let store: Store;
  storePerTest((s) => (store = s));

  it('round-trips items as unscored ScoredNews that the contract accepts', () => {
    const item = news(1, { summary: 'A summary', symbols: ['AAPL', 'MSFT'], url: 'https://example.com/1' });
    const market = news(2, { symbols: [], kind: 'social' });
    expect(store.news.insert([item, market])).toEqual([item, market]);
    const listed = store.news.list({ limit: 10 });
    expect(listed).toEqual([
      { ...market, sentiment: null, sentimentModel: null, catalysts: [] },
      { ...item, sentiment: null, sentimentModel: null, catalysts: [] },
    ]);
    for (const row of listed) expect(ScoredNewsSchema.parse(row)).toEqual(row);
    expect(store.news.count()).toBe(2);
  });

  it('stores the same id once and returns only the new items, in input order', () => {
    expect(ids(store.news.insert([news(3), news(1)]))).toEqual(['3', '1']);
    expect(ids(store.news.insert([news(2), news(1), news(3), news(4)]))).toEqual(['2', '4']);
    expect(store.news.insert([news(4, { headline: 'A new headline, same id' })])).toEqual([]);
    expect(store.news.count()).toBe(4);
  });

  it('stores the same text at the same time once, under another id too (normalised headline)', () => {
    store.news.insert([news(1, { headline: 'Apple Unveils the Redesigned Mac Mini' })]);
    const again = news(1, {
      id: 'alpaca:99',
      origin: 'alpaca',
      headline: '  apple  unveils the\tREDESIGNED mac mini ',
    });
    expect(store.news.insert([again])).toEqual([]);
    // The same text at another time is another item.
    expect(ids(store.news.insert([news(2, { headline: 'Apple Unveils the Redesigned Mac Mini' })]))).toEqual([
      '2',
    ]);
    expect(store.news.count()).toBe(2);
  });

  it('merges the symbols a duplicate adds, in the row and in the symbol index', () => {
    store.news.insert([news(1, { symbols: ['AAPL'] })]);
    // By id (a tweet naming several tickers arrives once per ticker) and by text under another id.
    store.news.insert([news(1, { symbols: ['GOOG', 'AAPL'] })]);
    store.news.insert([news(1, { id: 'other:1', symbols: ['MSFT'] })]);
    expect(store.news.list({ limit: 5 })[0]?.symbols).toEqual(['AAPL', 'GOOG', 'MSFT']);
    for (const symbol of ['AAPL', 'GOOG', 'MSFT']) {
      expect(ids(store.news.list({ symbol, limit: 5 }))).toEqual(['1']);
    }
    expect(store.news.count()).toBe(1);
  });

  it('returns the merged symbols when the duplicates arrive in one batch, without touching the input', () => {
    const first = news(1, { symbols: ['AAPL'] });
    const fresh = store.news.insert([
      first,
      news(1, { symbols: ['GOOG'] }),
      news(2, { symbols: ['GOOG', 'GOOG'] }),
    ]);
    expect(fresh.map((i) => i.symbols)).toEqual([['AAPL', 'GOOG'], ['GOOG']]);
    expect(first.symbols).toEqual(['AAPL']);
  });

  it('lists newest first, before a time, by symbol, limited', () => {
    store.news.insert([
      news(1, { symbols: ['AAPL'] }),
      news(2, { symbols: [] }),
      news(3, { symbols: ['MSFT', 'AAPL'] }),
      news(4, { symbols: ['MSFT'] }),
      news(5, { symbols: ['AAPL'] }),
    ]);
    expect(ids(store.news.list({ limit: 10 }))).toEqual(['5', '4', '3', '2', '1']);
    expect(ids(store.news.list({ limit: 2 }))).toEqual(['5', '4']);
    expect(ids(store.news.list({ before: T0 + 4 * MINUTE, limit: 10 }))).toEqual(['3', '2', '1']);
    expect(ids(store.news.list({ symbol: 'AAPL', limit: 10 }))).toEqual(['5', '3', '1']);
    expect(ids(store.news.list({ symbol: 'AAPL', before: T0 + 5 * MINUTE, limit: 1 }))).toEqual(['3']);
    expect(store.news.list({ symbol: 'TSLA', limit: 10 })).toEqual([]);
    expect(store.news.list({ limit: 0 })).toEqual([]);
    expect(() => store.news.list({ limit: -1 })).toThrow(RangeError);
    expect(ids(store.news.latestBefore(T0 + 4 * MINUTE, 2))).toEqual(['2', '3']);
  });

  it('reads a time range oldest first, time in (from, to], and pages through ties without skipping', () => {
    // Three items at one time: a page boundary inside them must neither skip nor repeat one.
    store.news.insert([news(1), news(2), news(3, { id: 'recorded:test:3a', headline: 'a' })]);
    store.news.insert([
      news(3, { id: 'recorded:test:3b', headline: 'b' }),
      news(3, { id: 'recorded:test:3c', headline: 'c' }),
    ]);
    expect(ids(store.news.between(T0 + MINUTE, T0 + 3 * MINUTE, 10))).toEqual(['2', '3a', '3b', '3c']);
    expect(ids(store.news.between(T0, T0 + 2 * MINUTE, 10))).toEqual(['1', '2']);
    expect(ids(store.news.between(T0, T0 + 3 * MINUTE, 2))).toEqual(['1', '2']);

    const seen: string[] = [];
    let cursor = cursorAfter(T0);
    for (let i = 0; i < 10; i++) {
      const page = store.news.page(cursor, T0 + 3 * MINUTE, 2);
      seen.push(...ids(page.items));
      cursor = page.next;
      if (page.items.length === 0) break;
    }
    expect(seen).toEqual(['1', '2', '3a', '3b', '3c']);
  });

  it('records scores and catalysts, lists what a model has not scored, and clears a score', () => {
    store.news.insert([news(1), news(2), news(3)]);
    const updated = store.news.setScores([
      {
        id: 'recorded:test:1',
        sentiment: POSITIVE,
        sentimentModel: 'sent-a',
        catalysts: ['earnings', 'product'],
      },
      { id: 'recorded:test:2', sentiment: POSITIVE, sentimentModel: 'sent-b', catalysts: [] },
      { id: 'recorded:test:404', sentiment: POSITIVE, sentimentModel: 'sent-a', catalysts: [] },
    ]);
    expect(updated).toBe(2);
    const [three, two, one] = store.news.list({ limit: 3 });
    expect(one).toMatchObject({
      sentiment: POSITIVE,
      sentimentModel: 'sent-a',
      catalysts: ['earnings', 'product'],
    });
    expect(two?.sentimentModel).toBe('sent-b');
    expect(three).toMatchObject({ sentiment: null, sentimentModel: null, catalysts: [] });
    for (const row of [one, two, three]) ScoredNewsSchema.parse(row);
    expect(ids(store.news.unscored('sent-a', 10))).toEqual(['3', '2']);
    expect(ids(store.news.unscored('sent-a', 1))).toEqual(['3']);

    store.news.setScores([
      { id: 'recorded:test:1', sentiment: null, sentimentModel: 'sent-a', catalysts: ['macro'] },
    ]);
    expect(store.news.list({ limit: 3 })[2]).toMatchObject({
      sentiment: null,
      sentimentModel: null,
      catalysts: ['macro'],
    });
  });

  it('deletes the items published at or after a rewind point, with their symbol index rows', () => {
    store.news.insert([news(1), news(2), news(3), news(4)]);
    expect(store.news.deleteFrom(T0 + 3 * MINUTE)).toBe(2);
    expect(ids(store.news.list({ limit: 10 }))).toEqual(['2', '1']);
    expect(ids(store.news.list({ symbol: 'AAPL', limit: 10 }))).toEqual(['2', '1']);
    // What was deleted can be stored again (the replay re-delivers it).
    expect(ids(store.news.insert([news(3)]))).toEqual(['3']);
  });

  it('reads newest first by time and by symbol with index range scans, no sort', () => {
    // Query plans are read on a fresh database with the same schema (the store holds its file exclusively).
    const tmp = tempDir();
    try {
      const plain = new Database(tmp.file('plan.sqlite'));
      migrate(plain, MIGRATIONS, tmp.file('plan.sqlite'), () => 0);
      const plan = (sql: string): string =>
        plain
          .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
          .all()
          .map((r) => r.detail)
          .join('; ');
      const bySymbol = plan(
        `SELECT n.id FROM news_symbols s JOIN news n ON n.seq = s.seq
         WHERE s.symbol = 'AAPL' AND s.time < 5 ORDER BY s.time DESC, s.seq DESC LIMIT 10`,
      );
      expect(bySymbol).toMatch(/SEARCH s USING PRIMARY KEY \(symbol=\? AND time<\?\)/);
      expect(bySymbol).not.toMatch(/TEMP B-TREE/);
      const byTime = plan('SELECT id FROM news WHERE time < 5 ORDER BY time DESC, seq DESC LIMIT 10');
      expect(byTime).toMatch(/news_by_time/);
      expect(byTime).not.toMatch(/TEMP B-TREE/);
      // The replay feed's page: a range of news_by_time read forward.
      const page = plan(
        'SELECT id FROM news n WHERE n.time >= 5 AND (n.time > 5 OR n.seq > 9) AND n.time <= 99 ORDER BY n.time, n.seq LIMIT 10',
      );
      expect(page).toMatch(/SEARCH n USING INDEX news_by_time \(time>\? AND time<\?\)/);
      expect(page).not.toMatch(/TEMP B-TREE/);
      plain.close();
    } finally {
      tmp.remove();
    }
  });
});

describe('NewsRepository across versions', () => {
  it('upgrades a database at migration 0005 and keeps its data', () => {
    const tmp = tempDir();
    try {
      const path = tmp.file('old.sqlite');
      const old = new Database(path);
      const upTo0005 = MIGRATIONS.slice(0, MIGRATIONS.findIndex((m) => m.id === '0005_predictions') + 1);
      migrate(old, upTo0005, path, () => 1000);
      old.exec("INSERT INTO settings VALUES ('theme', '\"dark\"', 1000)");
      old.close();

      const store = openStore(path);
      expect(store.news.insert([news(1)])).toHaveLength(1);
      store.close();
      const again = openStore(path);
      expect(ids(again.news.list({ limit: 5 }))).toEqual(['1']);
      again.close();
      const raw = new Database(path);
      expect(raw.prepare("SELECT value FROM settings WHERE key = 'theme'").pluck().get()).toBe('"dark"');
      raw.close();
    } finally {
      tmp.remove();
    }
  });
});
