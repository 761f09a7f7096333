/**
 * Alpaca articles as news items: what the news panel and the sentiment model read (plain text, the
 * publication time, the symbols, a source a trader recognises), and bad articles dropped, not crashing.
 */
import { describe, expect, it } from 'vitest';
import { MAX_NEWS_TEXT_CHARS } from '../../../shared/domain';
import { createMemoryLogger } from '../../platform/log';
import { DroppedNews, cutText, newsItemFromRest, newsItemFromStream, plainText } from './news-mapper';

/** Shaped like the example in Alpaca's "Real-time News" docs, with HTML where Benzinga puts it. */
const CORSAIR = {
  id: 24918784,
  headline: 'Corsair Reports Purchase Of Majority Ownership In iDisplay, No Terms Disclosed',
  summary:
    '<p>Corsair Gaming, Inc. (NASDAQ:<a class="ticker" href="https://www.benzinga.com/stock/CRSR#NASDAQ">CRSR</a>) ' +
    '(&ldquo;Corsair&rdquo;) acquired a 51% stake in iDisplay &amp; more&#8230;</p>',
  author: 'Benzinga Newsdesk',
  created_at: '2022-01-05T22:00:37Z',
  updated_at: '2022-01-05T22:00:38Z',
  url: 'https://www.benzinga.com/m-a/22/01/24918784/corsair-reports-purchase',
  content: '<p>Corsair Gaming, Inc. ...</p>',
  symbols: ['CRSR', 'msft', 'BTCUSD'],
  source: 'benzinga',
};

describe('newsItemFromRest', () => {
  it('maps a realistic article: plain text, publication time, symbols, the source by name', () => {
    const { item } = newsItemFromRest(CORSAIR);
    expect(item).toEqual({
      id: 'alpaca:24918784',
      origin: 'alpaca',
      kind: 'headline',
      source: 'Benzinga',
      time: Date.parse('2022-01-05T22:00:37Z'),
      headline: 'Corsair Reports Purchase Of Majority Ownership In iDisplay, No Terms Disclosed',
      summary:
        'Corsair Gaming, Inc. (NASDAQ:CRSR) (\u201cCorsair\u201d) acquired a 51% stake in iDisplay & more\u2026',
      symbols: ['CRSR', 'MSFT', 'BTCUSD'],
      url: 'https://www.benzinga.com/m-a/22/01/24918784/corsair-reports-purchase',
    });
  });

  it('keeps an article without a summary, URL or symbols (market-wide news)', () => {
    const { item } = newsItemFromRest({
      id: 1,
      headline: 'Fed holds rates',
      created_at: '2024-03-20T18:00:00Z',
      updated_at: '2024-03-20T18:00:01Z',
      symbols: [],
      source: '',
    });
    expect(item).toMatchObject({ summary: '', url: null, symbols: [], source: 'Alpaca' });
  });

  it('cuts long text to the store limit with an ellipsis, and drops symbols that are no ticker', () => {
    const { item } = newsItemFromRest({
      ...CORSAIR,
      summary: 'word '.repeat(2_000),
      symbols: ['AAPL', 'not a ticker', 'AAPL'],
    });
    expect(item!.summary).toHaveLength(MAX_NEWS_TEXT_CHARS);
    expect(item!.summary.endsWith('\u2026')).toBe(true);
    expect(item!.symbols).toEqual(['AAPL']);
  });

  it('falls back to the update time when the creation time is missing', () => {
    const { item } = newsItemFromRest({ ...CORSAIR, created_at: undefined });
    expect(item!.time).toBe(Date.parse('2022-01-05T22:00:38Z'));
  });

  it('drops articles it cannot use, saying why', () => {
    expect(newsItemFromRest({ ...CORSAIR, headline: '<p> </p>' }).problem).toBe(
      'an article without a headline',
    );
    expect(newsItemFromRest({ ...CORSAIR, created_at: 'yesterday', updated_at: null }).problem).toBe(
      'an article without a valid publication time',
    );
    expect(newsItemFromRest({ ...CORSAIR, id: 'abc' }).problem).toMatch(
      /^a message in an unexpected shape \(id:/,
    );
    expect(newsItemFromRest('not an article').problem).toMatch(/unexpected shape/);
  });
});

describe('newsItemFromStream', () => {
  it('maps the SDK’s decoded frame, keeping a 64-bit id exactly', () => {
    const { item } = newsItemFromStream({
      id: Number('9007199254740993'), // what the SDK makes of a 64-bit id: inexact
      idRaw: '9007199254740993',
      headline: 'Apple &amp; Tesla <b>rise</b>',
      summary: undefined,
      author: 'Benzinga Newsdesk',
      createdAt: new Date('2024-05-01T13:30:00Z'),
      updatedAt: new Date('2024-05-01T13:30:01Z'),
      url: 'https://example.com/a',
      symbols: ['AAPL', 'TSLA'],
      source: 'benzinga',
    });
    expect(item).toMatchObject({
      id: 'alpaca:9007199254740993',
      headline: 'Apple & Tesla rise',
      summary: '',
      time: Date.parse('2024-05-01T13:30:00Z'),
      symbols: ['AAPL', 'TSLA'],
    });
  });
});

describe('text helpers', () => {
  it('plainText drops scripts, comments and tags, decodes entities and collapses whitespace', () => {
    expect(
      plainText('<div>One<br/>two</div><script>alert(1)</script><!-- x -->&#x41;&lt;&gt;&nbsp;end'),
    ).toBe('One two A<> end');
    expect(plainText('5 &lt; 6 &unknown; &#0;')).toBe('5 < 6 &unknown; &#0;');
  });

  it('cutText never splits a surrogate pair', () => {
    const text = `${'a'.repeat(8)}\u{1F600}rest`;
    const cut = cutText(text, 10);
    expect(cut).toBe(`${'a'.repeat(8)}\u2026`);
    expect(cutText('short', 10)).toBe('short');
  });
});

describe('DroppedNews', () => {
  it('warns once per kind of problem and counts every drop', () => {
    const log = createMemoryLogger();
    const dropped = new DroppedNews(log);
    dropped.report('an article without a headline', 'stream');
    dropped.report('an article without a headline', 'stream');
    dropped.report('an article without a valid publication time', 'history');
    expect(dropped.count).toBe(3);
    expect(log.lines.filter((l) => l.includes('WARN'))).toHaveLength(2);
    expect(log.lines.filter((l) => l.includes('DEBUG'))).toHaveLength(1);
  });
});
