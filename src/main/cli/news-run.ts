/**
 * What `trm news import`, `trm news list` and `trm news score` run (loaded only then; their options are
 * in news.ts).
 *
 * Import: each file is read in chunks (src/main/market/news/recorded-news-files.ts) and each chunk is
 * stored in one transaction; the store drops what it holds already (same id, or same headline at the same
 * time), so importing a file again stores nothing new. Items are stored unscored: the engine scores them
 * as a replay releases them. A progress bar runs on stderr for a terminal (a line per file otherwise);
 * the report comes on stdout, as text or, with --json, as exactly one JSON object.
 *
 * Exit codes: 0 when every file was read (some rows may have been refused: the report lists them), 1 when
 * a file was refused (missing, not recorded news) or the import was stopped, 2 for a usage error, a
 * database in use or a demo world's database.
 */
import { existsSync, statSync } from 'node:fs';
import type { SingleBar } from 'cli-progress';
import { SymbolSchema, type ScoredNews } from '../../shared/domain';
import {
  readRecordedNews,
  RecordedNewsFileError,
  type NewsRowRefusal,
  type RecordedNewsLayout,
} from '../market/news/recorded-news-files';
import { defaultMarketDbPath } from '../platform/paths';
import { refuseDemoWorld } from '../store/database-role';
import { openStore } from '../store/store';
import { catalystText, tagCatalysts } from '../core/news/catalyst-keywords';
import type { NewsImportOptions, NewsListOptions, NewsScoreOptions } from './news';

/** Where the commands write: the process's streams, or a test's. */
export interface NewsOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal (a progress bar) or not (a line per file). */
  stderrIsTTY: boolean;
}

const processOutput: NewsOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
};

/** One file's outcome. */
export interface NewsFileReport {
  file: string;
  /** The layout read, or null when the file was refused. */
  layout: RecordedNewsLayout | null;
  /** Data rows read (a tweet naming 3 tickers is 3 rows). */
  rows: number;
  /** Items those rows make (a tweet is one item, whatever its tickers). */
  items: number;
  /** Items stored now. */
  new: number;
  /**
   * Items not stored again: the store held them already, or an earlier row of the import did (same id, or
   * same headline at the same time); the symbols they add are merged into the stored item.
   */
  duplicates: number;
  /** Rows refused. */
  refused: number;
  /** Why the whole file was refused, else null. */
  error: string | null;
}

export interface NewsImportReport {
  database: string;
  files: NewsFileReport[];
  rows: number;
  items: number;
  new: number;
  duplicates: number;
  /** Every refused row (the text report lists the first few). */
  rejected: NewsRowRefusal[];
  seconds: number;
  /** Items stored in the database after the import. */
  stored: number;
}

/** Refused rows the text report lists; --json lists them all. */
const LISTED_IN_TEXT = 10;
/** Items per chunk: one transaction each. */
const BATCH = 5000;

const count = (n: number): string => n.toLocaleString('en-US');

const LAYOUT_NAMES: Record<RecordedNewsLayout, string> = {
  'company-news': 'company news',
  'stocknet-tweets': 'StockNet tweets',
  'bbc-headlines': 'BBC headlines',
};

function describeFile(f: NewsFileReport): string {
  if (f.error !== null) return `${f.file}: refused: ${f.error}`;
  const parts = [
    `${count(f.rows)} rows, ${count(f.items)} items (${LAYOUT_NAMES[f.layout ?? 'company-news']})`,
    `${count(f.new)} new`,
    `${count(f.duplicates)} duplicates`,
  ];
  if (f.refused > 0) parts.push(`${count(f.refused)} refused`);
  return `${f.file}: ${parts.join(', ')}`;
}

function textReport(report: NewsImportReport): string {
  const read = report.files.filter((f) => f.error === null).length;
  if (read === 0) {
    const lines = report.files.map((f) => `  ${describeFile(f)}`);
    return `Nothing imported into ${report.database}:\n${lines.join('\n')}\n`;
  }
  const lines = [
    `Imported news from ${count(read)} of ` +
      `${count(report.files.length)} file${report.files.length === 1 ? '' : 's'} into ${report.database} ` +
      `in ${report.seconds.toFixed(1)} s: ${count(report.rows)} rows, ${count(report.items)} items, ` +
      `${count(report.new)} new, ${count(report.duplicates)} duplicates (stored already, or repeated in ` +
      `the file), ${count(report.rejected.length)} rows refused. The database holds ${count(report.stored)} ` +
      'news items; a replay scores them as it plays them, and trm news score keeps scores in the database.',
  ];
  for (const f of report.files) lines.push(`  ${describeFile(f)}`);
  if (report.rejected.length > 0) {
    lines.push('Refused rows (file:line: reason):');
    for (const r of report.rejected.slice(0, LISTED_IN_TEXT))
      lines.push(`  ${r.file}:${r.line}: ${r.reason}`);
    if (report.rejected.length > LISTED_IN_TEXT) {
      lines.push(`  ... ${count(report.rejected.length - LISTED_IN_TEXT)} more (--json lists them all)`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Runs `trm news import`; returns its exit code.
 * @throws StoreInUseError (and the store's other open errors), DemoWorldDatabaseError for a demo world's
 *   database
 */
export async function runNewsImport(
  files: readonly string[],
  options: NewsImportOptions,
  output: NewsOutput = processOutput,
): Promise<number> {
  const started = performance.now();
  const store = openStore(options.db ?? defaultMarketDbPath(), {
    onWarning: (message) => output.stderr(`trm news import: ${message}\n`),
  });
  let bar: SingleBar | null = null;
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const reports: NewsFileReport[] = [];
  const rejected: NewsRowRefusal[] = [];
  let stored: number;
  try {
    // Real news never goes into a generated demo world.
    refuseDemoWorld(store);
    const totalBytes = files.reduce((sum, f) => sum + fileSize(f), 0);
    if (output.stderrIsTTY && totalBytes > 1_000_000) {
      const { SingleBar } = await import('cli-progress');
      bar = new SingleBar({
        format: 'importing news {bar} {percentage}% | {doneMb}/{totalMb} MB | {items} items | {file}',
        hideCursor: true,
        clearOnComplete: true,
        stream: process.stderr,
      });
      bar.start(Math.max(1, totalBytes), 0, {
        doneMb: '0.0',
        totalMb: (totalBytes / 1e6).toFixed(1),
        items: '0',
        file: '',
      });
    }
    let bytesBefore = 0;
    let itemsSoFar = 0;
    for (const file of files) {
      if (abort.signal.aborted) break;
      const report: NewsFileReport = {
        file,
        layout: null,
        rows: 0,
        items: 0,
        new: 0,
        duplicates: 0,
        refused: 0,
        error: null,
      };
      try {
        for await (const chunk of readRecordedNews(file, { batchSize: BATCH })) {
          const fresh = store.news.insert(chunk.items);
          report.layout = chunk.layout;
          report.rows = chunk.rows;
          report.items += chunk.items.length;
          report.new += fresh.length;
          report.duplicates += chunk.items.length - fresh.length;
          report.refused += chunk.refused.length;
          rejected.push(...chunk.refused);
          itemsSoFar += chunk.items.length;
          bar?.update(bytesBefore + chunk.bytesRead, {
            doneMb: ((bytesBefore + chunk.bytesRead) / 1e6).toFixed(1),
            totalMb: (totalBytes / 1e6).toFixed(1),
            items: count(itemsSoFar),
            file: file.length > 40 ? `...${file.slice(-37)}` : file,
          });
          if (abort.signal.aborted) break;
        }
      } catch (error) {
        if (!(error instanceof RecordedNewsFileError)) throw error;
        // The message names the file; the report names it once.
        report.error = error.message.startsWith(`${file}: `)
          ? error.message.slice(file.length + 2)
          : error.message;
      }
      bytesBefore += fileSize(file);
      reports.push(report);
      if (bar === null) output.stderr(`${describeFile(report)}\n`);
    }
    stored = store.news.count();
  } finally {
    bar?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    store.close();
  }
  if (abort.signal.aborted) {
    output.stderr(
      'trm news import: stopped; what was read before is stored (importing the files again adds only the rest)\n',
    );
    return 1;
  }

  const sum = (key: 'rows' | 'items' | 'new' | 'duplicates'): number =>
    reports.reduce((total, r) => total + r[key], 0);
  const report: NewsImportReport = {
    database: store.path,
    files: reports,
    rows: sum('rows'),
    items: sum('items'),
    new: sum('new'),
    duplicates: sum('duplicates'),
    rejected,
    seconds: (performance.now() - started) / 1000,
    stored,
  };
  output.stdout(options.json ? `${JSON.stringify(report)}\n` : textReport(report));
  return reports.some((r) => r.error !== null) ? 1 : 0;
}

/** The column heads of `trm news list`, aligned with `newsLine`. */
export const NEWS_LIST_HEADER = `${'time (UTC)'.padEnd(16)}  ${'symbols'.padEnd(12)}  ${'sentiment'.padEnd(14)}  headline`;

/** One line per item: time (UTC, to the minute), symbols, sentiment, headline. */
export function newsLine(item: ScoredNews): string {
  const time = new Date(item.time).toISOString().slice(0, 16).replace('T', ' ');
  const symbols = item.symbols.length === 0 ? '(market)' : item.symbols.join(',');
  const s = item.sentiment;
  const sentiment = s === null ? 'unscored' : `${s.label} ${s.score >= 0 ? '+' : ''}${s.score.toFixed(2)}`;
  return `${time}  ${symbols.padEnd(12)}  ${sentiment.padEnd(14)}  ${item.headline}`;
}

/**
 * Runs `trm news list`; returns its exit code.
 * @throws Error when the database does not exist or the symbol is not a symbol; the store's open errors
 */
export function runNewsList(options: NewsListOptions, output: NewsOutput = processOutput): number {
  const path = options.db ?? defaultMarketDbPath();
  if (!existsSync(path)) {
    throw new Error(`no database at ${path}: import news first (trm news import FILES), or give --db`);
  }
  let symbol: string | undefined;
  if (options.symbol !== undefined) {
    const parsed = SymbolSchema.safeParse(options.symbol.trim().toUpperCase());
    if (!parsed.success)
      throw new Error(`--symbol "${options.symbol}" is not a symbol: ${parsed.error.issues[0]?.message}`);
    symbol = parsed.data;
  }
  const store = openStore(path, { onWarning: (message) => output.stderr(`trm news list: ${message}\n`) });
  try {
    const items = store.news.list({ ...(symbol !== undefined ? { symbol } : {}), limit: options.limit });
    if (options.json) {
      output.stdout(`${JSON.stringify(items)}\n`);
    } else if (items.length === 0) {
      output.stdout(
        symbol === undefined
          ? `No news in ${store.path}: import some with trm news import FILES.\n`
          : `No news naming ${symbol} in ${store.path}.\n`,
      );
    } else {
      output.stdout(`${NEWS_LIST_HEADER}\n${items.map(newsLine).join('\n')}\n`);
    }
  } finally {
    store.close();
  }
  return 0;
}

/** Items scored per model call and per transaction by `trm news score`. */
const SCORE_CHUNK = 512;

/**
 * Runs `trm news score`: scores the stored news that the sentiment model (`--model`, default the
 * shipped one) has not scored yet (unscored, or scored by another model version), newest first, and
 * writes the scores and catalyst tags (keyword rules) into the database, `SCORE_CHUNK` items per
 * transaction, so a stop keeps what was scored. Returns the exit code (1 when stopped).
 * @throws Error when the database does not exist, or the model folder is missing or broken (named).
 */
export async function runNewsScore(
  options: NewsScoreOptions,
  output: NewsOutput = processOutput,
): Promise<number> {
  const path = options.db ?? defaultMarketDbPath();
  if (!existsSync(path))
    throw new Error(`no database at ${path}: import news first (trm news import <files>)`);
  const started = performance.now();
  const { withModel } = await import('./sentiment-run');
  return withModel(options, async (model) => {
    const store = openStore(path, {
      onWarning: (message) => output.stderr(`trm news score: ${message}\n`),
    });
    const abort = new AbortController();
    const onSignal = (): void => abort.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let scored = 0;
    try {
      const version = model.info.version;
      const limit = options.limit ?? Number.POSITIVE_INFINITY;
      while (scored < limit && !abort.signal.aborted) {
        const items = store.news.unscored(version, Math.min(SCORE_CHUNK, limit - scored));
        if (items.length === 0) break;
        const sentiments = await model.score(items.map((item) => item.headline));
        store.news.setScores(
          items.map((item, i) => ({
            id: item.id,
            sentiment: sentiments[i]!,
            sentimentModel: version,
            catalysts: tagCatalysts(catalystText(item)),
          })),
        );
        scored += items.length;
        output.stderr(`scored ${count(scored)} items with ${model.info.name} ${version}\r`);
      }
      const left = store.news.unscored(version, 1).length > 0;
      const seconds = (performance.now() - started) / 1000;
      const summary = {
        database: store.path,
        model: `${model.info.name} ${version}`,
        scored,
        complete: !left,
        seconds,
      };
      output.stdout(
        options.json
          ? `${JSON.stringify(summary)}\n`
          : `\nScored ${count(scored)} news items in ${seconds.toFixed(1)} s with ${summary.model} ` +
              `(${store.path})${left ? '; some are left: run it again' : '; every stored item is scored'}.\n`,
      );
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      store.close();
    }
    return abort.signal.aborted ? 1 : 0;
  });
}
