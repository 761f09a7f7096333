/**
 * The trader's workspace: what the window shows (the symbol, each chart pane's timeframe, which panels are
 * folded), kept in the engine store's settings so a reload or a restart on the same database shows the same.
 * Strict and versioned: a stored value of another shape is ignored (the window falls back to its defaults).
 */
import { z } from 'zod';
import { SymbolSchema, TimeframeSchema } from './bars';

/** The number of chart panes in the grid (2x2). */
export const WORKSPACE_PANES = 4;

export const WorkspaceSchema = z
  .object({
    /** Bumped when the shape changes incompatibly. */
    version: z.literal(1),
    /** The chosen symbol; null: none chosen (the window picks the model's decision symbol). */
    symbol: SymbolSchema.nullable(),
    /** Each pane's timeframe, in grid order (left to right, top to bottom). */
    timeframes: z.array(TimeframeSchema).length(WORKSPACE_PANES),
    /** Which side panels are folded away (absent: unfolded). */
    folded: z
      .object({
        trading: z.boolean().optional(),
        strategy: z.boolean().optional(),
        meta: z.boolean().optional(),
        news: z.boolean().optional(),
      })
      .strict(),
  })
  .strict();
export type Workspace = z.infer<typeof WorkspaceSchema>;
