/**
 * The trader's workspace (symbol, each pane's timeframe), loaded from the engine once the link first opens
 * and saved there a while after each change (WorkspaceSaver), so a reload or a restart on the same database
 * shows the same screen. Until the engine answers the panes wait (`ready` false), so they do not first draw
 * the defaults and then jump; when it answers with nothing, an invalid value or an error, or does not answer
 * within LOAD_WAIT_MS, today's defaults are used.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { WorkspaceSchema, type Timeframe, type Workspace } from '../../shared/domain';
import { useConnection, useEngineClient } from '../engine/engine-context';
import { WorkspaceSaver, type WorkspaceSaveState } from './workspace-saver';

/** Today's screen: no symbol chosen (the window picks the model's), panes on 1m, 5m, 1h and 1D. */
export const DEFAULT_WORKSPACE: Workspace = {
  version: 1,
  symbol: null,
  timeframes: ['1m', '5m', '1h', '1D'],
  folded: {},
};

/** Wall milliseconds the panes wait for the kept workspace before drawing with the defaults. */
const LOAD_WAIT_MS = 3000;

/** loading: waiting for the engine; then the saver's state. */
export type WorkspaceStatus = 'loading' | WorkspaceSaveState;

export interface WorkspaceControl {
  workspace: Workspace;
  ready: boolean;
  status: WorkspaceStatus;
  setSymbol: (symbol: string) => void;
  setTimeframe: (slot: number, timeframe: Timeframe) => void;
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
          const parsed = WorkspaceSchema.safeParse(kept);
          finish(parsed.success ? parsed.data : null);
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
  const setTimeframe = useCallback(
    (slot: number, timeframe: Timeframe) =>
      change((w) => ({ ...w, timeframes: w.timeframes.map((t, i) => (i === slot ? timeframe : t)) })),
    [change],
  );

  return { workspace, ready, status, setSymbol, setTimeframe };
}
