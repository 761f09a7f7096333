/**
 * What `trm positions` runs (loaded only then; its options are in positions.ts): trading.portfolio of the
 * running workstation, or, with none running, the portfolio rebuilt from the trading journal in its
 * database and marked to the last stored 1-minute closes.
 */
import type { PortfolioSnapshot, TradingStatus } from '../../shared/domain';
import { withWorkstation } from './engine-link';
import { withJournal } from './journal-reader';
import type { PositionsOptions } from './positions';
import {
  EXIT,
  accountLine,
  positionsTable,
  processOutput,
  roundedSnapshot,
  statusLine,
  utcTime,
  type CliOutput,
} from './trading-text';

function printPortfolio(
  snapshot: PortfolioSnapshot,
  options: PositionsOptions,
  output: CliOutput,
  live: boolean,
  accountKnown = true,
  status: TradingStatus | null = null,
): number {
  if (options.json) {
    output.stdout(`${JSON.stringify(roundedSnapshot(snapshot))}\n`);
    return EXIT.ok;
  }
  const held = snapshot.positions.filter((p) => p.qty !== 0 || p.realizedPnl !== 0);
  output.stdout(held.length === 0 ? 'No positions.\n' : positionsTable(held));
  if (accountKnown) output.stdout(accountLine(snapshot.account, live));
  if (status !== null) output.stdout(statusLine(status));
  if (snapshot.time > 0) {
    output.stdout(
      live
        ? `As of ${utcTime(snapshot.time)} (market time)\n`
        : `Marked to the last stored 1m closes, up to ${utcTime(snapshot.time)}\n`,
    );
  }
  return EXIT.ok;
}

/** Runs `trm positions`; returns its exit code (0 printed, 1 nothing to read or a failure). */
export async function runPositions(
  options: PositionsOptions,
  output: CliOutput = processOutput,
): Promise<number> {
  return withWorkstation(
    'positions',
    { db: options.db },
    output,
    async ({ client }) => {
      const snapshot = await client.call('trading.portfolio', {});
      const status = options.json ? null : await client.call('trading.status', {});
      return printPortfolio(snapshot, options, output, true, true, status);
    },
    (databases) =>
      withJournal('positions', databases, options.account, output, (reader, account) => {
        const { snapshot, cashKnown } = reader.portfolio(account);
        if (!cashKnown) {
          output.stderr(
            `the journal of ${account} holds no cash: the positions are those of the fills journaled here, ` +
              'and the account (cash, equity, positions opened elsewhere) needs the workstation\n',
          );
        }
        return printPortfolio(snapshot, options, output, false, cashKnown);
      }),
  );
}
