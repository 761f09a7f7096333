/**
 * The trader's workspace: what the window shows, kept in the engine store's settings so a reload or a
 * restart on the same database shows the same. It holds the chosen symbol, each chart pane (timeframe, its
 * own symbol or the linked one, its indicators), the watchlist, drawings per symbol, whether the panes'
 * crosshairs are linked, the theme, and which panels are folded.
 *
 * Strict and versioned: a kept value of version 1 (symbol, four timeframes, folded flags) is read and
 * upgraded by `readWorkspace`; a value of any other shape reads as none (the window uses its defaults).
 */
import { z } from 'zod';
import { SymbolSchema, TimeframeSchema, TimestampSchema } from './bars';

/** The number of chart panes in the grid (2x2). */
export const WORKSPACE_PANES = 4;

/** A short id the window gives an indicator or a drawing, unique within its list. */
const ItemIdSchema = z.string().min(1).max(40);
const PeriodSchema = z.number().int().min(1).max(1000);
const PriceSchema = z.number().finite().positive().max(1e9);

/**
 * One indicator on a pane. SMA, EMA, Bollinger Bands (period, standard deviations) and VWAP (reset each
 * session) are drawn over the price; RSI and MACD each get a pane of their own below the volume.
 */
export const IndicatorSchema = z.discriminatedUnion('kind', [
  z.object({ id: ItemIdSchema, kind: z.literal('sma'), period: PeriodSchema }).strict(),
  z.object({ id: ItemIdSchema, kind: z.literal('ema'), period: PeriodSchema }).strict(),
  z
    .object({
      id: ItemIdSchema,
      kind: z.literal('bollinger'),
      period: PeriodSchema,
      deviations: z.number().finite().positive().max(10),
    })
    .strict(),
  z.object({ id: ItemIdSchema, kind: z.literal('vwap') }).strict(),
  z.object({ id: ItemIdSchema, kind: z.literal('rsi'), period: PeriodSchema }).strict(),
  z
    .object({
      id: ItemIdSchema,
      kind: z.literal('macd'),
      fast: PeriodSchema,
      slow: PeriodSchema,
      signal: PeriodSchema,
    })
    .strict(),
]);
export type Indicator = z.infer<typeof IndicatorSchema>;
export type IndicatorKind = Indicator['kind'];

/** A point of a drawing: a bar's start (epoch ms) and a price (dollars). */
export const DrawingPointSchema = z.object({ time: TimestampSchema, price: PriceSchema }).strict();
export type DrawingPoint = z.infer<typeof DrawingPointSchema>;

/** A drawing on a symbol's charts: a horizontal line at a price, or a trend line between two points. */
export const DrawingSchema = z.discriminatedUnion('kind', [
  z.object({ id: ItemIdSchema, kind: z.literal('horizontal'), price: PriceSchema }).strict(),
  z
    .object({ id: ItemIdSchema, kind: z.literal('trend'), from: DrawingPointSchema, to: DrawingPointSchema })
    .strict(),
]);
export type Drawing = z.infer<typeof DrawingSchema>;

/** One chart pane. */
export const PaneSchema = z
  .object({
    timeframe: TimeframeSchema,
    /** The pane's own symbol; null: the window's (linked) symbol. */
    symbol: SymbolSchema.nullable(),
    indicators: z.array(IndicatorSchema).max(12),
  })
  .strict();
export type Pane = z.infer<typeof PaneSchema>;

export const THEMES = ['dark', 'light'] as const;
export const ThemeSchema = z.enum(THEMES);
export type Theme = z.infer<typeof ThemeSchema>;

export const ModelOverlaysSchema = z
  .object({ markers: z.boolean(), shading: z.boolean(), confidence: z.boolean() })
  .strict();
export type ModelOverlays = z.infer<typeof ModelOverlaysSchema>;

const FoldedSchema = z
  .object({
    trading: z.boolean().optional(),
    strategy: z.boolean().optional(),
    meta: z.boolean().optional(),
    news: z.boolean().optional(),
    watchlist: z.boolean().optional(),
  })
  .strict();

export const WorkspaceSchema = z
  .object({
    /** Bumped when the shape changes incompatibly (readWorkspace upgrades older ones). */
    version: z.literal(2),
    /** The chosen (linked) symbol; null: none chosen (the window picks the model's decision symbol). */
    symbol: SymbolSchema.nullable(),
    /** The chart panes, in grid order (left to right, top to bottom). */
    panes: z.array(PaneSchema).length(WORKSPACE_PANES),
    /**
     * Symbols the trader watches, in their order. Absent: never set (the window lists the feed's first
     * symbols until the trader changes the list); empty: the trader emptied it.
     */
    watchlist: z.array(SymbolSchema).max(200).optional(),
    /** Drawings by symbol: every pane showing the symbol draws them. */
    drawings: z.record(SymbolSchema, z.array(DrawingSchema).max(200)),
    /** Moving the crosshair over one pane shows the same moment on the others. */
    linkCrosshair: z.boolean(),
    theme: ThemeSchema,
    /** The strategy model on the charts: prediction markers, shading by predicted strategy, confidence. */
    modelOverlays: ModelOverlaysSchema,
    /** Which side panels are folded away (absent: unfolded). */
    folded: FoldedSchema,
  })
  .strict();
export type Workspace = z.infer<typeof WorkspaceSchema>;

/** Version 1, as sessions before per-pane settings kept it. */
const WorkspaceV1Schema = z
  .object({
    version: z.literal(1),
    symbol: SymbolSchema.nullable(),
    timeframes: z.array(TimeframeSchema).length(WORKSPACE_PANES),
    folded: FoldedSchema,
  })
  .strict();

/**
 * Today's screen: no symbol chosen, panes on 1m, 5m, 1h and 1D with no indicators, no watchlist set yet
 * (the window lists the feed's first symbols), dark.
 */
export const DEFAULT_WORKSPACE: Workspace = {
  version: 2,
  symbol: null,
  panes: (['1m', '5m', '1h', '1D'] as const).map((timeframe) => ({
    timeframe,
    symbol: null,
    indicators: [],
  })),
  drawings: {},
  linkCrosshair: true,
  theme: 'dark',
  modelOverlays: { markers: true, shading: true, confidence: true },
  folded: {},
};

/** A kept value, of today's version or version 1 upgraded (its timeframes become panes on the linked symbol). */
export const KeptWorkspaceSchema = z.union([
  WorkspaceSchema,
  WorkspaceV1Schema.transform((v1): Workspace => ({
    ...DEFAULT_WORKSPACE,
    symbol: v1.symbol,
    panes: v1.timeframes.map((timeframe) => ({ timeframe, symbol: null, indicators: [] })),
    folded: v1.folded,
  })),
]);

/** A kept value as today's workspace (version 1 upgraded), or null when it has any other shape. */
export function readWorkspace(value: unknown): Workspace | null {
  const parsed = KeptWorkspaceSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
