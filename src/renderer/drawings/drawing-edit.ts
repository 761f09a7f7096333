/**
 * Changes to the workspace's drawings (shared/domain/workspace.ts: `drawings[symbol]`), as pure updates for
 * `useWorkspaceControl().change`. Each returns the same workspace when nothing changes, so no save follows.
 */
import type { Drawing, Workspace } from '../../shared/domain';

/** The most drawings one symbol keeps (the workspace schema's limit). */
export const MAX_DRAWINGS_PER_SYMBOL = 200;

/** The symbol's drawings, oldest first ([] when it has none). */
export function drawingsOf(workspace: Workspace, symbol: string | null): readonly Drawing[] {
  return (symbol !== null && workspace.drawings[symbol]) || [];
}

/**
 * A new drawing's id: unique within a symbol's list (time and a random part), at most 40 characters as the
 * schema asks.
 */
export function newDrawingId(now = Date.now(), random = Math.random()): string {
  return `d${now.toString(36)}${Math.floor(random * 36 ** 6).toString(36)}`;
}

/** Adds `drawing` to the symbol's drawings; unchanged when the symbol already keeps the most it may. */
export function addDrawing(workspace: Workspace, symbol: string, drawing: Drawing): Workspace {
  const list = drawingsOf(workspace, symbol);
  if (list.length >= MAX_DRAWINGS_PER_SYMBOL) return workspace;
  return { ...workspace, drawings: { ...workspace.drawings, [symbol]: [...list, drawing] } };
}

/** Removes the drawing `id` of the symbol; a symbol left with none is dropped from the record. */
export function removeDrawing(workspace: Workspace, symbol: string, id: string): Workspace {
  const list = drawingsOf(workspace, symbol);
  if (!list.some((drawing) => drawing.id === id)) return workspace;
  return withDrawings(
    workspace,
    symbol,
    list.filter((drawing) => drawing.id !== id),
  );
}

/** Puts `drawing` in place of the symbol's drawing with its id (moved or edited); unchanged when none has it. */
export function replaceDrawing(workspace: Workspace, symbol: string, drawing: Drawing): Workspace {
  const list = drawingsOf(workspace, symbol);
  const index = list.findIndex((kept) => kept.id === drawing.id);
  if (index < 0 || list[index] === drawing) return workspace;
  return withDrawings(workspace, symbol, list.with(index, drawing));
}

/** Removes all the symbol's drawings. */
export function clearDrawings(workspace: Workspace, symbol: string): Workspace {
  return symbol in workspace.drawings ? withDrawings(workspace, symbol, []) : workspace;
}

function withDrawings(workspace: Workspace, symbol: string, list: Drawing[]): Workspace {
  const drawings = { ...workspace.drawings };
  if (list.length > 0) drawings[symbol] = list;
  else delete drawings[symbol];
  return { ...workspace, drawings };
}
