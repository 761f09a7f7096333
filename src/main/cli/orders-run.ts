/**
 * What `trm orders` runs (loaded only then; its options are in orders.ts): orders.list of the running
 * workstation, or, with none running, the trading journal in its database read directly.
 */
import type { Order } from '../../shared/domain';
import { withWorkstation } from './engine-link';
import { withJournal } from './journal-reader';
import type { OrdersOptions } from './orders';
import { EXIT, ordersTable, processOutput, type CliOutput } from './trading-text';

function printOrders(orders: readonly Order[], options: OrdersOptions, output: CliOutput): number {
  if (options.json) output.stdout(`${JSON.stringify(orders)}\n`);
  else if (orders.length === 0)
    output.stdout(options.status === 'open' ? 'No open orders.\n' : 'No orders.\n');
  else output.stdout(ordersTable(orders));
  return EXIT.ok;
}

/** Runs `trm orders`; returns its exit code (0 listed, 1 nothing to read or a failure). */
export async function runOrders(options: OrdersOptions, output: CliOutput = processOutput): Promise<number> {
  return withWorkstation(
    'orders',
    { db: options.db },
    output,
    async ({ client }) => {
      const orders = await client.call('orders.list', { status: options.status, limit: options.limit });
      return printOrders(orders, options, output);
    },
    (databases) =>
      withJournal('orders', databases, options.account, output, (reader, account) =>
        printOrders(
          reader.orders(account, { open: options.status === 'open', limit: options.limit }),
          options,
          output,
        ),
      ),
  );
}
