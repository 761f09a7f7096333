/**
 * Numbers of the strategy views as a trader reads them. Every function returns '—' for a value that is
 * missing (null) or not finite, never 'NaN'.
 */
import type { PerformanceMetrics } from '../../shared/domain';
import { exchangeParts } from '../time/exchange-time';

export const MISSING = '—';

const finite = (value: number | null | undefined): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** A share 0..1 as a percentage: 0.372 → "37.2 %". */
export function formatPercent(share: number | null | undefined, digits = 1): string {
  return finite(share) ? `${(share * 100).toFixed(digits)} %` : MISSING;
}

/** A z-score with its sign: 1.234 → "+1.23", −0.5 → "−0.50". */
export function formatZ(z: number | null | undefined): string {
  if (!finite(z)) return MISSING;
  const size = Math.abs(z).toFixed(2);
  return size === '0.00' ? size : `${z > 0 ? '+' : '−'}${size}`;
}

/** A change of probability in percentage points: 0.042 → "+4.2 pp". */
export function formatPoints(delta: number | null | undefined): string {
  if (!finite(delta)) return MISSING;
  const points = Math.abs(delta * 100).toFixed(1);
  return points === '0.0' ? '0.0 pp' : `${delta > 0 ? '+' : '−'}${points} pp`;
}

/** A feature's raw value in its unit: up to 4 significant digits, the unit after it ("%" attached). */
export function formatValue(value: number | null | undefined, unit: string): string {
  if (!finite(value)) return MISSING;
  const magnitude = Math.abs(value);
  const text =
    magnitude === 0
      ? '0'
      : magnitude >= 1000
        ? value.toLocaleString('en-US', { maximumFractionDigits: 0 })
        : value
            .toPrecision(4)
            .replace(/(\.\d*?)0+$/, '$1')
            .replace(/\.$/, '');
  if (unit === '' || unit === '1') return text;
  return unit === '%' ? `${text} %` : `${text} ${unit}`;
}

export type MetricKey = keyof PerformanceMetrics;

/** The metrics in table order, with headers and what each measures (shared/domain/signals.ts). */
export const METRIC_COLUMNS: readonly { key: MetricKey; header: string; title: string }[] = [
  { key: 'cagr', header: 'CAGR', title: 'Compound annual growth rate' },
  { key: 'vol', header: 'Vol', title: 'Annualised volatility of daily returns' },
  { key: 'sharpe', header: 'Sharpe', title: 'Annualised mean / sd of daily returns (risk-free rate 0)' },
  { key: 'sortino', header: 'Sortino', title: 'Annualised mean / downside deviation of daily returns' },
  { key: 'max_drawdown', header: 'Max DD', title: 'Largest peak-to-trough fall of the equity curve' },
  {
    key: 'turnover',
    header: 'Turn.',
    title:
      'Mean annual turnover: the sum of |Δweight| over the year’s rebalances (1.00 = the whole portfolio once)',
  },
];

/** One performance metric: fractions as percentages (drawdown as a fall), ratios with two decimals. */
export function formatMetric(key: MetricKey, value: number | null | undefined): string {
  if (!finite(value)) return MISSING;
  switch (key) {
    case 'cagr':
    case 'vol':
      return formatPercent(value);
    case 'max_drawdown':
      return value === 0 ? '0.0 %' : `−${formatPercent(Math.abs(value))}`;
    case 'sharpe':
    case 'sortino':
    case 'turnover':
      return value.toFixed(2);
  }
}

/** Time left, rounded as a person says it: "12 s", "3 min", "1 h 05 min". */
export function formatEta(ms: number | null | undefined): string {
  if (!finite(ms) || ms < 0) return MISSING;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** A decision bar by its session date in New York: "Fri 14 Mar 2025". */
export function formatDecisionDate(barStart: number): string {
  const p = exchangeParts(barStart);
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** A decision bar's session date as YYYY-MM-DD (New York), for compact lists and date fields. */
export function isoSessionDate(barStart: number): string {
  const p = exchangeParts(barStart);
  const month = MONTHS.indexOf(p.month) + 1;
  return `${p.year}-${String(month).padStart(2, '0')}-${p.day.padStart(2, '0')}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
