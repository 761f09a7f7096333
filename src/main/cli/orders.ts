/**
 * `trm orders [--status open|all] [--limit N] [--db PATH] [--account NAME] [--json]`: the orders of the
 * running workstation, or, with none running, of the trading journal in its database. Options and help;
 * orders-run.ts loads only when it runs.
 */
import { Option, type Command } from 'commander';
import { option } from './option';
import { parseCount } from './options';
import { DB_HELP } from './order';

export interface OrdersOptions {
  status: 'open' | 'all';
  limit: number;
  db?: string;
  account?: string;
  json?: boolean;
}

/** The most orders one call lists (the contract's MAX_ORDERS_PER_REQUEST). */
export const MAX_LISTED_ORDERS = 2000;

export const ACCOUNT_HELP =
  "with no workstation running: the journal account to read (demo; replay:<run start>, a replay run's, " +
  'or replay for the newest run; alpaca-paper; alpaca-live; default: the only one in the database, or ' +
  'the newest replay run when there are only replay runs)';

export const OFFLINE_HELP = `
With no workstation running, reads the trading journal in the database directly (read-only) and says so
on stderr. Exit codes: 0 done; 1 nothing to read or the workstation failed the request; 2 bad options.`;

export function registerOrders(program: Command): void {
  program
    .command('orders')
    .description('list orders, newest first: the working ones, or all')
    .addOption(new Option('--status <status>', 'open | all').choices(['open', 'all']).default('open'))
    .option(
      '--limit <n>',
      `how many orders (1-${MAX_LISTED_ORDERS})`,
      option(parseCount('--limit', 1, MAX_LISTED_ORDERS)),
      200,
    )
    .option('--db <path>', DB_HELP)
    .option('--account <name>', ACCOUNT_HELP)
    .option('--json', 'print the orders as one JSON array on stdout')
    .addHelpText('after', OFFLINE_HELP)
    .action(async (options: OrdersOptions) => {
      const { runOrders } = await import('./orders-run');
      process.exitCode = await runOrders(options);
    });
}
