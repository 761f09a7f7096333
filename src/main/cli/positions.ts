/**
 * `trm positions [--db PATH] [--account NAME] [--json]`: positions and the account of the running
 * workstation, or, with none running, from the trading journal in its database marked to the last stored
 * 1-minute closes. Options and help; positions-run.ts loads only when it runs.
 */
import type { Command } from 'commander';
import { DB_HELP } from './order';
import { ACCOUNT_HELP, OFFLINE_HELP } from './orders';

export interface PositionsOptions {
  db?: string;
  account?: string;
  json?: boolean;
}

export function registerPositions(program: Command): void {
  program
    .command('positions')
    .description(
      'print positions with their P&L, the account (cash, equity, exposure, P&L) and, from a running ' +
        'workstation, the trading state (active, reducing, halted) and its reason',
    )
    .option('--db <path>', DB_HELP)
    .option('--account <name>', ACCOUNT_HELP)
    .option(
      '--json',
      'print the portfolio ({ time, account, positions }; money in cents) as one JSON object on stdout',
    )
    .addHelpText('after', OFFLINE_HELP)
    .action(async (options: PositionsOptions) => {
      const { runPositions } = await import('./positions-run');
      process.exitCode = await runPositions(options);
    });
}
