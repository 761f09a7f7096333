/**
 * A pane's drawing state that its header (DrawingTools) and its chart (the drawing layer) share: the tool
 * the trader picked and the drawing selected on this pane's chart. Kept per pane, keyed by the pane's chart
 * ref (both are handed the same ref object), so the two halves need no props between them.
 */
import { createValueStore, type ValueStore } from '../engine/value-store';

/** none: the chart pans and zooms as usual; a click selects a drawing. */
export type DrawingTool = 'none' | 'horizontal' | 'trend';

export interface DrawingToolsState {
  tool: DrawingTool;
  /** The id of the drawing selected on this pane (drawn lighter; Delete removes it), or null. */
  selected: string | null;
}

export const NO_TOOL: DrawingToolsState = { tool: 'none', selected: null };

const sameState = (a: DrawingToolsState, b: DrawingToolsState) =>
  a.tool === b.tool && a.selected === b.selected;

const stores = new WeakMap<object, ValueStore<DrawingToolsState>>();

/** The drawing state of the pane whose chart ref is `pane` (made on first use, gone with the pane). */
export function drawingToolsOf(pane: object): ValueStore<DrawingToolsState> {
  let store = stores.get(pane);
  if (store === undefined) {
    store = createValueStore(NO_TOOL, sameState);
    stores.set(pane, store);
  }
  return store;
}
