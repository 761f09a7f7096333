import { describe, expect, it } from 'vitest';
import { SHORTCUTS, drawingPaneSlot, shortcutFor, type KeyPress } from './shortcut-table';

const press = (key: string, more: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  editing: false,
  ...more,
});

describe('shortcutFor', () => {
  it('maps the digits 1..6 to the timeframes in order', () => {
    const picked = ['1', '2', '3', '4', '5', '6'].map((key) => shortcutFor(press(key))?.action);
    expect(picked).toEqual(
      ['1m', '5m', '15m', '1h', '4h', '1D'].map((timeframe) => ({ kind: 'timeframe', timeframe })),
    );
    expect(shortcutFor(press('7'))).toBeNull();
  });

  it('answers nothing but Esc while the trader types in a field', () => {
    expect(shortcutFor(press('4', { editing: true }))).toBeNull();
    expect(shortcutFor(press('b', { editing: true }))).toBeNull();
    expect(shortcutFor(press('B', { editing: true, shiftKey: true }))).toBeNull();
    expect(shortcutFor(press('Escape', { editing: true }))?.action).toEqual({ kind: 'close' });
  });

  it('tells Ctrl+K from k, and ignores keys with Alt or Ctrl that are not bound so', () => {
    expect(shortcutFor(press('k', { ctrlKey: true }))?.action).toEqual({ kind: 'search' });
    expect(shortcutFor(press('k', { metaKey: true }))?.action).toEqual({ kind: 'search' });
    expect(shortcutFor(press('k'))?.action).toEqual({ kind: 'type-symbol' });
    expect(shortcutFor(press('t', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(press('k', { altKey: true }))).toBeNull();
    expect(shortcutFor(press('4', { altKey: true }))).toBeNull();
    expect(shortcutFor(press('T', { shiftKey: true }))?.action).toEqual({ kind: 'theme' });
  });

  it('takes a letter without Shift (in either case: Caps Lock) as the start of a symbol', () => {
    for (const key of ['s', 'S', 'b', 'B', 't', 'T', 'n', 'K']) {
      expect(shortcutFor(press(key))?.action, key).toEqual({ kind: 'type-symbol' });
    }
    // Shift with another letter is a capital for the search too.
    expect(shortcutFor(press('N', { shiftKey: true }))?.action).toEqual({ kind: 'type-symbol' });
    expect(shortcutFor(press('n', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(press('n', { altKey: true }))).toBeNull();
  });

  it('needs Shift for the letter actions, in either case (Caps Lock with Shift types b)', () => {
    expect(shortcutFor(press('B', { shiftKey: true }))?.action).toEqual({ kind: 'ticket', side: 'buy' });
    expect(shortcutFor(press('b', { shiftKey: true }))?.action).toEqual({ kind: 'ticket', side: 'buy' });
    expect(shortcutFor(press('S', { shiftKey: true }))?.action).toEqual({ kind: 'ticket', side: 'sell' });
    expect(shortcutFor(press('t', { shiftKey: true }))?.action).toEqual({ kind: 'theme' });
  });

  it('lists Delete (the drawing layer removes the selected drawing) and keeps `/` and `,`', () => {
    expect(shortcutFor(press('Delete'))?.action).toEqual({ kind: 'delete-drawing' });
    expect(shortcutFor(press('/'))?.action).toEqual({ kind: 'search' });
    expect(shortcutFor(press(','))?.action).toEqual({ kind: 'settings' });
    expect(shortcutFor(press('?', { shiftKey: true }))?.action).toEqual({ kind: 'help' });
  });

  it('picks the drawing tools with Alt+H and Alt+T, as TradingView does', () => {
    expect(shortcutFor(press('h', { altKey: true }))?.action).toEqual({ kind: 'draw', tool: 'horizontal' });
    expect(shortcutFor(press('t', { altKey: true }))?.action).toEqual({ kind: 'draw', tool: 'trend' });
    // Caps Lock types a capital; on a Mac, Option+H types "˙" and Option+T "†": the key's place counts.
    expect(shortcutFor(press('H', { altKey: true }))?.action).toEqual({ kind: 'draw', tool: 'horizontal' });
    expect(shortcutFor(press('˙', { altKey: true, code: 'KeyH' }))?.action).toEqual({
      kind: 'draw',
      tool: 'horizontal',
    });
    expect(shortcutFor(press('†', { altKey: true, code: 'KeyT' }))?.action).toEqual({
      kind: 'draw',
      tool: 'trend',
    });
    // Without Alt they stay letters for the symbol search (and Shift+T the theme); with more keys, nothing.
    expect(shortcutFor(press('h'))?.action).toEqual({ kind: 'type-symbol' });
    expect(shortcutFor(press('T', { shiftKey: true }))?.action).toEqual({ kind: 'theme' });
    expect(shortcutFor(press('H', { altKey: true, shiftKey: true }))).toBeNull();
    expect(shortcutFor(press('h', { altKey: true, ctrlKey: true }))).toBeNull();
  });

  it('picks no drawing tool while the trader types in a field', () => {
    expect(shortcutFor(press('h', { altKey: true, editing: true }))).toBeNull();
    expect(shortcutFor(press('t', { altKey: true, editing: true }))).toBeNull();
  });

  it('binds each key once, and nothing that places an order or flips the kill switch', () => {
    const bindings = SHORTCUTS.map(
      (s) => `${s.ctrl ? 'ctrl+' : ''}${s.alt ? 'alt+' : ''}${s.shift ? 'shift+' : ''}${s.key}`,
    );
    expect(new Set(bindings).size).toBe(bindings.length);
    const kinds = new Set(SHORTCUTS.map((s) => s.action.kind));
    expect([...kinds].sort()).toEqual([
      'close',
      'delete-drawing',
      'draw',
      'help',
      'search',
      'settings',
      'theme',
      'ticket',
      'timeframe',
      'type-symbol',
    ]);
  });
});

describe('drawingPaneSlot', () => {
  const panes = (...symbols: (string | null)[]) => symbols.map((symbol) => ({ symbol }));

  it('acts on the pane under the pointer, whatever it shows', () => {
    expect(drawingPaneSlot(2, panes(null, null, 'QQQ', null))).toBe(2);
    expect(drawingPaneSlot(0, panes('QQQ', null, null, null))).toBe(0);
  });

  it('with the pointer on no pane, acts on the first pane showing the linked symbol', () => {
    expect(drawingPaneSlot(null, panes(null, null, null, null))).toBe(0);
    expect(drawingPaneSlot(null, panes('QQQ', 'TLT', null, null))).toBe(2);
    expect(drawingPaneSlot(null, panes('QQQ', 'TLT', 'GLD', 'IWM'))).toBe(0);
  });
});
