/**
 * What `trm limits` runs (loaded only then; its options are in limits.ts): trading.status for the limits
 * in force; with limit options, trading.setLimits with those changed and the rest as they were.
 */
import type { RiskLimits, TradingStatus } from '../../shared/domain';
import { withWorkstation } from './engine-link';
import type { LimitsOptions } from './limits';
import { EXIT, dollars, formatTable, processOutput, type CliOutput } from './trading-text';

/** Each limit: its rule name, the option that sets it, and how it prints. */
const LIMITS: readonly {
  key: keyof RiskLimits;
  rule: string;
  option: string;
  text: (value: number) => string;
}[] = [
  { key: 'maxOrderNotional', rule: 'max_order_notional', option: '--max-order-notional', text: money },
  {
    key: 'maxPositionNotional',
    rule: 'max_position_notional',
    option: '--max-position-notional',
    text: money,
  },
  { key: 'maxGrossExposure', rule: 'max_gross_exposure', option: '--max-gross-exposure', text: money },
  { key: 'maxDailyLoss', rule: 'max_daily_loss', option: '--max-daily-loss', text: money },
  {
    key: 'maxOrdersPerMinute',
    rule: 'max_orders_per_minute',
    option: '--max-orders-per-minute',
    text: (n) => `${n} a minute`,
  },
  {
    key: 'priceBand',
    rule: 'price_band',
    option: '--price-band',
    text: (f) => `${Number((f * 100).toFixed(4))} %`,
  },
];

function money(value: number): string {
  return `$${dollars(value)}`;
}

/** The limits the options change, over `current`; null when no limit option was given. */
export function changedLimits(current: RiskLimits, options: LimitsOptions): RiskLimits | null {
  const next = { ...current };
  let changed = false;
  for (const { key } of LIMITS) {
    const value = options[key];
    if (value === undefined) continue;
    next[key] = value;
    changed = true;
  }
  return changed ? next : null;
}

/** The limits as a table: rule, limit, the option that sets it; `changed` rules are marked. */
export function limitsTable(limits: RiskLimits, changed: ReadonlySet<keyof RiskLimits> = new Set()): string {
  const rows = [
    ['RULE', 'LIMIT', 'SET WITH'],
    ...LIMITS.map(({ key, rule, option, text }) => [
      rule,
      text(limits[key]),
      `${option}${changed.has(key) ? '  (changed)' : ''}`,
    ]),
  ];
  return formatTable(rows, new Set([1]));
}

/** Runs `trm limits`; returns its exit code (0 done, 1 no workstation or a failure, 2 refused limits). */
export async function runLimits(options: LimitsOptions, output: CliOutput = processOutput): Promise<number> {
  return withWorkstation('limits', { db: options.db }, output, async ({ client }) => {
    const current = await client.call('trading.status', {});
    const next = changedLimits(current.limits, options);
    const status: TradingStatus = next === null ? current : await client.call('trading.setLimits', next);
    if (options.json) {
      output.stdout(`${JSON.stringify(status.limits)}\n`);
      return EXIT.ok;
    }
    const changed = new Set(
      LIMITS.filter(({ key }) => status.limits[key] !== current.limits[key]).map(({ key }) => key),
    );
    const heading =
      next === null
        ? `Risk limits in force (${status.account}):`
        : `Risk limits set (${status.account}); ${changed.size === 0 ? 'nothing changed' : `${changed.size} changed`}:`;
    output.stdout(`${heading}\n${limitsTable(status.limits, changed)}`);
    return EXIT.ok;
  });
}
