/**
 * `trm backfill`: history from Alpaca REST into the market database, resuming where an interrupted run
 * stopped. Its options and help; what it runs loads from backfill-run.ts only when it runs.
 */
import type { Command } from 'commander';
import type { HistoryTimeframe } from '../market/alpaca/history-job';
import type { BackfillOptions } from './backfill-run';
import { option, parseLoaded } from './option';
import { OptionError, parseDate } from './options';

export function parseTimeframe(text: string): HistoryTimeframe {
  if (text === '1Min' || text === '1Day') return text;
  throw new OptionError(`--timeframe must be 1Min or 1Day, not "${text}"`);
}

/** A YYYY-MM-DD date, kept as text (the job works in session dates). */
function parseDay(text: string): string {
  parseDate(text);
  return text;
}

export function registerBackfill(program: Command): void {
  program
    .command('backfill')
    .description('fetch history from Alpaca into the store (resumes where an interrupted run stopped)')
    // Checked when the command runs (parseLoaded): the symbol check loads with the Alpaca client.
    .requiredOption('--symbols <list>', 'comma-separated symbols, e.g. SPY,QQQ')
    .requiredOption('--from <date>', 'first session date, YYYY-MM-DD', option(parseDay))
    .option('--to <date>', 'last session date, YYYY-MM-DD (default: up to now)', option(parseDay))
    .option(
      '--timeframe <tf>',
      '1Min (aggregated into every timeframe) or 1Day',
      option(parseTimeframe),
      '1Min',
    )
    .option('--feed <name>', 'Alpaca feed: iex (free) or sip; default iex')
    .option('--db <path>', 'database file (default: market.sqlite in the user data folder)')
    .option('--restart', 'fetch the range again even where an earlier run finished it')
    .action(async (given: Omit<BackfillOptions, 'symbols'>, command: Command) => {
      const { runBackfill, parseSymbolList } = await import('./backfill-run');
      // Required, so commander has refused a command line without it; the parsed list replaces the text.
      const symbols = parseLoaded(command, 'symbols', parseSymbolList)!;
      await runBackfill({ ...given, symbols });
    });
}
