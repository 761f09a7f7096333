/**
 * Domain types of the workstation, each defined once as a runtime schema with its static type inferred
 * from it. Everything here crosses process boundaries, so every shape is validated on arrival.
 *
 * Conventions:
 * - Timestamps are integer epoch milliseconds (UTC).
 * - A bar is identified by (symbol, timeframe, start); `start` is the bucket's first instant.
 * - Prices and volumes of market data are plain numbers; money on accounts (later) is integer cents.
 */
import { z } from 'zod';

export const TIMEFRAMES = ['1m', '5m', '15m', '1h', '4h', '1D'] as const;
export const TimeframeSchema = z.enum(TIMEFRAMES);
export type Timeframe = z.infer<typeof TimeframeSchema>;

/**
 * Intraday timeframes are fixed numbers of minutes counted from the session open; `1D` is one whole
 * trading session (its length varies: early closes, 24h markets).
 */
export const INTRADAY_MINUTES = {
  '1m': 1,
  '5m': 5,
  '15m': 15,
  '1h': 60,
  '4h': 240,
} as const satisfies Record<Exclude<Timeframe, '1D'>, number>;

/** Ticker symbols: upper case, digits, '.', '-' or '/' (BRK.B, BTC/USD). */
export const SymbolSchema = z
  .string()
  .regex(/^[A-Z][A-Z0-9./-]{0,15}$/, 'symbol must be 1-16 upper-case letters, digits, ".", "-" or "/"');
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
});
export type SymbolInfo = z.infer<typeof SymbolInfoSchema>;

export const ENGINE_MODES = ['demo', 'replay', 'paper', 'live'] as const;
export const EngineModeSchema = z.enum(ENGINE_MODES);
export type EngineMode = z.infer<typeof EngineModeSchema>;

/**
 * Feed life cycle. `backfilling`: catching up on history as fast as possible; `live`: streaming at the
 * chosen pace; `closed`: market closed, waiting for the next session.
 */
export const FEED_STATES = [
  'starting',
  'backfilling',
  'live',
  'paused',
  'closed',
  'reconnecting',
  'stopped',
  'error',
] as const;
export const FeedStateSchema = z.enum(FEED_STATES);
export type FeedState = z.infer<typeof FeedStateSchema>;

export const SpeedSchema = z.union([z.number().finite().positive().max(1_000_000), z.literal('max')]);
export type Speed = z.infer<typeof SpeedSchema>;

export const EngineStatusSchema = z.object({
  mode: EngineModeSchema,
  feed: z.object({
    source: z.string(),
    state: FeedStateSchema,
    /** Human-readable detail for the current state (an error, the next open), or null. */
    message: z.string().nullable(),
  }),
  /** The feed's clock: simulated in demo and replay, exchange time when live. Null before the first event. */
  marketTime: TimestampSchema.nullable(),
  speed: SpeedSchema,
  /** 1-minute bars closed per second of wall time, over the last few seconds. */
  barsPerSecond: z.number().finite().nonnegative(),
  tradesPerSecond: z.number().finite().nonnegative(),
  /** Wall-clock milliseconds since the last trade arrived, or null before the first. */
  lastTickAgeMs: z.number().finite().nonnegative().nullable(),
  store: z.object({
    path: z.string(),
    /** Database plus write-ahead log, in bytes. */
    bytes: z.number().int().nonnegative(),
    /** Bars queued for the next write batch. */
    pendingWrites: z.number().int().nonnegative(),
  }),
  symbols: z.number().int().nonnegative(),
  startedAt: TimestampSchema,
});
export type EngineStatus = z.infer<typeof EngineStatusSchema>;
