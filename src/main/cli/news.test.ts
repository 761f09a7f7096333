import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ScoredNewsSchema } from '../../shared/domain';
import { DEMO_WORLD_KEY } from '../store/database-role';
import { openStore } from '../store/store';
import { tempDir, type TempDir } from '../store/test-fixtures/helpers';
import { main } from './index';
import { runNewsImport, runNewsList, runNewsScore, type NewsImportReport, type NewsOutput } from './news-run';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../market/news/test-fixtures/${name}`, import.meta.url));
const TWEETS = fixture('stocknet_tweets_sample.csv');
const COMPANY = fixture('company_news_sample.csv');

let tmp: TempDir;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => {
  tmp.remove();
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

function capture(): NewsOutput & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
    stderrIsTTY: false,
    out: () => out,
    err: () => err,
  };
}

describe('trm news import', () => {
  it('imports recorded news unscored, and importing the same files again stores nothing new', async () => {
    const db = tmp.file('market.sqlite');
    const first = capture();
    expect(await runNewsImport([TWEETS, COMPANY], { db, json: true }, first)).toBe(0);
    const report = JSON.parse(first.out()) as NewsImportReport;
    expect(report).toMatchObject({ rows: 17, items: 7, new: 6, duplicates: 1, stored: 6 });
    expect(report.rejected).toHaveLength(8);
    expect(report.rejected[0]).toEqual({ file: TWEETS, line: 6, reason: 'no ticker' });
    expect(report.files.map((f) => [f.layout, f.new])).toEqual([
      ['stocknet-tweets', 3],
      ['company-news', 3],
    ]);

    const again = capture();
    expect(await runNewsImport([TWEETS, COMPANY], { db, json: true }, again)).toBe(0);
    expect(JSON.parse(again.out())).toMatchObject({ items: 7, new: 0, duplicates: 7, stored: 6 });

    const store = openStore(db);
    const stored = store.news.list({ limit: 50 });
    store.close();
    expect(stored).toHaveLength(6);
    for (const item of stored) {
      expect(ScoredNewsSchema.parse(item)).toEqual(item);
      expect(item.sentiment).toBeNull();
    }
    // A tweet's rows far apart in the file are one item naming both tickers.
    expect(stored.find((i) => i.id.endsWith(':1002'))?.symbols).toEqual(['C', 'MSFT']);
  });

  it('prints a text summary with the refused rows, and exits 1 when a file is refused', async () => {
    const db = tmp.file('market.sqlite');
    const output = capture();
    const code = await runNewsImport(
      [COMPANY, fixture('not_news.csv'), tmp.file('missing.csv')],
      { db },
      output,
    );
    expect(code).toBe(1);
    const text = output.out();
    expect(text).toMatch(
      /^Imported news from 1 of 3 files into .*market\.sqlite in [\d.]+ s: 9 rows, 3 items, 3 new, 0 duplicates \(stored already, or repeated in the file\), 5 rows refused\./,
    );
    expect(text).toContain(`${COMPANY}:7: no time`);
    expect(text).toContain('not_news.csv: refused: not a recorded news file');
    expect(text).toContain('missing.csv: refused: no such file');
    // Not a terminal: a line per file on stderr.
    expect(output.err().split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('says plainly that nothing was imported when every file is refused', async () => {
    const output = capture();
    expect(await runNewsImport([tmp.file('missing.csv')], { db: tmp.file('market.sqlite') }, output)).toBe(1);
    expect(output.out()).toMatch(
      /^Nothing imported into .*market\.sqlite:\n {2}.*missing\.csv: refused: no such file\n$/,
    );
  });

  it('refuses a demo world database', async () => {
    const db = tmp.file('demo.sqlite');
    const store = openStore(db);
    store.settings.set(DEMO_WORLD_KEY, { seed: 1 });
    store.close();
    await expect(runNewsImport([TWEETS], { db }, capture())).rejects.toThrow(/holds a generated demo world/);
  });

  it('runs from the command line', async () => {
    const db = tmp.file('market.sqlite');
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await main(['news', 'import', '--db', db, '--json', TWEETS]);
    expect(process.exitCode).toBe(0);
    expect(JSON.parse(stdout.mock.calls.map((c) => String(c[0])).join(''))).toMatchObject({ new: 3 });
  });
});

describe('trm news list', () => {
  it('prints stored news newest first, by symbol, limited, with the sentiment when scored', async () => {
    const db = tmp.file('market.sqlite');
    await runNewsImport([TWEETS], { db }, capture());
    const store = openStore(db);
    store.news.setScores([
      {
        id: 'recorded:stocknet_tweets_sample:1001',
        sentiment: { label: 'positive', probabilities: [0.1, 0.2, 0.7], score: 0.6 },
        sentimentModel: 'sent-test',
        catalysts: [],
      },
    ]);
    store.close();

    const all = capture();
    expect(runNewsList({ db, limit: 20 }, all)).toBe(0);
    expect(all.out().split('\n').filter(Boolean)).toEqual([
      'time (UTC)        symbols       sentiment       headline',
      '2014-01-02 15:30  BRK-A         unscored        Berkshire class A',
      '2014-01-02 15:00  C,MSFT        unscored        Quoted, with a comma and a tabbell',
      '2014-01-02 14:30  AAPL,GOOG     positive +0.60  $AAPL $GOOG up on the open',
    ]);

    const bySymbol = capture();
    runNewsList({ db, limit: 1, symbol: 'msft', json: true }, bySymbol);
    const items = JSON.parse(bySymbol.out()) as unknown[];
    expect(items.map((i) => ScoredNewsSchema.parse(i).id)).toEqual(['recorded:stocknet_tweets_sample:1002']);

    const none = capture();
    runNewsList({ db, limit: 5, symbol: 'TSLA' }, none);
    expect(none.out()).toMatch(/^No news naming TSLA in /);
  });

  it('says what to do when there is no database, and refuses a bad symbol or limit', async () => {
    expect(() => runNewsList({ db: tmp.file('none.sqlite'), limit: 5 }, capture())).toThrow(
      /no database at .*none\.sqlite: import news first \(trm news import FILES\)/,
    );
    await runNewsImport([TWEETS], { db: tmp.file('m.sqlite') }, capture());
    expect(() => runNewsList({ db: tmp.file('m.sqlite'), limit: 5, symbol: '$$' }, capture())).toThrow(
      /--symbol "\$\$" is not a symbol/,
    );
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await main(['news', 'list', '--limit', '0']);
    expect(process.exitCode).toBe(2);
  });
});

describe('trm news score', () => {
  it('scores the stored news with the sentiment model, keeps the scores, and scores nothing twice', async () => {
    const { writeBertFolder } = await import('../test-support/bert-folder');
    const db = tmp.file('market.sqlite');
    expect(await runNewsImport([TWEETS, COMPANY], { db, json: true }, capture())).toBe(0);
    const model = tmp.file('finbert-shaped');
    writeBertFolder(model);

    const first = capture();
    expect(await runNewsScore({ db, model, json: true }, first)).toBe(0);
    expect(JSON.parse(first.out())).toMatchObject({ scored: 6, complete: true });
    const store = openStore(db);
    const stored = store.news.list({ limit: 50 });
    store.close();
    for (const item of stored) {
      expect(item.sentiment).not.toBeNull();
      expect(item.sentimentModel).not.toBeNull();
    }

    const again = capture();
    expect(await runNewsScore({ db, model, json: true }, again)).toBe(0);
    expect(JSON.parse(again.out())).toMatchObject({ scored: 0, complete: true });
  });

  it('says so when there is no database', async () => {
    await expect(runNewsScore({ db: tmp.file('none.sqlite') }, capture())).rejects.toThrow(/no database at/);
  });
});
