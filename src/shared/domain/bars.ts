/**
 * Market data: timeframes, symbols, bars, trades. Each type is defined once as a runtime schema with its
 * static type inferred from it; everything here crosses process boundaries and is validated on arrival.
 *
 * Conventions:
 * - Timestamps are integer epoch milliseconds (UTC).
 * - A bar is identified by (symbol, timeframe, start); `start` is the bucket's first instant.
 * - Prices and volumes of market data are plain numbers; money on accounts (later) is integer cents.
 */
import { z } from 'zod';
import { CALENDAR_IDS, SYMBOL_PATTERN, SYMBOL_RULE, TIMEFRAMES } from './timeframes';

export {
  CALENDAR_IDS,
  INTRADAY_MINUTES,
  SYMBOL_PATTERN,
  TIMEFRAMES,
  type CalendarId,
  type Timeframe,
} from './timeframes';

export const TimeframeSchema = z.enum(TIMEFRAMES);

/** Ticker symbols: upper case, digits, '.', '-' or '/' (BRK.B, BTC/USD). */
export const SymbolSchema = z.string().regex(SYMBOL_PATTERN, SYMBOL_RULE);
export type MarketSymbol = z.infer<typeof SymbolSchema>;

/** Epoch milliseconds, UTC. Bounded to years 1970..2200 to reject nonsense early. */
export const TimestampSchema = z.number().int().min(0).max(7_258_118_400_000);
export type Timestamp = z.infer<typeof TimestampSchema>;

const PriceSchema = z.number().finite().positive();
const QuantitySchema = z.number().finite().nonnegative();

export const BarSchema = z
  .object({
    symbol: SymbolSchema,
    timeframe: TimeframeSchema,
    /** First instant of the bucket. */
    start: TimestampSchema,
    open: PriceSchema,
    high: PriceSchema,
    low: PriceSchema,
    close: PriceSchema,
    volume: QuantitySchema,
    /**
     * Volume-weighted average price of the bar's trades, in dollars, where the source supplies it
     * (Alpaca's `vw`, an imported `vwap` column); absent otherwise, never made up.
     */
    vwap: PriceSchema.optional(),
    /** Number of trades in the bar where the source supplies it (Alpaca's `n`); absent otherwise. */
    tradeCount: z.number().int().nonnegative().optional(),
    /** False while the bucket is still forming; a forming bar is replaced in place until it closes. */
    closed: z.boolean(),
  })
  .refine((b) => b.low <= Math.min(b.open, b.close) && b.high >= Math.max(b.open, b.close), {
    message: 'bar must satisfy low <= open, close <= high',
  });
export type Bar = z.infer<typeof BarSchema>;

export const TradeSchema = z.object({
  symbol: SymbolSchema,
  time: TimestampSchema,
  price: PriceSchema,
  size: QuantitySchema,
});
export type Trade = z.infer<typeof TradeSchema>;

export const ASSET_KINDS = [
  'index-etf',
  'bond-etf',
  'commodity-etf',
  'sector-etf',
  'stock',
  'crypto',
] as const;
export const SymbolInfoSchema = z.object({
  symbol: SymbolSchema,
  name: z.string().min(1).max(120),
  kind: z.enum(ASSET_KINDS),
  /**
   * The symbol's session calendar (core/calendar.ts: the NYSE's, or around the clock), where it is not
   * the engine's default: a 24/7 crypto symbol among NYSE stocks.
   */
  calendar: z.enum(CALENDAR_IDS).optional(),
});
export type SymbolInfo = z.infer<typeof SymbolInfoSchema>;
