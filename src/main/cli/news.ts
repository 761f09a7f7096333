/**
 * `trm news import FILES... [--db PATH] [--json]` and `trm news list [--symbol S] [--limit N] [--db PATH]
 * [--json]`: recorded news files into the market database, and what it holds. Their options and help;
 * news-run.ts (the readers, the store) loads only when one runs.
 */
import type { Command } from 'commander';
import { option } from './option';
import { OptionError } from './options';

export interface NewsImportOptions {
  db?: string;
  json?: boolean;
}

export interface NewsListOptions {
  db?: string;
  json?: boolean;
  symbol?: string;
  limit: number;
}

export interface NewsScoreOptions {
  db?: string;
  json?: boolean;
  model?: string;
  limit?: number;
}

/** The most items `trm news list` prints (the news.list call's MAX_NEWS_PER_REQUEST). */
export const MAX_LISTED_NEWS = 2000;

export function parseNewsLimit(text: string): number {
  const limit = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(limit) || limit < 1 || limit > MAX_LISTED_NEWS)
    throw new OptionError(`--limit must be a whole number from 1 to ${MAX_LISTED_NEWS}, not "${text}"`);
  return limit;
}

export function registerNews(program: Command): void {
  const news = program
    .command('news')
    .description('recorded news in the market database: import files, list what is stored, score it');
  news
    .command('import')
    .description(
      'import recorded news files into the market database, unscored (a replay scores them as it plays; ' +
        'trm news score keeps scores in the database): ' +
        'company news (datetime,ticker,headline,summary; New York time), StockNet tweets ' +
        '(created_at_utc,ticker,tweet_id,text) or BBC headlines (title,pubDate,guid,link,description)',
    )
    .argument('<files...>', 'CSV files to import')
    .option('--db <path>', 'database file (default: market.sqlite in the user data folder)')
    .option('--json', 'print the report as one JSON object on stdout, and nothing else there')
    .action(async (files: string[], options: NewsImportOptions) => {
      const { runNewsImport } = await import('./news-run');
      process.exitCode = await runNewsImport(files, options);
    });
  news
    .command('list')
    .description('print stored news, newest first: time (UTC), symbols, sentiment when scored, headline')
    .option('--symbol <symbol>', 'only news naming this symbol')
    .option('--limit <n>', `how many items (1-${MAX_LISTED_NEWS})`, option(parseNewsLimit), 20)
    .option('--db <path>', 'database file (default: market.sqlite in the user data folder)')
    .option('--json', 'print the items as one JSON array on stdout')
    .action(async (options: NewsListOptions) => {
      const { runNewsList } = await import('./news-run');
      process.exitCode = runNewsList(options);
    });
  news
    .command('score')
    .description(
      'score the stored news with the sentiment model and keep the scores in the database ' +
        '(items it has not scored yet, newest first; a replay scores what it plays in its own store)',
    )
    .option('--model <dir|name>', 'sentiment model folder or registry name (default: the shipped one)')
    .option('--limit <n>', 'score at most this many items', option(parseScoreLimit))
    .option('--db <path>', 'database file (default: market.sqlite in the user data folder)')
    .option('--json', 'print the summary as one JSON object on stdout')
    .action(async (options: NewsScoreOptions) => {
      const { runNewsScore } = await import('./news-run');
      process.exitCode = await runNewsScore(options);
    });
}

function parseScoreLimit(text: string): number {
  const limit = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(limit) || limit < 1)
    throw new OptionError(`--limit must be a whole number of at least 1, not "${text}"`);
  return limit;
}
