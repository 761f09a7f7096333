/**
 * `trm order place ...` and `trm order cancel ID`: orders in the running workstation, over the same
 * contract as its window. Their options and help; order-run.ts (the contract client, zod) loads only when
 * one runs.
 */
import type { Command } from 'commander';

/** As typed: order-run.ts checks everything against the contract's OrderRequestSchema. */
export interface OrderPlaceOptions {
  symbol: string;
  side: string;
  qty: string;
  type: string;
  limitPrice?: string;
  stopPrice?: string;
  tif: string;
  clientOrderId?: string;
  db?: string;
  json?: boolean;
}

export interface OrderCancelOptions {
  db?: string;
  json?: boolean;
}

export const DB_HELP =
  'the database of the workstation to reach (default: the one running on the demo or the market database)';

export const EXIT_CODES_HELP = `
Exit codes: 0 done; 1 no workstation is running, it cannot be reached, or it failed the request;
2 malformed input (e.g. --qty 0, a limit price on a market order, or a --client-order-id already used
for a different order); 3 the risk engine refused the
order (stderr names the rule and its numbers, e.g. "max_order_notional: ...").`;

export function registerOrder(program: Command): void {
  const order = program
    .command('order')
    .description(
      'place or cancel an order in the running workstation (start it with npm start, or npx trm web)',
    );
  order
    .command('place')
    .description(
      'place an order: checked by the contract, then by the risk engine; placing again with the same ' +
        '--client-order-id never makes a second order',
    )
    .requiredOption('--symbol <symbol>', 'symbol, e.g. SPY')
    .requiredOption('--side <side>', 'buy | sell')
    .requiredOption('--qty <n>', 'shares, a whole number from 1 to 1,000,000')
    .option('--type <type>', 'market | limit | stop | stop_limit', 'market')
    .option('--limit-price <price>', 'limit and stop_limit orders: the limit price, dollars')
    .option('--stop-price <price>', 'stop and stop_limit orders: the stop price, dollars')
    .option('--tif <tif>', 'time in force: day | gtc | ioc', 'day')
    .option(
      '--client-order-id <id>',
      'your id for this order, to retry it safely (default: a new one, printed on stderr)',
    )
    .option('--db <path>', DB_HELP)
    .option('--json', 'print the result ({ order, denial }) as one JSON object on stdout')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (options: OrderPlaceOptions) => {
      const { runOrderPlace } = await import('./order-run');
      process.exitCode = await runOrderPlace(options);
    });
  order
    .command('cancel')
    .description('cancel a working order (by the id trm orders shows, or its client order id)')
    .argument('<id>', 'order id or client order id')
    .option('--db <path>', DB_HELP)
    .option('--json', 'print the order as one JSON object on stdout')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (id: string, options: OrderCancelOptions) => {
      const { runOrderCancel } = await import('./order-run');
      process.exitCode = await runOrderCancel(id, options);
    });
}
