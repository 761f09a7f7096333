/** drawing-edit.ts: drawings are added, removed and cleared per symbol, and stay valid for the schema. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE, WorkspaceSchema, type Drawing } from '../../shared/domain';
import {
  MAX_DRAWINGS_PER_SYMBOL,
  addDrawing,
  clearDrawings,
  drawingsOf,
  newDrawingId,
  removeDrawing,
  replaceDrawing,
} from './drawing-edit';

const line = (id: string, price = 100): Drawing => ({ id, kind: 'horizontal', price });
const trend: Drawing = {
  id: 't1',
  kind: 'trend',
  from: { time: Date.UTC(2025, 2, 14, 14, 30), price: 500 },
  to: { time: Date.UTC(2025, 2, 14, 15, 30), price: 505.5 },
};

describe('editing a symbol’s drawings', () => {
  it('adds drawings to their symbol only, in order, and the workspace stays valid', () => {
    let w = addDrawing(DEFAULT_WORKSPACE, 'SPY', line('a'));
    w = addDrawing(w, 'SPY', trend);
    w = addDrawing(w, 'QQQ', line('b', 400));
    expect(drawingsOf(w, 'SPY').map((d) => d.id)).toEqual(['a', 't1']);
    expect(drawingsOf(w, 'QQQ').map((d) => d.id)).toEqual(['b']);
    expect(drawingsOf(w, 'TLT')).toEqual([]);
    expect(drawingsOf(w, null)).toEqual([]);
    expect(WorkspaceSchema.safeParse(w).success).toBe(true);
    expect(DEFAULT_WORKSPACE.drawings).toEqual({});
  });

  it('removes one drawing by id, and drops a symbol left with none', () => {
    let w = addDrawing(addDrawing(DEFAULT_WORKSPACE, 'SPY', line('a')), 'SPY', trend);
    w = removeDrawing(w, 'SPY', 'a');
    expect(drawingsOf(w, 'SPY')).toEqual([trend]);
    w = removeDrawing(w, 'SPY', 't1');
    expect(w.drawings).toEqual({});
    expect(removeDrawing(w, 'SPY', 'gone')).toBe(w);
  });

  it('clears a symbol’s drawings and leaves the others', () => {
    const w = addDrawing(addDrawing(DEFAULT_WORKSPACE, 'SPY', line('a')), 'QQQ', line('b'));
    const cleared = clearDrawings(w, 'SPY');
    expect(cleared.drawings).toEqual({ QQQ: [line('b')] });
    expect(clearDrawings(cleared, 'SPY')).toBe(cleared);
  });

  it('refuses a drawing past the per-symbol limit instead of making an unsavable workspace', () => {
    let w = DEFAULT_WORKSPACE;
    for (let i = 0; i < MAX_DRAWINGS_PER_SYMBOL; i++) w = addDrawing(w, 'SPY', line(`d${i}`));
    expect(WorkspaceSchema.safeParse(w).success).toBe(true);
    expect(addDrawing(w, 'SPY', line('one-more'))).toBe(w);
  });

  it('makes short ids that differ from moment to moment and draw to draw', () => {
    const id = newDrawingId(Date.UTC(2026, 0, 1), 0.999999);
    expect(id.length).toBeLessThanOrEqual(40);
    expect(newDrawingId(Date.UTC(2026, 0, 1), 0.5)).not.toBe(id);
    expect(newDrawingId(Date.UTC(2026, 0, 1) + 1, 0.999999)).not.toBe(id);
  });

  it('puts a moved drawing in its place, keeping the order and the other symbols', () => {
    let w = addDrawing(DEFAULT_WORKSPACE, 'SPY', line('a'));
    w = addDrawing(w, 'SPY', trend);
    w = addDrawing(w, 'QQQ', line('a', 400));
    const moved = replaceDrawing(w, 'SPY', line('a', 123.45));
    expect(drawingsOf(moved, 'SPY')).toEqual([line('a', 123.45), trend]);
    expect(drawingsOf(moved, 'QQQ')).toEqual([line('a', 400)]);
    expect(WorkspaceSchema.safeParse(moved).success).toBe(true);
    // A drawing no longer there (deleted meanwhile) is not brought back.
    expect(replaceDrawing(w, 'SPY', line('gone', 1))).toBe(w);
    expect(replaceDrawing(w, 'TLT', line('a', 1))).toBe(w);
  });
});
