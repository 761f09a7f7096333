/**
 * The trades behind a synthetic minute bar: given the bar (open, high, low, close in cents, volume), a
 * sequence of trades whose first price is the open, last the close, that touches the high and the low,
 * whose sizes sum to the volume, at distinct increasing times inside the minute. Trades come from
 * their own random stream, so asking for them never changes the bars.
 */
import type { Trade } from '../../../shared/domain';
import type { Random } from './random';

const MINUTE = 60_000;
/** No synthetic minute needs more trades than this per symbol (the typical counts are 6-25). */
export const MAX_TRADES_PER_MINUTE = 60;

/**
 * Fewest trades that can show a bar: one when it never moved, else the open and the close (first and
 * last), plus one for a high above both and one for a low below both.
 */
export function requiredTrades(open: number, high: number, low: number, close: number): number {
  const needHigh = high > Math.max(open, close) ? 1 : 0;
  const needLow = low < Math.min(open, close) ? 1 : 0;
  if (open === close && needHigh === 0 && needLow === 0) return 1;
  return 2 + needHigh + needLow;
}

export class TradeWriter {
  private readonly prices = new Float64Array(MAX_TRADES_PER_MINUTE);
  private readonly offsets = new Float64Array(MAX_TRADES_PER_MINUTE);
  private readonly weights = new Float64Array(MAX_TRADES_PER_MINUTE);

  constructor(private readonly rng: Random) {}

  /**
   * Appends the trades of one bar to `out`. Prices are in cents; `typicalCount` is the expected number
   * of trades (the result is between what the bar requires and min(volume, MAX_TRADES_PER_MINUTE)).
   * The caller guarantees volume >= requiredTrades(...) and open, close in [low, high].
   */
  write(
    symbol: string,
    minuteStart: number,
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
    typicalCount: number,
    out: Trade[],
  ): void {
    const rng = this.rng;
    const required = requiredTrades(open, high, low, close);
    const wanted = Math.round(typicalCount * Math.exp(0.25 * rng.normal() - 0.03125));
    const n = Math.max(required, Math.min(wanted, volume, MAX_TRADES_PER_MINUTE));
    const prices = this.prices;
    const offsets = this.offsets;
    const weights = this.weights;

    // Prices: anchors at the open (first), the close (last) and, where the bar needs them, the high and
    // the low at random inner positions; between anchors a noisy bridge, kept inside the bar's range.
    prices[0] = open;
    prices[n - 1] = close;
    let highAt = -1;
    let lowAt = -1;
    if (high > Math.max(open, close)) highAt = rng.int(1, n - 2);
    if (low < Math.min(open, close)) {
      do lowAt = rng.int(1, n - 2);
      while (lowAt === highAt);
    }
    if (highAt > 0) prices[highAt] = high;
    if (lowAt > 0) prices[lowAt] = low;
    const spread = (high - low) * 0.3;
    let from = 0;
    while (from < n - 1) {
      let to = from + 1;
      while (to !== n - 1 && to !== highAt && to !== lowAt) to++;
      const a = prices[from]!;
      const b = prices[to]!;
      const span = to - from;
      for (let j = from + 1; j < to; j++) {
        const f = (j - from) / span;
        const p = Math.round(a + (b - a) * f + spread * Math.sqrt(f * (1 - f)) * rng.normal());
        prices[j] = p < low ? low : p > high ? high : p;
      }
      from = to;
    }

    // Times: a Poisson-like arrival pattern (exponential gaps) scaled onto the minute, then nudged so
    // they are distinct and increasing and the last one stays inside the minute.
    let total = 0;
    for (let j = 0; j < n; j++) {
      total += rng.exponential();
      offsets[j] = total;
    }
    total += rng.exponential();
    let previous = -1;
    for (let j = 0; j < n; j++) {
      const t = Math.max(Math.floor((offsets[j]! / total) * MINUTE), previous + 1);
      offsets[j] = t;
      previous = t;
    }
    let next = MINUTE;
    for (let j = n - 1; j >= 0; j--) {
      const t = Math.min(offsets[j]!, next - 1);
      offsets[j] = t;
      next = t;
    }

    // Sizes: one lot each (100 shares when the volume allows, as on a real tape), the rest shared out
    // in whole lots in proportion to random weights; the leftover goes to the largest trade, so the
    // sizes sum exactly to the volume.
    let weightSum = 0;
    let largest = 0;
    for (let j = 0; j < n; j++) {
      const w = rng.exponential();
      weights[j] = w;
      weightSum += w;
      if (w > weights[largest]!) largest = j;
    }
    const lot = volume >= 100 * n ? 100 : 1;
    const spareLots = (volume - n * lot) / lot;
    let assigned = 0;
    for (let j = 0; j < n; j++) {
      const size = lot * (1 + Math.floor((spareLots * weights[j]!) / weightSum));
      weights[j] = size;
      assigned += size;
    }
    weights[largest] = weights[largest]! + (volume - assigned);

    for (let j = 0; j < n; j++) {
      out.push({ symbol, time: minuteStart + offsets[j]!, price: prices[j]! / 100, size: weights[j]! });
    }
  }
}
