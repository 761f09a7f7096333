/**
 * The trader's workspace (shared/domain/workspace.ts: symbol, panes, watchlist, drawings, theme, folded
 * panels), loaded from the engine once the link first opens
 * and saved there a while after each change (WorkspaceSaver), so a reload or a restart on the same database
 * shows the same screen. Until the engine answers the panes wait (`ready` false), so they do not first draw
 * the defaults and then jump; when it answers with nothing, an invalid value or an error, or does not answer
 * within LOAD_WAIT_MS, today's defaults are used.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  DEFAULT_WORKSPACE,
  readWorkspace,
  type Pane,
  type Timeframe,
  type Workspace,
} from '../../shared/domain';
import { useConnection, useEngineClient } from '../engine/engine-context';
import { WorkspaceSaver, type WorkspaceSaveState } from './workspace-saver';

/** Wall milliseconds the panes wait for the kept workspace before drawing with the defaults. */
const LOAD_WAIT_MS = 3000;

/** loading: waiting for the engine; then the saver's state. */
export type WorkspaceStatus = 'loading' | WorkspaceSaveState;

export interface WorkspaceControl {
  workspace: Workspace;
  ready: boolean;
  status: WorkspaceStatus;
  /** Applies `update` to the workspace and saves the result (debounced). */
  change: (update: (previous: Workspace) => Workspace) => void;
  setSymbol: (symbol: string) => void;
  setTimeframe: (slot: number, timeframe: Timeframe) => void;
  /** Changes pane `slot` (0..3) with `update`. */
  setPane: (slot: number, update: (previous: Pane) => Pane) => void;
}

export function useWorkspace(): WorkspaceControl {
  const client = useEngineClient();
  const { linkEpoch } = useConnection();
  const [workspace, setWorkspace] = useState<Workspace>(DEFAULT_WORKSPACE);
  const workspaceRef = useRef(workspace);
  const [status, setStatus] = useState<WorkspaceStatus>('loading');
  const ready = status !== 'loading';
  // Set once loaded, or once the trader changed something (then a late answer must not undo the change).
  const settledRef = useRef(false);
  const [saver] = useState(() => new WorkspaceSaver((w) => client.call('workspace.set', w), setStatus));
  useEffect(() => () => saver.dispose(), [saver]);

  // Load once per page: the first time the link opens (or give up waiting).
  const opened = linkEpoch > 0;
  useEffect(() => {
    let done = false;
    const finish = (kept: Workspace | null) => {
      if (done || settledRef.current) return;
      done = true;
      settledRef.current = true;
      if (kept) {
        workspaceRef.current = kept;
        setWorkspace(kept);
      }
      setStatus('idle');
    };
    const wait = setTimeout(() => finish(null), LOAD_WAIT_MS);
    if (opened)
      client.call('workspace.get', {}).then(
        (kept) => {
          // Checked again: the kept value outlives the code that wrote it.
          finish(readWorkspace(kept));
        },
        () => finish(null),
      );
    return () => {
      done = true;
      clearTimeout(wait);
    };
  }, [client, opened]);

  const change = useCallback(
    (update: (previous: Workspace) => Workspace) => {
      // From a ref, not inside a state updater: updaters may run twice (StrictMode); the save must not.
      settledRef.current = true;
      const next = update(workspaceRef.current);
      workspaceRef.current = next;
      setWorkspace(next);
      saver.change(next);
    },
    [saver],
  );
  const setSymbol = useCallback((symbol: string) => change((w) => ({ ...w, symbol })), [change]);
  const setPane = useCallback(
    (slot: number, update: (previous: Pane) => Pane) =>
      change((w) => ({ ...w, panes: w.panes.map((pane, i) => (i === slot ? update(pane) : pane)) })),
    [change],
  );
  const setTimeframe = useCallback(
    (slot: number, timeframe: Timeframe) => setPane(slot, (pane) => ({ ...pane, timeframe })),
    [setPane],
  );

  return { workspace, ready, status, change, setSymbol, setTimeframe, setPane };
}
