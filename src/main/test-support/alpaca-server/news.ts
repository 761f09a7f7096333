/**
 * The loopback Alpaca server's news: an archive of articles that REST pages through
 * (GET /v1beta1/news) and the stream publishes (frames `T: "n"` on /v1beta1/news), in Alpaca's wire
 * shapes (docs.alpaca.markets, "Historical News" and "Real-time News").
 *
 * REST: `start`/`end` (RFC 3339, inclusive) filter on the publication time; `symbols` (comma-separated)
 * keeps articles that mention any of them; `limit` 1..50 (default 10; more is a 422, as Alpaca answers);
 * `sort` asc or desc (default desc); `include_content` adds the body; `page_token` continues. Alpaca sorts
 * by the update time; these articles are updated one second after they are published, so the orders agree.
 */

/** An article, times as epoch ms (formatted as RFC 3339 on the wire). */
export interface WireNews {
  id: number;
  headline: string;
  summary: string;
  author: string;
  created: number;
  updated: number;
  url: string;
  content: string;
  symbols: string[];
  source: string;
}

const MAX_LIMIT = 50;

/** A realistic article: `id`, published at `created`, about `symbols`, with HTML in the body. */
export function newsArticle(
  id: number,
  created: number,
  symbols: readonly string[] = ['AAPL'],
  change: Partial<WireNews> = {},
): WireNews {
  const subject = symbols[0] ?? 'Markets';
  return {
    id,
    headline: `${subject} update number ${id}`,
    summary: `Summary of story ${id} about ${subject}.`,
    author: 'Benzinga Newsdesk',
    created,
    updated: created + 1_000,
    url: `https://www.benzinga.com/news/${id}`,
    content: `<p>Body of story ${id} about <a class="ticker" href="https://www.benzinga.com/stock/${subject}">${subject}</a>.</p>`,
    symbols: [...symbols],
    source: 'benzinga',
    ...change,
  };
}

/** The article as Alpaca's JSON carries it (REST entries and stream frames share the fields). */
export function newsJson(article: WireNews, withContent: boolean): Record<string, unknown> {
  return {
    id: article.id,
    headline: article.headline,
    author: article.author,
    created_at: new Date(article.created).toISOString(),
    updated_at: new Date(article.updated).toISOString(),
    summary: article.summary,
    url: article.url,
    images: [],
    symbols: article.symbols,
    source: article.source,
    ...(withContent ? { content: article.content } : {}),
  };
}

/** The stream frame of an article. */
export function newsFrame(article: WireNews): Record<string, unknown> {
  const { images: _images, ...fields } = newsJson(article, true);
  return { T: 'n', ...fields };
}

/** Whether a news subscription (symbols, or '*') covers `article`. */
export function subscribedTo(subscription: ReadonlySet<string>, article: WireNews): boolean {
  return subscription.has('*') || article.symbols.some((symbol) => subscription.has(symbol));
}

export class NewsArchive {
  private readonly articles: WireNews[] = [];

  add(article: WireNews): void {
    this.articles.push(article);
  }

  get size(): number {
    return this.articles.length;
  }

  /** A page of GET /v1beta1/news for these query parameters, or the 422 message for bad ones. */
  page(query: Record<string, string>): object | string {
    const start = query.start ? Date.parse(query.start) : Date.parse('2015-01-01T00:00:00Z');
    const end = query.end ? Date.parse(query.end) : Infinity;
    if (Number.isNaN(start) || Number.isNaN(end)) return 'invalid start or end';
    const limit = query.limit ? Number(query.limit) : 10;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return `invalid limit: ${query.limit}`;
    const sort = (query.sort ?? 'desc').toLowerCase();
    if (sort !== 'asc' && sort !== 'desc') return `invalid sort: ${query.sort}`;
    const symbols = new Set((query.symbols ?? '').split(',').filter(Boolean));
    const matching = this.articles
      .filter(
        (a) => a.created >= start && a.created <= end && (symbols.size === 0 || subscribedTo(symbols, a)),
      )
      .sort((a, b) => a.updated - b.updated || a.id - b.id);
    if (sort === 'desc') matching.reverse();
    const offset = query.page_token ? Number(Buffer.from(query.page_token, 'base64url').toString()) : 0;
    const page = matching.slice(offset, offset + limit);
    const next =
      offset + limit < matching.length ? Buffer.from(String(offset + limit)).toString('base64url') : null;
    const withContent = query.include_content === 'true';
    return { news: page.map((a) => newsJson(a, withContent)), next_page_token: next };
  }
}
