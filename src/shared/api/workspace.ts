/**
 * The workspace (symbol, pane timeframes, folded panels), kept per database in the engine store's settings:
 * the window loads it at start and saves it when the trader changes it.
 */
import { z } from 'zod';
import { WorkspaceSchema } from '../domain';
import { NoParams } from './no-params';

export const workspaceRequests = {
  /** The kept workspace; null when none is kept (or the kept one no longer reads): use the defaults. */
  'workspace.get': { params: NoParams, result: WorkspaceSchema.nullable() },
  /** Keeps `workspace`, replacing the one kept before. */
  'workspace.set': { params: WorkspaceSchema, result: z.null() },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;
