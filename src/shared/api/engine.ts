/**
 * Engine-wide calls and events: the status every client shows.
 */
import { EngineStatusSchema } from '../domain';
import type { z } from 'zod';
import { NoParams } from './no-params';

export const engineRequests = {
  /** Current engine status (also pushed by the `engine.statusChanged` event). */
  'engine.status': { params: NoParams, result: EngineStatusSchema },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

export const engineEvents = {
  /** Engine status, pushed about once a second and on every feed state change. */
  'engine.statusChanged': { arg: NoParams, payload: EngineStatusSchema },
} as const satisfies Record<string, { arg: z.ZodType; payload: z.ZodType }>;
