/**
 * `trm backtest --data DIR --model DIR [--from DATE] [--to DATE] [--json] [--html FILE]`: follows a trained
 * model's picks over daily CSV files with costs, next to the baselines, in the same run and code. Features
 * warm up on data before --from. Its options and help; backtest-run.ts loads when it runs.
 */
import type { Command } from 'commander';
import { option } from './option';
import { parseDay } from './train';

export interface BacktestOptions {
  data: string;
  model: string;
  from?: string;
  to?: string;
  json?: boolean;
  html?: string;
}

export function registerBacktest(program: Command): void {
  program
    .command('backtest')
    .description("follow a model's picks over daily CSV files with costs (5 bps), next to the baselines")
    .requiredOption(
      '--data <dir>',
      'folder of daily CSV files: <ticker>.csv and vix.csv (as ../shared/data/daily)',
    )
    .requiredOption('--model <dir>', 'model folder written by "trm train" (e.g. models/trm-default)')
    .option(
      '--from <date>',
      'first decision date, YYYY-MM-DD (features warm up on earlier data)',
      option(parseDay),
    )
    .option('--to <date>', 'last decision date, YYYY-MM-DD', option(parseDay))
    .option('--json', 'print one JSON object: {"model", "baselines": {...}, "classification"}')
    .option('--html <file>', 'also write the report as a page with the equity curves')
    .action(async (options: BacktestOptions) => {
      const { runBacktest } = await import('./backtest-run');
      await runBacktest(options);
    });
}
