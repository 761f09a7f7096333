/**
 * News over the contract: stored news with sentiment and catalyst tags (newest first), live scored
 * items as they arrive, the state of the news sources and the sentiment model, and the meta-score with
 * its regime forecast and entry gate per symbol. Without a sentiment model news still arrives, unscored,
 * and `news.status` says why.
 */
import { z } from 'zod';
import {
  MetaScoreSchema,
  MetaWeightsSchema,
  NewsStatusSchema,
  ScoredNewsSchema,
  SymbolSchema,
  TimestampSchema,
} from '../domain';
import { NoParams } from './no-params';

export const MAX_NEWS_PER_REQUEST = 2000;

export const newsRequests = {
  /**
   * Stored news, newest first: the `limit` most recent items published before `before` (or the most
   * recent overall), only those naming `symbol` when it is given; fewer when their text would pass
   * half the message size limit (ask again with `before` for the older ones).
   */
  'news.list': {
    params: z
      .object({
        symbol: SymbolSchema.optional(),
        before: TimestampSchema.optional(),
        limit: z.number().int().min(1).max(MAX_NEWS_PER_REQUEST).default(200),
      })
      .strict(),
    result: z.array(ScoredNewsSchema),
  },
  /** The news sources, the sentiment model (or why none runs), the catalyst tagger and the stored count. */
  'news.status': { params: NoParams, result: NewsStatusSchema },
  /** The meta-score of one symbol now (its parts, the regime forecast and the entry gate). */
  'signals.meta': { params: z.object({ symbol: SymbolSchema }).strict(), result: MetaScoreSchema },
  /** Sets the meta-score's weights (kept in the settings); answers with the weights in force. */
  'signals.setMetaWeights': { params: MetaWeightsSchema, result: MetaWeightsSchema },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

export const newsEvents = {
  /**
   * Scored news items as they arrive (after they were stored), in publication order; only those naming
   * one of `symbols` when given (market-wide items always pass). Items from a backfill come in batches.
   */
  'news.items': {
    arg: z.object({ symbols: z.array(SymbolSchema).max(64).optional() }).strict(),
    payload: z.object({ items: z.array(ScoredNewsSchema) }),
  },
  /** The meta-score of one symbol each time one of its parts changes (coalesced to at most one a second). */
  'signals.metaChanged': {
    arg: z.object({ symbol: SymbolSchema }).strict(),
    payload: MetaScoreSchema,
  },
} as const satisfies Record<string, { arg: z.ZodType; payload: z.ZodType }>;
