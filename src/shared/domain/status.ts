/**
 * Engine modes, feed life cycle and the engine status pushed to every client.
 */
import { z } from 'zod';
import { TimestampSchema } from './bars';
import { INFERENCE_PROVIDERS } from './signals';

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
  /** Bars the feed closed per second of wall time, over the last few seconds: 1-minute bars (daily bars in a daily replay). */
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
  /** The strategy model that runs (version, and the ONNX Runtime provider: CUDA or CPU), or null when none is loaded. */
  model: z.object({ version: z.string(), provider: z.enum(INFERENCE_PROVIDERS) }).nullable(),
  startedAt: TimestampSchema,
});
export type EngineStatus = z.infer<typeof EngineStatusSchema>;
