/**
 * The window's keyboard shortcuts: one table (key, description, action) that both the handler
 * (Shortcuts.tsx) and the help overlay read, so the help never lists a key that does nothing or misses
 * one that does. After TradingView's: digits pick a timeframe, `/` searches a symbol, `?` shows the keys,
 * Alt+H and Alt+T pick the horizontal-line and trend-line tools.
 *
 * Deliberately unbound: anything that sends an order or flips the kill switch; `b` and `s` only bring the
 * order ticket up with a side picked, the trader still types the quantity and places it.
 */
import { TIMEFRAMES, type OrderSide, type Timeframe } from '../../shared/domain';
import type { DrawingTool } from '../drawings/drawing-tools-state';

export type ShortcutAction =
  | { kind: 'help' }
  | { kind: 'search' }
  | { kind: 'timeframe'; timeframe: Timeframe }
  | { kind: 'settings' }
  | { kind: 'theme' }
  | { kind: 'ticket'; side: OrderSide }
  /** Picks a drawing tool on the pane under the pointer (drawingPaneSlot); the next click draws. */
  | { kind: 'draw'; tool: Exclude<DrawingTool, 'none'> }
  /** A letter typed where no field has focus: the symbol search opens with it typed. */
  | { kind: 'type-symbol' }
  /** Handled by the drawing layer itself (drawings/drawing-layer.ts); listed so the help shows it. */
  | { kind: 'delete-drawing' }
  | { kind: 'close' };

export interface Shortcut {
  /** KeyboardEvent.key as typed (so `?` is whatever key the layout types it with). */
  key: string;
  /** Ctrl (or ⌘ on a Mac) held; otherwise neither Ctrl nor ⌘ may be. */
  ctrl?: boolean;
  /** Alt (Option on a Mac) held; otherwise it may not be. */
  alt?: boolean;
  /**
   * For a letter key: Shift held (Shift+B), and a letter without Shift is not this shortcut. Letters
   * match in either case (Caps Lock types "B" without Shift: that is still a letter for the search).
   */
  shift?: boolean;
  /** Any letter A–Z (not bound otherwise); `key` is then only the help's name for the row. */
  anyLetter?: boolean;
  /** How the help overlay writes the key. */
  label: string;
  description: string;
  action: ShortcutAction;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { key: '?', label: '?', description: 'Show or hide these shortcuts', action: { kind: 'help' } },
  {
    key: 'A–Z',
    anyLetter: true,
    label: 'A–Z',
    description: 'Type a symbol: the symbol search opens with the letter typed; Enter picks the match',
    action: { kind: 'type-symbol' },
  },
  { key: '/', label: '/', description: 'Search a symbol', action: { kind: 'search' } },
  { key: 'k', ctrl: true, label: 'Ctrl K', description: 'Search a symbol', action: { kind: 'search' } },
  ...TIMEFRAMES.map((timeframe, index): Shortcut => ({
    key: String(index + 1),
    label: String(index + 1),
    description: `Timeframe ${timeframe} (the pane under the pointer, else the last clicked)`,
    action: { kind: 'timeframe', timeframe },
  })),
  { key: ',', label: ',', description: 'Open the settings', action: { kind: 'settings' } },
  {
    key: 't',
    shift: true,
    label: 'Shift T',
    description: 'Switch between the dark and the light theme',
    action: { kind: 'theme' },
  },
  {
    key: 'b',
    shift: true,
    label: 'Shift B',
    description: 'Order ticket, buying: type the quantity, then Enter places it',
    action: { kind: 'ticket', side: 'buy' },
  },
  {
    key: 's',
    shift: true,
    label: 'Shift S',
    description: 'Order ticket, selling: type the quantity, then Enter places it',
    action: { kind: 'ticket', side: 'sell' },
  },
  {
    key: 'h',
    alt: true,
    label: 'Alt H',
    description: 'Horizontal line on the pane under the pointer: click at its price (Esc cancels)',
    action: { kind: 'draw', tool: 'horizontal' },
  },
  {
    key: 't',
    alt: true,
    label: 'Alt T',
    description: 'Trend line on the pane under the pointer: click its start, then its end (Esc cancels)',
    action: { kind: 'draw', tool: 'trend' },
  },
  {
    key: 'Delete',
    label: 'Delete',
    description: 'Remove the selected drawing',
    action: { kind: 'delete-drawing' },
  },
  {
    key: 'Escape',
    label: 'Esc',
    description:
      'Close panels and this help; in the order ticket, clear it and leave it; while dragging a drawing, put it back',
    action: { kind: 'close' },
  },
];

/** What the handler needs of a key press. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  /** KeyboardEvent.code: the key's place, for Alt+letter where Option types another character (˙ for H). */
  code?: string;
  /** The focus is in a text field, a select or a text area (or anything editable). */
  editing: boolean;
}

/** A single letter A–Z in either case (what KeyboardEvent.key is for a letter key). */
export function isLetter(key: string): boolean {
  return /^[a-z]$/i.test(key);
}

/**
 * The shortcut a key press asks for, or null. While the trader types in a field only Esc counts (a `1`
 * typed into the ticket's quantity must not change a chart). Letters match in either case, and Shift
 * tells Shift+B (the ticket) from b or B (a letter for the symbol search); for other keys Shift is not
 * checked (`?` needs it on most layouts). Alt must be held for an Alt row and for no other, and a letter
 * with Alt is never the start of a symbol.
 */
export function shortcutFor(press: KeyPress, table: readonly Shortcut[] = SHORTCUTS): Shortcut | null {
  if (press.editing && press.key !== 'Escape') return null;
  const ctrl = press.ctrlKey || press.metaKey;
  const alt = press.altKey;
  const typed =
    alt && !isLetter(press.key) ? (/^Key([A-Z])$/.exec(press.code ?? '')?.[1] ?? press.key) : press.key;
  const letter = isLetter(typed);
  const key = letter ? typed.toLowerCase() : typed;
  const bound = table.find(
    (shortcut) =>
      !shortcut.anyLetter &&
      shortcut.key === key &&
      (shortcut.ctrl === true) === ctrl &&
      (shortcut.alt === true) === alt &&
      (!letter || ctrl || (shortcut.shift === true) === press.shiftKey),
  );
  if (bound !== undefined) return bound;
  return letter && !ctrl && !alt ? (table.find((shortcut) => shortcut.anyLetter === true) ?? null) : null;
}

/**
 * The grid slot a drawing shortcut acts on: the pane under the pointer, else the first pane that shows the
 * linked symbol (no symbol of its own), else the first pane.
 */
export function drawingPaneSlot(hovered: number | null, panes: readonly { symbol: string | null }[]): number {
  if (hovered !== null) return hovered;
  const linked = panes.findIndex((pane) => pane.symbol === null);
  return linked === -1 ? 0 : linked;
}
