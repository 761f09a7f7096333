/**
 * The loopback server's news history answers as Alpaca documents it, so the feed's tests mean something:
 * newest first by default, 10 per page by default, at most 50, symbols filtered, bodies only on request.
 */
import { describe, expect, it } from 'vitest';
import { NewsArchive, newsArticle, newsFrame } from './news';

const T = Date.parse('2025-03-14T14:00:00Z');

function archive(): NewsArchive {
  const a = new NewsArchive();
  for (let id = 1; id <= 12; id++)
    a.add(newsArticle(id, T + id * 60_000, id % 2 === 0 ? ['AAPL'] : ['TSLA', 'F']));
  return a;
}

describe('the loopback news history', () => {
  it('pages newest first, ten at a time, by default', () => {
    const first = archive().page({}) as { news: { id: number }[]; next_page_token: string | null };
    expect(first.news.map((n) => n.id)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    const second = archive().page({ page_token: first.next_page_token! }) as typeof first;
    expect(second.news.map((n) => n.id)).toEqual([2, 1]);
    expect(second.next_page_token).toBeNull();
  });

  it('filters by time and symbols, sorts ascending on request, and refuses pages over 50', () => {
    const page = archive().page({
      start: new Date(T + 3 * 60_000).toISOString(),
      end: new Date(T + 8 * 60_000).toISOString(),
      symbols: 'F,NVDA',
      sort: 'asc',
      limit: '50',
    }) as { news: { id: number; content?: string }[] };
    expect(page.news.map((n) => n.id)).toEqual([3, 5, 7]);
    expect(page.news[0]!.content, 'no body unless include_content').toBeUndefined();
    expect(archive().page({ limit: '51' })).toBe('invalid limit: 51');
  });

  it('streams an article as a T "n" frame with RFC 3339 times and the body', () => {
    expect(newsFrame(newsArticle(7, T, ['AAPL']))).toMatchObject({
      T: 'n',
      id: 7,
      created_at: '2025-03-14T14:00:00.000Z',
      symbols: ['AAPL'],
      source: 'benzinga',
      content: expect.stringContaining('<p>') as unknown,
    });
  });
});
