/**
 * Market-data calls and events: the symbols a feed serves, bars from the store, and live bar updates.
 */
import { z } from 'zod';
import { BarSchema, SymbolInfoSchema, SymbolSchema, TimeframeSchema, TimestampSchema } from '../domain';
import { NoParams } from './no-params';

export const MAX_BARS_PER_REQUEST = 5000;

export const marketRequests = {
  /** The symbols the current feed serves, in display order. */
  'market.symbols': { params: NoParams, result: z.array(SymbolInfoSchema) },
  /**
   * Bars of one symbol and timeframe from the store, oldest first: the `limit` most recent bars that
   * start before `before` (or the most recent overall). The last one may still be forming.
   */
  'market.bars': {
    params: z
      .object({
        symbol: SymbolSchema,
        timeframe: TimeframeSchema,
        before: TimestampSchema.optional(),
        limit: z.number().int().min(1).max(MAX_BARS_PER_REQUEST).default(500),
      })
      .strict(),
    result: z.array(BarSchema),
  },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

export const marketEvents = {
  /**
   * Bar updates (forming and closed, every timeframe) for the listed symbols, coalesced by the engine:
   * within one payload a bar key appears at most once, with its latest state.
   */
  'market.barsUpdated': {
    arg: z.object({ symbols: z.array(SymbolSchema).min(1).max(64) }).strict(),
    payload: z.object({ bars: z.array(BarSchema) }),
  },
} as const satisfies Record<string, { arg: z.ZodType; payload: z.ZodType }>;
