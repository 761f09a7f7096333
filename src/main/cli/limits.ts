/**
 * `trm limits [--max-order-notional N] [--max-position-notional N] [--max-gross-exposure N]
 * [--max-daily-loss N] [--max-orders-per-minute N] [--price-band F] [--db PATH] [--json]`: the risk limits
 * of the running workstation. No limit option: print the limits in force; limit options: set those, keep
 * the rest (trading.setLimits). Options and help; limits-run.ts loads only when it runs.
 */
import type { Command } from 'commander';
import { option } from './option';
import { OptionError } from './options';
import { DB_HELP } from './order';

/** The risk limits a trader may set, as parsed (dollars, orders a minute, a fraction). */
export interface LimitsOptions {
  maxOrderNotional?: number;
  maxPositionNotional?: number;
  maxGrossExposure?: number;
  maxDailyLoss?: number;
  maxOrdersPerMinute?: number;
  priceBand?: number;
  db?: string;
  json?: boolean;
}

/** The most dollars a limit may be (a typo guard: the contract takes any finite positive number). */
export const MAX_LIMIT_DOLLARS = 1e12;

/** Dollars above 0 (thousands separators and a leading $ allowed): "25000", "$25,000". */
export function parseDollars(name: string): (text: string) => number {
  return (text) => {
    const cleaned = text.trim().replace(/^\$/, '').replace(/,/g, '');
    const value = /^(\d+\.?\d*|\.\d+)$/.test(cleaned) ? Number(cleaned) : Number.NaN;
    if (!(value > 0 && value <= MAX_LIMIT_DOLLARS))
      throw new OptionError(`${name} must be dollars above 0 (e.g. 25000), not "${text}"`);
    return value;
  };
}

/** Orders a minute: a whole number from 1 to 100,000. */
export function parseOrdersPerMinute(text: string): number {
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(Number.isInteger(value) && value >= 1 && value <= 100_000))
    throw new OptionError(`--max-orders-per-minute must be a whole number from 1 to 100000, not "${text}"`);
  return value;
}

/** The price band: a fraction above 0 and at most 1 (0.1 = 10 %), or a percentage ("10%"). */
export function parsePriceBand(text: string): number {
  const trimmed = text.trim();
  const percent = trimmed.endsWith('%');
  const digits = percent ? trimmed.slice(0, -1).trim() : trimmed;
  const number = /^(\d+\.?\d*|\.\d+)$/.test(digits) ? Number(digits) : Number.NaN;
  const value = percent ? number / 100 : number;
  if (!(value > 0 && value <= 1))
    throw new OptionError(
      `--price-band must be a fraction above 0 and at most 1 (0.1 = 10 %) or a percentage (10%), not "${text}"`,
    );
  return value;
}

export function registerLimits(program: Command): void {
  program
    .command('limits')
    .description(
      'print the risk limits of the running workstation; with limit options, set those and keep the rest',
    )
    .option(
      '--max-order-notional <dollars>',
      "max_order_notional: one order's shares × price",
      option(parseDollars('--max-order-notional')),
    )
    .option(
      '--max-position-notional <dollars>',
      'max_position_notional: one symbol after the order',
      option(parseDollars('--max-position-notional')),
    )
    .option(
      '--max-gross-exposure <dollars>',
      'max_gross_exposure: all positions after the order',
      option(parseDollars('--max-gross-exposure')),
    )
    .option(
      '--max-daily-loss <dollars>',
      'max_daily_loss: past this loss in the day only orders that shrink a position pass',
      option(parseDollars('--max-daily-loss')),
    )
    .option(
      '--max-orders-per-minute <n>',
      'max_orders_per_minute: orders submitted in any 60 s',
      option(parseOrdersPerMinute),
    )
    .option(
      '--price-band <fraction>',
      'price_band: how far a limit or stop price may be from the last price (0.1 or 10%)',
      option(parsePriceBand),
    )
    .option('--db <path>', DB_HELP)
    .option('--json', 'print the limits in force as one JSON object on stdout')
    .addHelpText(
      'after',
      "\nThe limits are kept per account in the workstation's database and apply to every order at once.\n" +
        'Exit codes: 0 done; 1 no workstation is running, or it failed the request; 2 bad options.',
    )
    .action(async (options: LimitsOptions) => {
      const { runLimits } = await import('./limits-run');
      process.exitCode = await runLimits(options);
    });
}
