/**
 * Importing recorded news: the StockNet tweets file (../shared/data/news/stocknet_tweets_2014_2015.csv,
 * 119,844 rows making ~97,000 tweets) read with the recorded news reader (csv-parse, time parsing, text
 * cleaning, a tweet's rows merged) and stored with NewsRepository.insert in chunks of 5,000 items, one
 * transaction each, into a fresh store in the OS temp folder: what `trm news import` does, without the
 * process start. Figures: reading alone, reading and storing, and importing the same file again (every
 * item a duplicate). The limit beside it: the same items inserted with better-sqlite3 into a plain table
 * (no keys, no indexes, no dedupe) in one transaction, from memory. Best of RUNS runs (the machine is shared). Without ../shared/data a generated file of
 * the same shape (120,000 rows) is used instead, and the details say so.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { readRecordedNewsFile, readRecordedNews } from '../src/main/market/news/recorded-news-files';
import { openStore, type Store } from '../src/main/store';
import { report } from './lib/report';

const SHARED = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'shared',
  'data',
  'news',
  'stocknet_tweets_2014_2015.csv',
);
const RUNS = 3;
const BATCH = 5000;

/** 120,000 rows of tweets in the StockNet layout, a third of them naming a second ticker. */
function generatedTweets(path: string): void {
  const lines = ['created_at_utc,ticker,tweet_id,text'];
  const tickers = ['AAPL', 'GOOG', 'MSFT', 'AMZN', 'FB', 'JPM', 'XOM', 'GE'];
  let t = Date.UTC(2014, 0, 1);
  for (let id = 0; lines.length <= 120_000; id++) {
    t += 5 * 60_000;
    const time = new Date(t).toISOString().replace('.000Z', 'Z');
    const a = tickers[id % tickers.length]!;
    const b = tickers[(id * 7 + 3) % tickers.length]!;
    const text = `"$${a} ${id % 3 === 0 ? `and $${b} ` : ''}tweet number ${id}, with a comma"`;
    lines.push(`${time},${a},${1e17 + id},${text}`);
    if (id % 3 === 0 && a !== b) lines.push(`${time},${b},${1e17 + id},${text}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

async function importFile(
  file: string,
  store: Store | null,
): Promise<{ rows: number; items: number; fresh: number }> {
  let rows = 0;
  let items = 0;
  let fresh = 0;
  for await (const chunk of readRecordedNews(file, { batchSize: BATCH })) {
    rows = chunk.rows;
    items += chunk.items.length;
    if (store !== null) fresh += store.news.insert(chunk.items).length;
  }
  return { rows, items, fresh };
}

async function best(runs: number, fn: () => Promise<void>): Promise<number> {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    min = Math.min(min, (performance.now() - start) / 1000);
  }
  return min;
}

export default async function recordedNewsImportBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trm-news-bench-'));
  try {
    const shared = existsSync(SHARED);
    const file = shared ? SHARED : join(dir, 'generated_tweets.csv');
    if (!shared) generatedTweets(file);
    const counts = await importFile(file, null);

    const readSeconds = await best(RUNS, async () => {
      await importFile(file, null);
    });
    let fresh = 0;
    let importSeconds = Number.POSITIVE_INFINITY;
    let againSeconds = Number.POSITIVE_INFINITY;
    for (let run = 0; run < RUNS; run++) {
      const path = join(dir, `news-${run}.sqlite`);
      const store = openStore(path);
      try {
        let start = performance.now();
        fresh = (await importFile(file, store)).fresh;
        importSeconds = Math.min(importSeconds, (performance.now() - start) / 1000);
        start = performance.now();
        await importFile(file, store);
        againSeconds = Math.min(againSeconds, (performance.now() - start) / 1000);
      } finally {
        store.close();
        rmSync(path, { force: true });
      }
    }

    // The limit: the parsed items into a plain table, nothing checked, one transaction.
    const { items } = await readRecordedNewsFile(file);
    let limitSeconds = Number.POSITIVE_INFINITY;
    for (let run = 0; run < RUNS; run++) {
      const path = join(dir, `limit-${run}.sqlite`);
      const db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec('CREATE TABLE news (id TEXT, time INTEGER, headline TEXT, symbols TEXT)');
      const insert = db.prepare('INSERT INTO news VALUES (?, ?, ?, ?)');
      const start = performance.now();
      db.transaction(() => {
        for (const item of items) insert.run(item.id, item.time, item.headline, item.symbols.join(' '));
      })();
      limitSeconds = Math.min(limitSeconds, (performance.now() - start) / 1000);
      db.close();
      rmSync(path, { force: true });
    }

    report(
      'recorded-news-import',
      [
        {
          name: 'tweets file, read (csv-parse, times, text)',
          value: counts.rows / readSeconds,
          unit: 'rows/s',
        },
        { name: 'tweets file, read and stored', value: counts.rows / importSeconds, unit: 'rows/s' },
        { name: 'tweets file, read and stored', value: importSeconds, unit: 's' },
        { name: 'tweets file imported again (all duplicates)', value: againSeconds, unit: 's' },
        {
          name: 'limit, plain inserts of the parsed items (no keys, no dedupe)',
          value: limitSeconds,
          unit: 's',
        },
      ],
      {
        file: shared ? 'stocknet_tweets_2014_2015.csv' : 'generated (../shared/data missing)',
        rows: counts.rows,
        items: counts.items,
        stored: fresh,
        batch: BATCH,
        runs: RUNS,
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
