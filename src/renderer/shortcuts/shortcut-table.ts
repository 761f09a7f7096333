/**
 * The window's keyboard shortcuts: one table (key, description, action) that both the handler
 * (Shortcuts.tsx) and the help overlay read, so the help never lists a key that does nothing or misses
 * one that does. After TradingView's: digits pick a timeframe, `/` searches a symbol, `?` shows the keys.
 *
 * Deliberately unbound: anything that sends an order or flips the kill switch; `b` and `s` only bring the
 * order ticket up with a side picked, the trader still types the quantity and places it.
 */
import { TIMEFRAMES, type OrderSide, type Timeframe } from '../../shared/domain';

export type ShortcutAction =
  | { kind: 'help' }
  | { kind: 'search' }
  | { kind: 'timeframe'; timeframe: Timeframe }
  | { kind: 'settings' }
  | { kind: 'theme' }
  | { kind: 'ticket'; side: OrderSide }
  /** A letter typed where no field has focus: the symbol search opens with it typed. */
  | { kind: 'type-symbol' }
  /** Handled by the drawing layer itself (drawings/drawing-layer.ts); listed so the help shows it. */
  | { kind: 'delete-drawing' }
  | { kind: 'close' };

export interface Shortcut {
  /** KeyboardEvent.key as typed (so `?` is whatever key the layout types it with). */
  key: string;
  /** Ctrl (or ⌘ on a Mac) held; otherwise neither Ctrl, ⌘ nor Alt may be. */
  ctrl?: boolean;
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
    key: 'Delete',
    label: 'Delete',
    description: 'Remove the selected drawing',
    action: { kind: 'delete-drawing' },
  },
  { key: 'Escape', label: 'Esc', description: 'Close panels and this help', action: { kind: 'close' } },
];

/** What the handler needs of a key press. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
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
 * checked (`?` needs it on most layouts).
 */
export function shortcutFor(press: KeyPress, table: readonly Shortcut[] = SHORTCUTS): Shortcut | null {
  if (press.editing && press.key !== 'Escape') return null;
  if (press.altKey) return null;
  const ctrl = press.ctrlKey || press.metaKey;
  const letter = isLetter(press.key);
  const key = letter ? press.key.toLowerCase() : press.key;
  const bound = table.find(
    (shortcut) =>
      !shortcut.anyLetter &&
      shortcut.key === key &&
      (shortcut.ctrl === true) === ctrl &&
      (!letter || ctrl || (shortcut.shift === true) === press.shiftKey),
  );
  if (bound !== undefined) return bound;
  return letter && !ctrl ? (table.find((shortcut) => shortcut.anyLetter === true) ?? null) : null;
}
