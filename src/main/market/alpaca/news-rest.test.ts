/**
 * News history over REST against the loopback Alpaca server: every page of a range, oldest first,
 * without bodies; Alpaca's rate limit waited out as its Retry-After says.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AlpacaTestServer } from '../../test-support/alpaca-server/server';
import { newsArticle } from '../../test-support/alpaca-server/news';
import { manualTimers } from '../../test-support/manual-timers';
import { newsItemFromRest } from './news-mapper';
import { newsPages, type NewsPage } from './news-rest';
import { AlpacaRest } from './rest';
import { FRIDAY_10AM as T0, MINUTE, TEST_KEYS, settle, until } from './test-fixtures/feed-rig';

let server: AlpacaTestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function collect(pages: AsyncGenerator<NewsPage>): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for await (const page of pages) out.push(page.news);
  return out;
}

describe('news history over REST', () => {
  it('follows next_page_token through every page, oldest first, in pages of at most 50', async () => {
    server = await AlpacaTestServer.start({ keys: TEST_KEYS, horizon: T0 });
    // 120 articles a minute apart, published in a shuffled order: the pages still come oldest first.
    const ids = Array.from({ length: 120 }, (_, i) => i + 1).sort(
      (a, b) => ((a * 37) % 120) - ((b * 37) % 120),
    );
    for (const id of ids) server.publishNews(newsArticle(id, T0 - (121 - id) * MINUTE, ['AAPL']));
    server.publishNews(newsArticle(999, T0 - 3 * 60 * MINUTE)); // before the range
    const rest = new AlpacaRest({
      dataUrl: server.dataUrl,
      tradingUrl: server.tradingUrl,
      keys: () => TEST_KEYS,
      timers: manualTimers(T0),
    });
    const pages = await collect(newsPages(rest, { from: T0 - 2 * 60 * MINUTE, to: T0, symbols: [] }));
    expect(pages.map((p) => p.length)).toEqual([50, 50, 20]);
    const items = pages.flat().map((raw) => newsItemFromRest(raw).item!);
    expect(items.map((i) => i.id)).toEqual(Array.from({ length: 120 }, (_, i) => `alpaca:${i + 1}`));

    const requests = server.requests.filter((r) => r.path === '/v1beta1/news');
    expect(requests).toHaveLength(3);
    expect(requests[0]!.query).toMatchObject({
      sort: 'asc',
      limit: '50',
      include_content: 'false',
      start: new Date(T0 - 2 * 60 * MINUTE).toISOString(),
      end: new Date(T0).toISOString(),
    });
    expect(requests[0]!.query.symbols, 'all news: no symbols filter').toBeUndefined();
    expect(requests[1]!.query.page_token).toBeTruthy();
  });

  it('asks only for the given symbols', async () => {
    server = await AlpacaTestServer.start({ keys: TEST_KEYS, horizon: T0 });
    server.publishNews(newsArticle(1, T0 - MINUTE, ['AAPL']), newsArticle(2, T0 - MINUTE, ['TSLA']));
    const rest = new AlpacaRest({
      dataUrl: server.dataUrl,
      tradingUrl: server.tradingUrl,
      keys: () => TEST_KEYS,
      timers: manualTimers(T0),
    });
    const pages = await collect(
      newsPages(rest, { from: T0 - 5 * MINUTE, to: T0, symbols: ['TSLA', 'NVDA'] }),
    );
    expect(pages.flat().map((raw) => newsItemFromRest(raw).item!.id)).toEqual(['alpaca:2']);
    expect(server.requests.at(-1)!.query.symbols).toBe('TSLA,NVDA');
  });

  it('waits what Retry-After says after a 429, then carries on', async () => {
    server = await AlpacaTestServer.start({ keys: TEST_KEYS, horizon: T0 });
    server.publishNews(newsArticle(1, T0 - MINUTE));
    server.rateLimitNext(1, 7);
    const timers = manualTimers(T0);
    const waits: number[] = [];
    const rest = new AlpacaRest({
      dataUrl: server.dataUrl,
      tradingUrl: server.tradingUrl,
      keys: () => TEST_KEYS,
      timers,
      onRateLimited: (ms) => waits.push(ms),
    });
    let done: unknown[][] | null = null;
    void collect(newsPages(rest, { from: T0 - 5 * MINUTE, to: T0, symbols: [] })).then((p) => (done = p));
    await until(() => waits.length === 1, 'the 429');
    expect(waits).toEqual([7_000]);
    timers.advance(6_999);
    await settle(50);
    expect(done, 'still waiting before Retry-After has passed').toBeNull();
    timers.advance(1);
    await until(() => done !== null, 'the retried page');
    expect(done!.flat()).toHaveLength(1);
    expect(server.requests.filter((r) => r.path === '/v1beta1/news')).toHaveLength(2);
  });
});
