import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_NEWS_TEXT_CHARS, NewsItemSchema } from '../../../shared/domain';
import { tempDir } from '../../store/test-fixtures/helpers';
import {
  cleanNewsText,
  detectNewsLayout,
  parseRfc2822,
  readRecordedNews,
  readRecordedNewsFile,
  RecordedNewsFileError,
} from './recorded-news-files';

const FIXTURES = fileURLToPath(new URL('./test-fixtures/', import.meta.url));
const fixture = (name: string): string => join(FIXTURES, name);
const SHARED_NEWS = fileURLToPath(new URL('../../../../../shared/data/news/', import.meta.url));

describe('recorded news layouts', () => {
  it('are told apart by their header, in any case and order', () => {
    expect(detectNewsLayout(['datetime', 'ticker', 'headline', 'summary'])).toBe('company-news');
    expect(detectNewsLayout(['created_at_utc', 'ticker', 'tweet_id', 'text'])).toBe('stocknet-tweets');
    expect(detectNewsLayout(['title', 'pubDate', 'guid', 'link', 'description'])).toBe('bbc-headlines');
    expect(detectNewsLayout(['TITLE', 'link', 'pubdate', 'description', 'guid'])).toBe('bbc-headlines');
    expect(detectNewsLayout(['date', 'open', 'high', 'low', 'close', 'volume'])).toBeNull();
  });

  it('refuse a file whose header matches none, naming the file and the layouts', async () => {
    const read = readRecordedNewsFile(fixture('not_news.csv'));
    await expect(read).rejects.toBeInstanceOf(RecordedNewsFileError);
    await expect(readRecordedNewsFile(fixture('not_news.csv'))).rejects.toThrow(
      /not_news\.csv: not a recorded news file: its header "date,open,high,low,close,volume" matches none of company news \(datetime,ticker,headline,summary\)/,
    );
    await expect(readRecordedNewsFile(fixture('missing.csv'))).rejects.toThrow(/missing\.csv: no such file/);
  });
});

describe('company news', () => {
  it('reads New York local times, merges a headline under two tickers, refuses bad rows with file and line', async () => {
    const file = fixture('company_news_sample.csv');
    const { layout, items, refused, rows } = await readRecordedNewsFile(file);
    expect(layout).toBe('company-news');
    expect(rows).toBe(9); // 10 lines: one summary spans two
    for (const item of items) NewsItemSchema.parse(item);
    expect(items.map((i) => [new Date(i.time).toISOString(), i.symbols])).toEqual([
      // EDT (UTC-4) in October, EST (UTC-5) in February: results released just after the 16:00 ET close.
      ['2024-10-29T20:06:04.000Z', ['GOOGL']],
      ['2024-02-01T21:02:54.000Z', ['AMZN']],
      ['2024-02-01T21:30:00.000Z', ['AAPL', 'MSFT']],
    ]);
    expect(items[0]).toMatchObject({
      origin: 'recorded',
      kind: 'headline',
      source: 'company_news_sample.csv',
      headline: 'Google parent Alphabet beats quarterly revenue estimates',
      summary: 'Alphabet topped third-quarter revenue expectations on Tuesday.',
      url: null,
    });
    expect(items[0]?.id).toMatch(/^recorded:company_news_sample:[0-9a-f]{16}$/);
    // A line break inside a quoted summary is a space.
    expect(items[1]?.summary).toBe('Amazon.com beat fourth-quarter revenue expectations, on robust growth.');
    expect(refused).toEqual([
      { file, line: 7, reason: 'no time' },
      { file, line: 8, reason: 'time "2024-13-01 10:00:00" is not a date and time' },
      { file, line: 9, reason: 'time "2024-03-10 02:30:00" does not exist in New York (the clocks skip it)' },
      { file, line: 10, reason: 'no headline' },
      { file, line: 11, reason: 'ticker "aapl!" is not a symbol' },
    ]);
  });
});

describe('StockNet tweets', () => {
  it('reads one social item per tweet with all its tickers, wherever its rows are', async () => {
    const file = fixture('stocknet_tweets_sample.csv');
    const { layout, items, refused } = await readRecordedNewsFile(file);
    expect(layout).toBe('stocknet-tweets');
    for (const item of items) NewsItemSchema.parse(item);
    expect(items.map((i) => [i.id, i.symbols, i.kind])).toEqual([
      ['recorded:stocknet_tweets_sample:1001', ['AAPL', 'GOOG'], 'social'],
      ['recorded:stocknet_tweets_sample:1002', ['C', 'MSFT'], 'social'],
      ['recorded:stocknet_tweets_sample:1003', ['BRK-A'], 'social'],
    ]);
    expect(items[0]?.time).toBe(Date.UTC(2014, 0, 2, 14, 30));
    // Tab to a space, the bell character removed.
    expect(items[1]?.headline).toBe('Quoted, with a comma and a tabbell');
    expect(refused).toEqual([
      { file, line: 6, reason: 'no ticker' },
      { file, line: 7, reason: 'time "not a time" is not a date and time' },
      { file, line: 8, reason: 'no text' },
    ]);
  });

  it('streams in chunks, merging the rows of a tweet that are next to each other', async () => {
    const chunks = [];
    for await (const chunk of readRecordedNews(fixture('stocknet_tweets_sample.csv'), { batchSize: 2 })) {
      chunks.push(chunk);
    }
    expect(chunks.map((c) => c.items.map((i) => i.symbols.join('+')))).toEqual([
      ['AAPL+GOOG', 'C'],
      ['BRK-A', 'MSFT'],
    ]);
    expect(chunks.at(-1)?.rows).toBe(8);
    expect(chunks.at(-1)?.bytesRead).toBe(chunks.at(-1)?.bytesTotal);
    expect(chunks.flatMap((c) => c.refused)).toHaveLength(3);
  });
});

describe('BBC headlines', () => {
  it('reads market-wide headlines with RFC 2822 dates, ids from the guid', async () => {
    const file = fixture('bbc_business_headlines_sample.csv');
    const { layout, items, refused } = await readRecordedNewsFile(file);
    expect(layout).toBe('bbc-headlines');
    for (const item of items) NewsItemSchema.parse(item);
    expect(items.map((i) => [i.id, new Date(i.time).toISOString(), i.symbols])).toEqual([
      [
        'recorded:bbc_business_headlines_sample:https://www.bbc.co.uk/news/business-60623941',
        '2022-03-07T00:14:42.000Z',
        [],
      ],
      [
        'recorded:bbc_business_headlines_sample:https://www.bbc.co.uk/news/business-60642786',
        '2022-03-07T07:15:53.000Z',
        [],
      ],
    ]);
    expect(items[0]?.url).toBe('https://www.bbc.co.uk/news/business-60623941?at_medium=RSS');
    expect(items[1]?.summary).toBe('Consumers are feeling the impact, as fuel prices jump.');
    expect(refused).toEqual([
      { file, line: 5, reason: 'pubDate "Mon, 07 Mar 2022 08:15:53" is not an RFC 2822 date and time' },
      { file, line: 6, reason: 'pubDate "Wed, 30 Feb 2022 08:15:53 GMT" is not an RFC 2822 date and time' },
    ]);
  });

  it('parses RFC 2822 zones, and never assumes the local one', () => {
    expect(parseRfc2822('Mon, 07 Mar 2022 00:14:42 GMT')).toBe(Date.UTC(2022, 2, 7, 0, 14, 42));
    expect(parseRfc2822('7 Mar 2022 09:00 -0500')).toBe(Date.UTC(2022, 2, 7, 14, 0));
    expect(parseRfc2822('Mon, 07 Mar 2022 09:00:00 EST')).toBe(Date.UTC(2022, 2, 7, 14, 0));
    expect(parseRfc2822('Mon, 07 Mar 2022 09:00:00')).toBeNaN();
    expect(parseRfc2822('Mon, 07 Foo 2022 09:00:00 GMT')).toBeNaN();
  });
});

describe('CSV quoting', () => {
  it('keeps stray quotes inside a field, and refuses an unclosed quote with its line', async () => {
    const tmp = tempDir();
    try {
      const path = tmp.file('quotes.csv');
      writeFileSync(
        path,
        'created_at_utc,ticker,tweet_id,text\n' +
          '2014-01-02T14:31:00Z,AAPL,2,"bad"q here\n' +
          '2014-01-02T14:32:00Z,AAPL,3,good "two"\n' +
          '2014-01-02T14:33:00Z,AAPL,4,"good, three"\n' +
          '2014-01-02T14:34:00Z,AAPL,5,"unclosed\n',
      );
      const { items, refused } = await readRecordedNewsFile(path);
      expect(items.map((i) => i.headline)).toEqual(['"bad"q here', 'good "two"', 'good, three']);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({ file: path, line: 5 });
      expect(refused[0]?.reason).toMatch(/^not valid CSV: Quote Not Closed/);
    } finally {
      tmp.remove();
    }
  });
});

describe('news text', () => {
  it('loses control characters and is cut to the store limit with an ellipsis', () => {
    expect(cleanNewsText(' a\r\nb\u0000c\u009f ')).toBe('a bc');
    const long = cleanNewsText('x'.repeat(MAX_NEWS_TEXT_CHARS + 10));
    expect(long).toHaveLength(MAX_NEWS_TEXT_CHARS);
    expect(long.endsWith('…')).toBe(true);
    // Never half a surrogate pair.
    expect(cleanNewsText('ab😀cd', 4)).toBe('ab…');
  });

  it('comes from a file with overlong text cut, not refused', async () => {
    const tmp = tempDir();
    try {
      const path = tmp.file('long.csv');
      writeFileSync(
        path,
        `created_at_utc,ticker,tweet_id,text\n2014-01-02T14:30:00Z,AAPL,1,${'y'.repeat(5000)}\n`,
      );
      const { items } = await readRecordedNewsFile(path);
      expect(items[0]?.headline).toHaveLength(MAX_NEWS_TEXT_CHARS);
      NewsItemSchema.parse(items[0]);
    } finally {
      tmp.remove();
    }
  });
});

describe.skipIf(!existsSync(SHARED_NEWS))('the shared recorded news files (../shared/data/news)', () => {
  it('read completely: every company headline, every tweet once, every BBC story once', async () => {
    const company = await readRecordedNewsFile(join(SHARED_NEWS, 'company_news_2023_2024.csv'));
    expect(company.rows).toBe(4440);
    expect(company.refused).toEqual([]);
    // The Mac mini story: 2024-10-29 18:07:48 New York time.
    const macMini = company.items.find((i) => i.headline === 'Apple Unveils the Redesigned Mac Mini');
    expect(new Date(macMini?.time ?? 0).toISOString()).toBe('2024-10-29T22:07:48.000Z');

    const tweets = await readRecordedNewsFile(join(SHARED_NEWS, 'stocknet_tweets_2014_2015.csv'));
    expect(tweets.rows).toBe(119_844);
    expect(tweets.refused).toEqual([]);
    expect(tweets.items).toHaveLength(96_826);

    const bbc = await readRecordedNewsFile(join(SHARED_NEWS, 'bbc_business_headlines.csv'));
    expect(bbc.refused).toEqual([]);
    expect(bbc.items.length).toBe(new Set(bbc.items.map((i) => i.id)).size);
  }, 60_000);
});
