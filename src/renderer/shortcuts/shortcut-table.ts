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
  | { kind: 'close' };

export interface Shortcut {
  /** KeyboardEvent.key as typed (so `?` is whatever key the layout types it with). */
  key: string;
  /** Ctrl (or ⌘ on a Mac) held; otherwise neither Ctrl, ⌘ nor Alt may be. */
  ctrl?: boolean;
  /** How the help overlay writes the key. */
  label: string;
  description: string;
  action: ShortcutAction;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { key: '?', label: '?', description: 'Show or hide these shortcuts', action: { kind: 'help' } },
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
    label: 'T',
    description: 'Switch between the dark and the light theme',
    action: { kind: 'theme' },
  },
  {
    key: 'b',
    label: 'B',
    description: 'Order ticket, buying: type the quantity, then Enter places it',
    action: { kind: 'ticket', side: 'buy' },
  },
  {
    key: 's',
    label: 'S',
    description: 'Order ticket, selling: type the quantity, then Enter places it',
    action: { kind: 'ticket', side: 'sell' },
  },
  { key: 'Escape', label: 'Esc', description: 'Close panels and this help', action: { kind: 'close' } },
];

/** What the handler needs of a key press. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** The focus is in a text field, a select or a text area (or anything editable). */
  editing: boolean;
}

/**
 * The shortcut a key press asks for, or null. While the trader types in a field only Esc counts (a `1`
 * typed into the ticket's quantity must not change a chart). Shift is not checked: `?` needs it on most
 * layouts.
 */
export function shortcutFor(press: KeyPress, table: readonly Shortcut[] = SHORTCUTS): Shortcut | null {
  if (press.editing && press.key !== 'Escape') return null;
  if (press.altKey) return null;
  const ctrl = press.ctrlKey || press.metaKey;
  return table.find((shortcut) => shortcut.key === press.key && (shortcut.ctrl === true) === ctrl) ?? null;
}
