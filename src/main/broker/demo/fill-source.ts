/**
 * What the demo broker fills against: the running feed's trades and closed one-minute bars, turned into
 * the fill model's bars (core/trading/fill-model.ts), with each minute of a symbol counted once.
 *
 * What the feeds deliver (src/main/market/): the synthetic feed (demo mode) sends a minute's trades as
 * the clock passes them, then the authoritative closed 1m bar of that minute, built from the same trades;
 * the replay feed sends closed 1m bars only (a daily replay closed 1D bars only); the engine publishes
 * every timeframe's bars, forming and closed, on `market.bars` and every trade on `market.trade`.
 *
 * So: a trade is a one-price bar {start: trade.time, open = high = low = close = price, volume = size};
 * a closed 1m bar is used only for a (symbol, minute) that had no trades, so a minute is never counted
 * twice (once through its trades and again through its bar). Forming bars and other timeframes are
 * ignored: they restate what the trades and the 1m bars already said.
 *
 * Units: epoch ms UTC, dollars, shares.
 */
import type { Bar, Trade } from '../../../shared/domain';
import type { FillBar } from '../../core/trading/fill-model';

export const MINUTE_MS = 60_000;
/** How long a traded minute is remembered after a later closed bar of its symbol, ms. */
const KEEP_MS = 60 * MINUTE_MS;

/** One piece of market data to offer the working orders of `symbol`. */
export interface FillInput {
  symbol: string;
  bar: FillBar;
  /** How long `bar` lasts, ms: 0 for a trade (an instant), 60 000 for a 1m bar (day-order expiry uses it). */
  barMs: number;
  /** 'trade' or 'minute' (a closed 1m bar of a minute without trades). */
  source: 'trade' | 'minute';
}

/** The start of the UTC minute holding `time` (epoch ms). */
export function minuteOf(time: number): number {
  return Math.floor(time / MINUTE_MS) * MINUTE_MS;
}

export class FillSource {
  /** By symbol: the minutes (starts) that had trades and whose closed bar has not come yet. */
  private readonly tradedMinutes = new Map<string, Set<number>>();

  /** A trade as a one-price bar; remembers its minute so that minute's closed bar is not used too. */
  fromTrade(trade: Trade): FillInput {
    const minute = minuteOf(trade.time);
    let minutes = this.tradedMinutes.get(trade.symbol);
    if (minutes === undefined) {
      minutes = new Set();
      this.tradedMinutes.set(trade.symbol, minutes);
    }
    minutes.add(minute);
    const p = trade.price;
    return {
      symbol: trade.symbol,
      bar: { start: trade.time, open: p, high: p, low: p, close: p, volume: trade.size },
      barMs: 0,
      source: 'trade',
    };
  }

  /**
   * The closed 1m bars among `bars` whose minute had no trades of their symbol, in the given order.
   * A closed bar also ends the memory of its symbol's traded minutes more than an hour before it.
   */
  fromBars(bars: readonly Bar[]): FillInput[] {
    const out: FillInput[] = [];
    for (const bar of bars) {
      if (bar.timeframe !== '1m' || !bar.closed) continue;
      const minutes = this.tradedMinutes.get(bar.symbol);
      const traded = minutes?.has(bar.start) ?? false;
      if (minutes !== undefined) {
        // Kept an hour: a repeated or corrected bar of a traded minute is still recognised.
        for (const m of minutes) if (m < bar.start - KEEP_MS) minutes.delete(m);
      }
      if (traded) continue;
      out.push({
        symbol: bar.symbol,
        bar: {
          start: bar.start,
          open: bar.open,
          high: bar.high,
          low: bar.low,
          close: bar.close,
          volume: bar.volume,
        },
        barMs: MINUTE_MS,
        source: 'minute',
      });
    }
    return out;
  }

  /** Forgets the traded minutes (a replay rewound, or the broker restarted). */
  reset(): void {
    this.tradedMinutes.clear();
  }
}
