/**
 * Settings the renderer may change. Broker keys go in and never come back out: the status says only
 * whether they are set, where from, and how they are kept.
 */
import type { z } from 'zod';
import { AlpacaKeysSchema, KeysStatusSchema } from '../domain';
import { NoParams } from './no-params';

export const settingsRequests = {
  'settings.keysStatus': { params: NoParams, result: KeysStatusSchema },
  /** Saves Alpaca keys (encrypted at rest) for paper and live modes; they take effect on the next start. */
  'settings.saveKeys': { params: AlpacaKeysSchema, result: KeysStatusSchema },
  'settings.clearKeys': { params: NoParams, result: KeysStatusSchema },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;
