/**
 * What the demo broker fills against: the running feed's trades and closed one-minute bars, turned into
 * the fill model's bars (core/trading/fill-model.ts), with each minute of a symbol counted once.
 *
 * What the feeds deliver (src/main/market/): the synthetic feed (demo mode) sends a minute's trades as
 * the clock passes them, then the authoritative closed 1m bar of that minute, built from the same trades;
 * the replay feed sends closed 1m bars only, and a daily replay closed 1D bars only (a session's bars at
 * its close); the engine publishes every timeframe's bars, forming and closed, on `market.bars` and
 * every trade on `market.trade`.
 *
 * So: a trade is a one-price bar {start: trade.time, open = high = low = close = price, volume = size,
 * print: true} (a print: the fill model charges a market or stop order its slippage beyond the price, as
 * crossing the spread would; bars carry print: false, one object shape for the hot path);
 * a closed 1m bar is used only for a (symbol, minute) that had no trades, so a minute is never counted
 * twice (once through its trades and again through its bar); a closed 1D bar only for a symbol that has
 * had no trade and no closed 1m bar since this source started (a daily replay), since elsewhere the 1D
 * bar restates its minutes. Forming bars and other timeframes are ignored for the same reason.
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
  /**
   * How long `bar` lasts, ms: 0 for a trade (an instant), 60 000 for a 1m bar, null for a session's 1D
   * bar (it lasts until its session's close, which the broker knows). Day-order expiry uses it.
   */
  barMs: number | null;
  /** 'trade', 'minute' (a closed 1m bar of a minute without trades) or 'session' (a daily replay's 1D bar). */
  source: 'trade' | 'minute' | 'session';
}

/** The start of the UTC minute holding `time` (epoch ms). */
export function minuteOf(time: number): number {
  return Math.floor(time / MINUTE_MS) * MINUTE_MS;
}

export class FillSource {
  /** By symbol: the minutes (starts) that had trades and whose closed bar has not come yet. */
  private readonly tradedMinutes = new Map<string, Set<number>>();
  /** Symbols that have had a trade or a closed 1m bar (their 1D bars restate those). */
  private readonly minuteSymbols = new Set<string>();

  /** A trade as a one-price bar (a print); remembers its minute so that minute's closed bar is not used too. */
  fromTrade(trade: Trade): FillInput {
    const minute = minuteOf(trade.time);
    let minutes = this.tradedMinutes.get(trade.symbol);
    if (minutes === undefined) {
      minutes = new Set();
      this.tradedMinutes.set(trade.symbol, minutes);
    }
    minutes.add(minute);
    this.minuteSymbols.add(trade.symbol);
    const p = trade.price;
    return {
      symbol: trade.symbol,
      bar: { start: trade.time, open: p, high: p, low: p, close: p, volume: trade.size, print: true },
      barMs: 0,
      source: 'trade',
    };
  }

  /**
   * In the given order: the closed 1m bars among `bars` whose minute had no trades of their symbol,
   * and the closed 1D bars of symbols without minute data. A closed 1m bar also ends the memory of its
   * symbol's traded minutes more than an hour before it.
   */
  fromBars(bars: readonly Bar[]): FillInput[] {
    // Minute data in the same batch makes its symbol's 1D bar a restatement, whatever the order.
    for (const bar of bars) if (bar.timeframe === '1m' && bar.closed) this.minuteSymbols.add(bar.symbol);
    const out: FillInput[] = [];
    for (const bar of bars) {
      if (!bar.closed) continue;
      if (bar.timeframe === '1D' && !this.minuteSymbols.has(bar.symbol)) {
        out.push({ symbol: bar.symbol, bar: fillBar(bar), barMs: null, source: 'session' });
        continue;
      }
      if (bar.timeframe !== '1m') continue;
      const minutes = this.tradedMinutes.get(bar.symbol);
      const traded = minutes?.has(bar.start) ?? false;
      if (minutes !== undefined) {
        // Kept an hour: a repeated or corrected bar of a traded minute is still recognised.
        for (const m of minutes) if (m < bar.start - KEEP_MS) minutes.delete(m);
      }
      if (traded) continue;
      out.push({ symbol: bar.symbol, bar: fillBar(bar), barMs: MINUTE_MS, source: 'minute' });
    }
    return out;
  }

  /** Forgets the traded minutes and the symbols with minute data. */
  reset(): void {
    this.tradedMinutes.clear();
    this.minuteSymbols.clear();
  }
}

function fillBar(bar: Bar): FillBar {
  return {
    start: bar.start,
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
    print: false,
  };
}
