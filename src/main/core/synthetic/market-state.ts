/**
 * What the demo market carries from one session to the next, as plain JSON: enough to continue a world
 * exactly where it stood, so a restarted demo keeps its regime, its volatility, its volume level, its
 * trend and its prices instead of starting calm. It is validated when read back (a stored file outlives
 * the code that wrote it).
 */
import { z } from 'zod';
import { REGIMES } from './regimes';

/** Bumped whenever the meaning of a field changes; an older state is refused rather than misread. */
export const MARKET_STATE_VERSION = 1;

const finite = z.number().finite();

export const MarketStateSchema = z
  .object({
    version: z.literal(MARKET_STATE_VERSION),
    /** Symbols in universe order: a state restores only into the same universe. */
    symbols: z.array(z.string()).min(1),
    /** The bar stream of the generator (see random.ts RandomState). */
    random: z.object({
      words: z
        .array(
          z
            .number()
            .int()
            .min(-(2 ** 31))
            .max(2 ** 31 - 1),
        )
        .length(4),
      spare: finite.nullable(),
    }),
    regime: z.enum(REGIMES),
    /** Direction of the current (or last) trend: +1 up, -1 down. */
    trendSign: z.union([z.literal(1), z.literal(-1)]),
    /** Log of the slow volatility state (0 is its long-run level). */
    volLog: finite,
    /** The market factor's log move in the last session, of which the next session gives a part back. */
    marketMove: finite,
    /** Earlier sessions' market moves, decayed, of which each session gives a little back. */
    shockMemory: finite,
    /** Per symbol: exact log price (the last close is this rounded to cents) and log volume level. */
    logPrices: z.array(finite),
    volumeLogs: z.array(finite),
    /** Last instant generated, epoch ms UTC; null before anything was generated. */
    lastTime: z.number().int().nullable(),
  })
  .refine(
    (s) => s.logPrices.length === s.symbols.length && s.volumeLogs.length === s.symbols.length,
    'a market state needs one price and one volume level per symbol',
  );

export type MarketState = z.infer<typeof MarketStateSchema>;
