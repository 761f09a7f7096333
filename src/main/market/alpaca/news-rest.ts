/**
 * News history over REST: GET /v1beta1/news on the market-data host, through the SDK's `NewsApi` and
 * AlpacaRest's retries (429 waits what Retry-After says; 5xx and network errors back off; 401/403 say
 * what to do), page by page.
 *
 * Alpaca's parameters (docs.alpaca.markets, "Historical News"): `start`, `end` (RFC 3339; defaults
 * 2015-01-01 and now), `symbols` (comma-separated; all news when absent), `limit` (articles per page,
 * default 10, at most 50), `sort` (by updated date; default desc), `include_content` (default false),
 * `exclude_contentless`, `page_token` (from the previous page's `next_page_token`).
 */
import { marketData } from '@alpacahq/alpaca-trade-api';
import { AlpacaRestError, type AlpacaRest } from './rest';
import { AlpacaNewsPageSchema } from './news-mapper';

/** Alpaca's largest news page. */
export const MAX_NEWS_PAGE = 50;

export interface NewsQuery {
  /** Epoch ms, inclusive. */
  from: number;
  /**
   * Epoch ms, inclusive; absent: up to now on Alpaca's clock (a catch-up leaves it open, so that a local
   * clock running behind Alpaca's cannot cut off the newest articles).
   */
  to?: number;
  /** Symbols to ask news for; empty: all news. */
  symbols: readonly string[];
  /** Articles per page (1..50; default 50). */
  pageLimit?: number;
}

export interface NewsPage {
  /** The page's articles, unvalidated (map each with news-mapper.ts's newsItemFromRest). */
  news: unknown[];
  nextPageToken: string | null;
}

/**
 * One page of GET /v1beta1/news, oldest first, without the articles' bodies. Throws AlpacaRestError
 * (after the client's retries; 'bad-response' for a page in an unexpected shape) or AbortedError.
 */
export async function newsPage(
  rest: AlpacaRest,
  query: NewsQuery,
  pageToken: string | undefined,
  signal?: AbortSignal,
): Promise<NewsPage> {
  const json = await rest.marketDataJson(
    'news',
    async (configuration, init) => {
      const api = new marketData.NewsApi(configuration);
      const response = await api.newsRaw(
        {
          start: new Date(query.from),
          ...(query.to !== undefined ? { end: new Date(query.to) } : {}),
          sort: 'asc',
          limit: Math.max(1, Math.min(MAX_NEWS_PAGE, query.pageLimit ?? MAX_NEWS_PAGE)),
          includeContent: false,
          ...(query.symbols.length > 0 ? { symbols: query.symbols.join(',') } : {}),
          ...(pageToken ? { pageToken } : {}),
        },
        init,
      );
      const body: unknown = await response.raw.json();
      return body;
    },
    signal,
  );
  const parsed = AlpacaNewsPageSchema.safeParse(json);
  if (!parsed.success) {
    throw new AlpacaRestError(
      `Alpaca sent news in an unexpected shape (${parsed.error.issues[0]?.message ?? 'invalid'})`,
      'bad-response',
    );
  }
  return { news: parsed.data.news ?? [], nextPageToken: parsed.data.next_page_token || null };
}

/**
 * Every page of news in [from, to], oldest first, following `next_page_token`; from `pageToken` on when
 * given (a page that failed before: each page carries the token of the next). Throws as `newsPage`.
 */
export async function* newsPages(
  rest: AlpacaRest,
  query: NewsQuery,
  signal?: AbortSignal,
  pageToken?: string,
): AsyncGenerator<NewsPage> {
  if (query.to !== undefined && query.to < query.from) return;
  let token = pageToken;
  do {
    const page = await newsPage(rest, query, token, signal);
    yield page;
    token = page.nextPageToken ?? undefined;
  } while (token !== undefined);
}
