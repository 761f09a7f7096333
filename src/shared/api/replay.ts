/**
 * Replay controls. In other modes the calls fail with a message that says to start with --mode replay.
 */
import type { z } from 'zod';
import { ReplayCommandSchema, ReplayStateSchema } from '../domain';
import { NoParams } from './no-params';

export const replayRequests = {
  'replay.state': { params: NoParams, result: ReplayStateSchema },
  /** Play, pause, step one minute, seek to a time, or change speed; answers the state after it. */
  'replay.control': { params: ReplayCommandSchema, result: ReplayStateSchema },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

export const replayEvents = {
  /** The replay's state on every change (play, pause, seek, speed, finish) and about once a second. */
  'replay.stateChanged': { arg: NoParams, payload: ReplayStateSchema },
} as const satisfies Record<string, { arg: z.ZodType; payload: z.ZodType }>;
