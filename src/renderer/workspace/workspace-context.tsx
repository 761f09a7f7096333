/**
 * The workspace control (use-workspace.ts) for any part of the window: panels, panes and overlays read
 * and change the kept workspace through `useWorkspaceControl()` instead of props passed down the tree.
 */
import { createContext, useContext } from 'react';
import type { WorkspaceControl } from './use-workspace';

const WorkspaceContext = createContext<WorkspaceControl | null>(null);

export const WorkspaceProvider = WorkspaceContext.Provider;

/** The window's workspace control; throws when used outside the WorkspaceProvider (a wiring bug). */
export function useWorkspaceControl(): WorkspaceControl {
  const control = useContext(WorkspaceContext);
  if (control === null) throw new Error('useWorkspaceControl is used outside the WorkspaceProvider');
  return control;
}
