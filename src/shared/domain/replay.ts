/**
 * Replay of stored history: its range, clock and controls.
 */
import { z } from 'zod';
import { SymbolSchema, TimestampSchema } from './bars';
import { SpeedSchema } from './status';

/**
 * What a replay plays: stored 1-minute bars (aggregated to every timeframe as they go out), or stored
 * daily bars, a session at a time (each goes out as a closed 1D bar at its session's close).
 */
export const ReplayGranularitySchema = z.enum(['1m', '1D']);
export type ReplayGranularity = z.infer<typeof ReplayGranularitySchema>;

export const ReplayStateSchema = z.object({
  /** First instant of the replayed range (the first session's open), epoch ms. */
  from: TimestampSchema,
  /** First instant after the replayed range (the last session's close), epoch ms. */
  to: TimestampSchema,
  /** The replay clock: market time the replay has reached, epoch ms; null before the first bar. */
  time: TimestampSchema.nullable(),
  playing: z.boolean(),
  speed: SpeedSchema,
  /** The whole range has been replayed. */
  finished: z.boolean(),
  symbols: z.array(SymbolSchema),
  /** Minute bars, or daily bars a session at a time. */
  granularity: ReplayGranularitySchema,
});
export type ReplayState = z.infer<typeof ReplayStateSchema>;

/**
 * What a trader can ask of a replay. `step` advances one minute of market time (one session, to its
 * close, in a daily replay) and pauses.
 */
export const ReplayCommandSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('play') }).strict(),
  z.object({ action: z.literal('pause') }).strict(),
  z.object({ action: z.literal('step') }).strict(),
  z.object({ action: z.literal('seek'), time: TimestampSchema }).strict(),
  z.object({ action: z.literal('speed'), speed: SpeedSchema }).strict(),
]);
export type ReplayCommand = z.infer<typeof ReplayCommandSchema>;
