/**
 * Market-data calls and events: the symbols a feed serves, bars from the store, and live bar updates.
 */
import { z } from 'zod';
import { BarSchema, SymbolInfoSchema, SymbolSchema, TimeframeSchema, TimestampSchema } from '../domain';
import { NoParams } from './no-params';

export const MAX_BARS_PER_REQUEST = 5000;

/** Where a symbol search found a symbol: the running feed, bars in the store, or the broker's asset list. */
export const SYMBOL_MATCH_SOURCES = ['feed', 'store', 'broker'] as const;

/** One symbol search result. */
export const SymbolMatchSchema = z
  .object({
    symbol: SymbolSchema,
    name: z.string().min(1).max(200),
    /** The best place it was found: the feed before the store before the broker. */
    source: z.enum(SYMBOL_MATCH_SOURCES),
    /** Whether the running feed serves it (live bars); false: stored history only, or nothing yet. */
    live: z.boolean(),
  })
  .strict();
export type SymbolMatch = z.infer<typeof SymbolMatchSchema>;

export const marketRequests = {
  /** The symbols the current feed serves, in display order. */
  'market.symbols': { params: NoParams, result: z.array(SymbolInfoSchema) },
  /**
   * Symbols whose symbol or name matches `query` (case-insensitive), from the feed's symbols, every symbol
   * with bars in the store and the broker's asset list (where the mode has a broker that lists assets):
   * the exact symbol first, then symbols starting with the query, then names containing it; within each,
   * the feed before the store before the broker, then shorter and alphabetical. An empty query lists
   * the feed's symbols, then the stored ones.
   */
  'market.searchSymbols': {
    params: z
      .object({ query: z.string().max(64), limit: z.number().int().min(1).max(200).default(20) })
      .strict(),
    result: z.array(SymbolMatchSchema),
  },
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
