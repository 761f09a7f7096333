/**
 * What `trm divergence` runs (loaded only then; its options are in divergence.ts): the paper account's and
 * its shadow's orders and fills, from the paper workstation running on the database (the call
 * trading.shadowExecutions: the store holds its file exclusively while it runs) or, with none running,
 * read from the journals directly; then compareExecutions and the report as text or JSON.
 */
import { PAPER_SHADOW_ACCOUNT } from '../core/trading/journal';
import type { Fill, Order } from '../../shared/domain';
import { compareExecutions, formatDivergenceReport } from '../core/trading/divergence';
import { defaultMarketDbPath } from '../platform/paths';
import type { DivergenceOptions } from './divergence';
import { withWorkstation } from './engine-link';
import { openJournalReader, JournalReadError } from './journal-reader';
import { EXIT, processOutput, utcTime, type CliOutput } from './trading-text';

/** The journal accounts compared: the paper account, and its shadow in the same (market) database. */
export const PAPER_ACCOUNT = 'alpaca-paper';
export const SHADOW_ACCOUNT = PAPER_SHADOW_ACCOUNT;

interface Side {
  orders: Order[];
  fills: Fill[];
}

/** Orders submitted at or after `since`, and the fills of those orders. */
function since(side: Side, from: number | undefined): Side {
  if (from === undefined) return side;
  const orders = side.orders.filter((o) => o.submittedAt >= from);
  const ids = new Set(orders.map((o) => o.clientOrderId));
  return { orders, fills: side.fills.filter((f) => ids.has(f.clientOrderId)) };
}

function report(
  paper: Side,
  shadow: Side,
  options: DivergenceOptions,
  where: string,
  output: CliOutput,
): number {
  const result = compareExecutions(since(shadow, options.since), since(paper, options.since));
  const hint =
    `No orders of paper mode's shadow in ${where}` +
    (options.since !== undefined ? ` since ${utcTime(options.since)}` : '') +
    ': the shadow demo broker runs only in paper mode. Trade in paper mode (the order ticket, or ' +
    '`trm order place --symbol SPY --side buy --qty 1` with the paper workstation running), then run ' +
    'trm divergence again.\n';
  if (options.json) {
    output.stdout(`${JSON.stringify(result)}\n`);
    if (result.rows.length === 0) output.stderr(hint);
  } else if (result.rows.length === 0) {
    output.stdout(hint);
  } else {
    output.stdout(`${formatDivergenceReport(result)}\n`);
  }
  return EXIT.ok;
}

/** Runs `trm divergence`; returns its exit code (0 reported, 1 nothing to read or a failure). */
export async function runDivergence(
  options: DivergenceOptions,
  output: CliOutput = processOutput,
): Promise<number> {
  const db = options.db ?? defaultMarketDbPath();
  return withWorkstation(
    'divergence',
    { db },
    output,
    async ({ client }) => {
      const { paper, shadow } = await client.call('trading.shadowExecutions', {
        ...(options.since !== undefined ? { since: options.since } : {}),
      });
      return report(paper, shadow, options, 'the running workstation', output);
    },
    () => {
      let reader;
      try {
        reader = openJournalReader(db);
      } catch (error) {
        if (!(error instanceof JournalReadError)) throw error;
        output.stderr(`trm divergence: ${error.message}\n`);
        return EXIT.failed;
      }
      if (reader === null) {
        output.stderr(
          `trm divergence: there is no database at ${db}; give the market database of paper mode with --db PATH\n`,
        );
        return EXIT.failed;
      }
      try {
        output.stderr(`no workstation is running; read the journals in ${reader.path}\n`);
        return report(
          reader.executions(PAPER_ACCOUNT),
          reader.executions(SHADOW_ACCOUNT),
          options,
          reader.path,
          output,
        );
      } finally {
        reader.close();
      }
    },
  );
}
