/**
 * What Alpaca sends, validated on arrival (Alpaca's field names stay in this file and mapper.ts).
 * Schemas are loose about extra fields, so a new field in Alpaca's payloads never breaks parsing, and
 * strict about the ones we use.
 *
 * Sources: docs.alpaca.markets, "Historical bars" (GET /v2/stocks/bars: `bars` keyed by symbol,
 * `next_page_token`), "Market calendar" (GET /v2/calendar), "Real-time stock data" (frames b, u, d, t, q).
 * Stream frames arrive already decoded and renamed by the SDK (`streaming.StockDataStream`), so the
 * stream schemas check the SDK's objects, not Alpaca's compact keys.
 */
import { z } from 'zod';

const Finite = z.number().finite();
const IsoInstant = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'an RFC 3339 time');
const ValidDate = z.date().refine((date) => !Number.isNaN(date.getTime()), 'a valid time');

/** One bar of GET /v2/stocks/bars: t (bar start, RFC 3339), o h l c v, n (trades), vw (VWAP). */
export const AlpacaRestBarSchema = z.looseObject({
  t: IsoInstant,
  o: Finite,
  h: Finite,
  l: Finite,
  c: Finite,
  v: Finite,
  n: Finite.optional(),
  vw: Finite.optional(),
});
export type AlpacaRestBar = z.infer<typeof AlpacaRestBarSchema>;

export const AlpacaBarsPageSchema = z.looseObject({
  // Alpaca sends `"bars": null` (not {}) when nothing matched.
  bars: z.record(z.string(), z.array(AlpacaRestBarSchema).nullable()).nullable(),
  next_page_token: z.string().nullable().optional(),
});
export type AlpacaBarsPage = z.infer<typeof AlpacaBarsPageSchema>;

const HourMinute = z.string().regex(/^\d{2}:\d{2}$/, 'HH:MM');

/** One open day of GET /v2/calendar; closed days are absent. Times are New York local. */
export const AlpacaCalendarDaySchema = z.looseObject({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
  open: HourMinute,
  close: HourMinute,
});
export type AlpacaCalendarDay = z.infer<typeof AlpacaCalendarDaySchema>;
export const AlpacaCalendarSchema = z.array(AlpacaCalendarDaySchema);

/** A streamed bar (minute `b`, updated `u`, daily `d`) as the SDK hands it over. */
export const AlpacaStreamBarSchema = z.looseObject({
  symbol: z.string().min(1),
  open: Finite,
  high: Finite,
  low: Finite,
  close: Finite,
  volume: Finite,
  timestamp: ValidDate,
  vwap: Finite.optional(),
  tradeCount: Finite.optional(),
});
export type AlpacaStreamBar = z.infer<typeof AlpacaStreamBarSchema>;

export const AlpacaStreamTradeSchema = z.looseObject({
  symbol: z.string().min(1),
  price: Finite,
  size: Finite,
  timestamp: ValidDate,
});
export type AlpacaStreamTrade = z.infer<typeof AlpacaStreamTradeSchema>;

export const AlpacaStreamQuoteSchema = z.looseObject({
  symbol: z.string().min(1),
  bidPrice: Finite,
  bidSize: Finite,
  askPrice: Finite,
  askSize: Finite,
  timestamp: ValidDate,
});
export type AlpacaStreamQuote = z.infer<typeof AlpacaStreamQuoteSchema>;
