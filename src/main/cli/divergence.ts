/**
 * `trm divergence [--db PATH] [--since ISO] [--json]`: the demo-versus-paper divergence report. Paper mode
 * runs every order it places at Alpaca also through a shadow demo broker (journal account
 * 'alpaca-paper-shadow'); this compares the two order by order (core/trading/divergence.ts). Options and
 * help; divergence-run.ts loads only when it runs.
 */
import type { Command } from 'commander';
import { option } from './option';
import { OptionError } from './options';

export interface DivergenceOptions {
  db?: string;
  /** Epoch ms: only orders submitted at or after it. */
  since?: number;
  json?: boolean;
}

/** An ISO 8601 date or date-time as epoch ms; a date alone means midnight UTC. */
export function parseSince(text: string): number {
  const value = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(value)) {
    throw new OptionError(
      `--since must be an ISO date or date-time such as 2025-03-14 or 2025-03-14T15:00:00Z, not "${text}"`,
    );
  }
  return value;
}

const HELP = `
Matches the paper account's orders with the shadow demo broker's by client order id and prints, per order,
both fills (shares filled / ordered @ average price), the demo's price edge over paper in basis points
(positive: the demo filled better for the trader), the demo's first-fill delay after paper and the number
of fills on each side, then a summary. The shadow runs only in paper mode (never live).

With a paper workstation running on the database, asks it; else reads the journals in the database
directly (read-only). Exit codes: 0 done (also with no orders to compare); 1 nothing to read, or the
workstation failed the request; 2 bad options.`;

export function registerDivergence(program: Command): void {
  program
    .command('divergence')
    .description(
      "compare paper mode's orders with the demo broker's fills of the same orders (fill model check)",
    )
    .option('--db <path>', "the market database holding the paper journals (default: the data folder's)")
    .option(
      '--since <iso>',
      'only orders submitted at or after this date or date-time (UTC)',
      option(parseSince),
    )
    .option('--json', 'print the report ({ rows, summary }) as one JSON object on stdout')
    .addHelpText('after', HELP)
    .action(async (options: DivergenceOptions) => {
      const { runDivergence } = await import('./divergence-run');
      process.exitCode = await runDivergence(options);
    });
}
