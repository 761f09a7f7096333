/**
 * Whether a side panel (trading, strategy, meta, news, watchlist) is folded away: the workspace's `folded` flags, so
 * the choice is kept in the engine's store with the rest of the screen and comes back after a reload or a
 * restart on the same database.
 */
import { useCallback } from 'react';
import type { Workspace } from '../../shared/domain';
import type { WorkspaceControl } from '../workspace/use-workspace';
import { useWorkspaceControl } from '../workspace/workspace-context';

/** The panels whose folding the workspace keeps. */
export type FoldedPanel = keyof Workspace['folded'];

/** The flag of `panel` in `control`'s workspace (absent: unfolded) and a setter that saves it. */
export function useFoldedFlagOf(
  control: WorkspaceControl,
  panel: FoldedPanel,
): [boolean, (next: boolean) => void] {
  const { change } = control;
  const folded = control.workspace.folded[panel] === true;
  const setFolded = useCallback(
    (next: boolean) => change((w) => ({ ...w, folded: { ...w.folded, [panel]: next } })),
    [change, panel],
  );
  return [folded, setFolded];
}

/** As useFoldedFlagOf, for a component under the WorkspaceProvider. */
export function useFoldedFlag(panel: FoldedPanel): [boolean, (next: boolean) => void] {
  return useFoldedFlagOf(useWorkspaceControl(), panel);
}
