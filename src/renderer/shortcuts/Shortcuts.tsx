/**
 * The window's keyboard shortcuts (shortcut-table.ts) and their help overlay (`?` opens it, Esc or `?`
 * closes it). One keydown listener on the document; a key the focused element already handled
 * (defaultPrevented: the order ticket's own B / S / Esc) is left alone, and nothing but Esc fires while the
 * trader types in a field. A letter typed where no field has focus opens the symbol search with that
 * letter in it (TradingView's way: "NVDA⏎" typed onto the chart picks NVDA). The timeframe keys act on the
 * pane under the pointer, else the last one clicked, else the first; the drawing keys (Alt+H, Alt+T) pick a
 * tool on the pane under the pointer, else the first pane showing the linked symbol.
 */
import { useEffect, useEffectEvent, useId, useRef, useState } from 'react';
import type { OrderSide } from '../../shared/domain';
import { useWorkspaceControl } from '../workspace/workspace-context';
import type { DrawingTool } from '../drawings/drawing-tools-state';
import { SHORTCUTS, drawingPaneSlot, shortcutFor, type ShortcutAction } from './shortcut-table';

interface ShortcutsProps {
  onOpenSettings: () => void;
  /** Closes the top bar's open panel, if any. */
  onClosePanels: () => void;
}

const PANE = '[data-testid="chart-pane"][data-slot]';

/** The focus is where the trader types: a text field, a select, a text area or anything editable. */
function isEditing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  // Buttons and boxes that take no typing do not count.
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
}

/** The grid slot (0..3) of the pane an event happened in, or null outside the panes. */
function paneSlot(target: EventTarget | null): number | null {
  const pane = target instanceof Element ? target.closest<HTMLElement>(PANE) : null;
  const slot = pane ? Number(pane.dataset.slot) : Number.NaN;
  return Number.isInteger(slot) ? slot : null;
}

/** Brings the order ticket up with `side` picked and the quantity focused (places nothing). */
function focusTicket(side: OrderSide): boolean {
  const sideButton = document.querySelector<HTMLButtonElement>(`[data-testid="ticket-side-${side}"]`);
  const qty = document.querySelector<HTMLInputElement>('[data-testid="ticket-qty"]');
  if (!sideButton || !qty) return false;
  sideButton.click();
  qty.focus();
  qty.select();
  return true;
}

/**
 * Picks `tool` in the drawing tools of the pane in grid slot `slot`, as a press of its header button does
 * (nothing while the pane has no symbol; a tool already picked stays picked).
 */
function pickDrawingTool(slot: number, tool: Exclude<DrawingTool, 'none'>): void {
  const button = document.querySelector<HTMLButtonElement>(
    `[data-testid="chart-pane"][data-slot="${slot}"] [data-testid="draw-${tool}"]`,
  );
  if (button && !button.disabled && button.getAttribute('aria-pressed') !== 'true') button.click();
}

/** Focuses the symbol search (or, where there is none, the top bar's symbol picker); returns it. */
function focusSymbolSearch(): HTMLElement | null {
  const search =
    document.querySelector<HTMLElement>('[data-testid="symbol-search"]') ??
    document.querySelector<HTMLElement>('[data-testid="symbol-picker"]');
  search?.focus();
  if (search instanceof HTMLInputElement) search.select();
  return search;
}

/**
 * Opens the symbol search with `letter` typed in it. The letter is set through the input's native value
 * setter and an input event, as typing does, so the search's React state takes it; the keys typed after it
 * go to the focused search by themselves.
 */
function typeIntoSymbolSearch(letter: string): void {
  const search = focusSymbolSearch();
  if (!(search instanceof HTMLInputElement)) return;
  // React tracks the value it last set through the prototype's setter; an own-instance write would hide it.
  Reflect.set(HTMLInputElement.prototype, 'value', letter, search);
  search.dispatchEvent(new Event('input', { bubbles: true }));
}

export function Shortcuts({ onOpenSettings, onClosePanels }: ShortcutsProps) {
  const { workspace, change, setTimeframe } = useWorkspaceControl();
  const [helpOpen, setHelpOpen] = useState(false);
  const hovered = useRef<number | null>(null);
  const clicked = useRef<number | null>(null);

  const act = useEffectEvent((action: ShortcutAction, key: string): void => {
    switch (action.kind) {
      case 'help':
        setHelpOpen((open) => !open);
        return;
      case 'close':
        setHelpOpen(false);
        onClosePanels();
        return;
      case 'search':
        focusSymbolSearch();
        return;
      case 'type-symbol':
        setHelpOpen(false);
        typeIntoSymbolSearch(key);
        return;
      case 'delete-drawing':
        // The drawing layer removes the selected drawing itself.
        return;
      case 'draw':
        setHelpOpen(false);
        pickDrawingTool(drawingPaneSlot(hovered.current, workspace.panes), action.tool);
        return;
      case 'timeframe':
        setTimeframe(hovered.current ?? clicked.current ?? 0, action.timeframe);
        return;
      case 'settings':
        setHelpOpen(false);
        onOpenSettings();
        return;
      case 'theme':
        change((w) => ({ ...w, theme: w.theme === 'dark' ? 'light' : 'dark' }));
        return;
      case 'ticket':
        if (focusTicket(action.side)) return;
        // The trading panel is folded away: unfold it, and pick the side once the ticket is drawn.
        change((w) => ({ ...w, folded: { ...w.folded, trading: false } }));
        requestAnimationFrame(() => requestAnimationFrame(() => focusTicket(action.side)));
        return;
    }
  });

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.isComposing) return;
      const shortcut = shortcutFor({
        key: event.key,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        shiftKey: event.shiftKey,
        code: event.code,
        editing: isEditing(event.target),
      });
      if (shortcut === null || shortcut.action.kind === 'delete-drawing') return;
      // Esc is left to other listeners too (a panel, a menu closes with it as well).
      if (shortcut.action.kind !== 'close') event.preventDefault();
      act(shortcut.action, event.key);
    };
    const onPointerMove = (event: PointerEvent): void => {
      hovered.current = paneSlot(event.target);
    };
    const onPointerDown = (event: PointerEvent): void => {
      const slot = paneSlot(event.target);
      if (slot !== null) clicked.current = slot;
    };
    document.addEventListener('keydown', onKeyDown);
    document.addEventListener('pointermove', onPointerMove, { passive: true });
    document.addEventListener('pointerdown', onPointerDown, { passive: true });
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('pointermove', onPointerMove);
      document.removeEventListener('pointerdown', onPointerDown);
    };
  }, []);

  return helpOpen ? <ShortcutsHelp onClose={() => setHelpOpen(false)} /> : null;
}

function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const titleId = useId();
  return (
    <div className="shortcuts-layer" onClick={onClose}>
      <section
        className="shortcuts-help"
        role="dialog"
        aria-labelledby={titleId}
        data-testid="shortcuts-help"
        onClick={(event) => event.stopPropagation()}
      >
        <header className="panel-header">
          <h2 id={titleId}>Keyboard shortcuts</h2>
          <button type="button" className="panel-close" aria-label="Close the shortcuts" onClick={onClose}>
            ×
          </button>
        </header>
        <table className="shortcuts-table">
          <tbody>
            {SHORTCUTS.map((shortcut) => (
              <tr key={shortcut.label} data-testid="shortcut-row" data-key={shortcut.label}>
                <th scope="row">
                  <kbd>{shortcut.label}</kbd>
                </th>
                <td>{shortcut.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="panel-muted">
          Keys do nothing while you type in a field, except Esc. Letters are for symbols, so the one-key
          actions on letters need Shift (or Alt, for the drawing tools).
        </p>
      </section>
    </div>
  );
}
