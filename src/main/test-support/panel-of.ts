/**
 * Hand-made daily panels for tests of labels, backtests and features: closes by symbol, one per row,
 * with NaN for a missing bar. Rows are dated `dates` (YYYY-MM-DD) or consecutive weekdays from
 * 2020-01-02; each row's time is that date at 14:30 UTC (a session's open in winter), like a `1D` bar start.
 */
import { CLOCK_SYMBOL, type DailyPanel } from '../core/signals/daily-panel';
import { FEATURE_SYMBOLS } from '../core/signals/feature-registry';
import { STRATEGY_SYMBOLS } from '../core/signals/strategies';

export interface PanelSpec {
  close: Record<string, readonly number[]>;
  dates?: readonly string[];
}

export function panelOf({ close, dates }: PanelSpec): DailyPanel {
  const symbols = Object.keys(close);
  const n = close[symbols[0]!]!.length;
  for (const symbol of symbols) {
    if (close[symbol]!.length !== n)
      throw new Error(`panelOf: ${symbol} has ${close[symbol]!.length} rows, not ${n}`);
  }
  const days = dates ?? weekdaysFrom('2020-01-02', n);
  if (days.length !== n) throw new Error(`panelOf: ${days.length} dates for ${n} rows`);
  const times = Float64Array.from(days, (d) => Date.parse(`${d}T14:30:00Z`));
  const ordered = [CLOCK_SYMBOL, ...symbols.filter((s) => s !== CLOCK_SYMBOL)].filter((s) => s in close);
  return {
    times,
    symbols: ordered,
    close: new Map(ordered.map((s) => [s, Float64Array.from(close[s]!)])),
    volume: new Map(ordered.map((s) => [s, new Float64Array(n).fill(1_000_000)])),
  };
}

/** `count` consecutive Monday-to-Friday dates starting at `first` (YYYY-MM-DD). */
export function weekdaysFrom(first: string, count: number): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); out.length < count; t += 86_400_000) {
    const day = new Date(t).getUTCDay();
    if (day !== 0 && day !== 6) out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * A seeded random-walk panel holding every symbol the feature streams and the strategies read (VIX as a
 * mean-reverting level), `rows` weekdays from 2015-01-02: enough for training and backtests in tests.
 */
export function randomMarketPanel(rows: number, seed = 7): DailyPanel {
  let state = seed >>> 0 || 1;
  const uniform = (): number => {
    // xorshift32: deterministic and good enough for test prices.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
  const normal = (): number =>
    Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
  const close: Record<string, number[]> = {};
  const market: number[] = Array.from({ length: rows }, () => normal() * 0.01);
  for (const symbol of [...new Set([...FEATURE_SYMBOLS, ...STRATEGY_SYMBOLS])]) {
    const beta = symbol === 'VIX' ? 0 : ['TLT', 'IEF', 'SHY', 'GLD'].includes(symbol) ? -0.2 : 1;
    let price = 100;
    close[symbol] = market.map((m) => {
      if (symbol === 'VIX') price = Math.max(9, price + 0.1 * (18 - price) + normal() * 1.5 - m * 200);
      else price *= 1 + 0.0003 + beta * m + normal() * 0.006;
      return price;
    });
  }
  return panelOf({ close, dates: weekdaysFrom('2015-01-02', rows) });
}
