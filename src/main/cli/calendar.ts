/**
 * `trm calendar --from DATE --to DATE [--json]`: the NYSE's trading sessions between two dates
 * inclusive. Its options and help; what it runs loads from calendar-run.ts only when it runs.
 */
import type { Command } from 'commander';

/** The longest range one call may ask for, in years (50 years is about 12,600 sessions). */
export const MAX_RANGE_YEARS = 50;

export interface CalendarOptions {
  from?: string;
  to?: string;
  json?: boolean;
}

export function registerCalendar(program: Command): void {
  program
    .command('calendar')
    .description('list the NYSE trading sessions between two dates (inclusive), with early closes')
    .option('--from <date>', 'first date, YYYY-MM-DD')
    .option('--to <date>', `last date, YYYY-MM-DD (at most ${MAX_RANGE_YEARS} years after --from)`)
    .option('--json', 'print {"sessions": [{"date", "open", "close"}]} with ISO 8601 UTC instants')
    .action(async (options: CalendarOptions) => {
      const { runCalendar } = await import('./calendar-run');
      runCalendar(options);
    });
}
