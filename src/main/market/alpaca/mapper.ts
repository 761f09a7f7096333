/**
 * Alpaca's bars, trades and quotes to the workstation's domain types. Every function returns null for a
 * payload that fails validation (the caller reports it), never a half-mapped object.
 *
 * - Bars are labelled by their start (a 09:31 bar holds trades from 09:31:00 to 09:31:59.999), the same
 *   convention as ours, so `t` becomes `start` floored to the minute.
 * - `vw` and `n` become `vwap` and `tradeCount`; absent or zero-volume values stay absent.
 * - A daily bar's `t` is the start of its New York calendar day; ours starts at the session open, so the
 *   day is looked up in the session calendar. A day our calendar says is closed maps to null.
 */
import { BarSchema, TradeSchema, type Bar, type Trade } from '../../../shared/domain';
import type { SessionCalendar } from '../../core/calendar';
import {
  AlpacaRestBarSchema,
  AlpacaStreamBarSchema,
  AlpacaStreamQuoteSchema,
  AlpacaStreamTradeSchema,
} from './schema';

const MINUTE = 60_000;

/** The best bid and offer of a symbol (no contract carries quotes yet; the feed keeps the latest). */
export interface Quote {
  symbol: string;
  /** Epoch ms UTC. */
  time: number;
  bidPrice: number;
  /** Shares (Alpaca reports round lots of 100 as 1 on some feeds; passed through as sent). */
  bidSize: number;
  askPrice: number;
  askSize: number;
}

interface Ohlcv {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  vwap?: number | undefined;
  tradeCount?: number | undefined;
}

function toBar(
  symbol: string,
  timeframe: Bar['timeframe'],
  start: number,
  v: Ohlcv,
  closed: boolean,
): Bar | null {
  const bar: Bar = {
    symbol,
    timeframe,
    start,
    open: v.open,
    high: v.high,
    low: v.low,
    close: v.close,
    volume: v.volume,
    closed,
  };
  if (v.vwap !== undefined && v.vwap > 0) bar.vwap = v.vwap;
  if (v.tradeCount !== undefined && Number.isInteger(v.tradeCount) && v.tradeCount >= 0) {
    bar.tradeCount = v.tradeCount;
  }
  return BarSchema.safeParse(bar).success ? bar : null;
}

/** A closed 1-minute bar from the stream (`b` or `u`), or null if malformed. */
export function minuteBarFromStream(payload: unknown): Bar | null {
  const parsed = AlpacaStreamBarSchema.safeParse(payload);
  if (!parsed.success) return null;
  const b = parsed.data;
  const t = b.timestamp.getTime();
  return toBar(b.symbol, '1m', t - (((t % MINUTE) + MINUTE) % MINUTE), b, true);
}

/** A closed 1-minute bar from GET /v2/stocks/bars, or null if malformed. */
export function minuteBarFromRest(symbol: string, payload: unknown): Bar | null {
  const parsed = AlpacaRestBarSchema.safeParse(payload);
  if (!parsed.success) return null;
  const b = parsed.data;
  const t = Date.parse(b.t);
  return toBar(
    symbol,
    '1m',
    t - (((t % MINUTE) + MINUTE) % MINUTE),
    { open: b.o, high: b.h, low: b.l, close: b.c, volume: b.v, vwap: b.vw, tradeCount: b.n },
    true,
  );
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (YYYY-MM-DD) of instant `t` in `timeZone`. */
export function localDate(t: number, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    // en-CA formats dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  return format.format(new Date(t));
}

function dailyBar(symbol: string, t: number, v: Ohlcv, calendar: SessionCalendar, now: number): Bar | null {
  const session = calendar.sessionOn(localDate(t, calendar.timeZone));
  if (!session) return null;
  // Alpaca keeps updating a day's bar until shortly after the close; final once the session ended.
  return toBar(symbol, '1D', session.open, v, now >= session.close);
}

/** An official daily bar from the stream (`d`), started at its session's open; null if malformed. */
export function dailyBarFromStream(payload: unknown, calendar: SessionCalendar, now: number): Bar | null {
  const parsed = AlpacaStreamBarSchema.safeParse(payload);
  if (!parsed.success) return null;
  const b = parsed.data;
  return dailyBar(b.symbol, b.timestamp.getTime(), b, calendar, now);
}

/** An official daily bar from GET /v2/stocks/bars?timeframe=1Day; null if malformed. */
export function dailyBarFromRest(
  symbol: string,
  payload: unknown,
  calendar: SessionCalendar,
  now: number,
): Bar | null {
  const parsed = AlpacaRestBarSchema.safeParse(payload);
  if (!parsed.success) return null;
  const b = parsed.data;
  return dailyBar(
    symbol,
    Date.parse(b.t),
    { open: b.o, high: b.h, low: b.l, close: b.c, volume: b.v, vwap: b.vw, tradeCount: b.n },
    calendar,
    now,
  );
}

/** A trade from the stream (`t`), or null if malformed. */
export function tradeFromStream(payload: unknown): Trade | null {
  const parsed = AlpacaStreamTradeSchema.safeParse(payload);
  if (!parsed.success) return null;
  const t = parsed.data;
  const trade: Trade = { symbol: t.symbol, time: t.timestamp.getTime(), price: t.price, size: t.size };
  return TradeSchema.safeParse(trade).success ? trade : null;
}

/** A quote from the stream (`q`), or null if malformed. */
export function quoteFromStream(payload: unknown): Quote | null {
  const parsed = AlpacaStreamQuoteSchema.safeParse(payload);
  if (!parsed.success) return null;
  const q = parsed.data;
  return {
    symbol: q.symbol,
    time: q.timestamp.getTime(),
    bidPrice: q.bidPrice,
    bidSize: q.bidSize,
    askPrice: q.askPrice,
    askSize: q.askSize,
  };
}
