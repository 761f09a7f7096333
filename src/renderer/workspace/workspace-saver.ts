/**
 * Saves the workspace a while after the trader's last change (debounced), so dragging through timeframes
 * or symbols sends one write, not one per step. Only the latest value is sent; a change made while a save
 * is under way is sent after it. Timers are injected so tests run without waiting.
 */
import type { Workspace } from '../../shared/domain';

/** Wall milliseconds after the last change before the workspace is saved. */
export const WORKSPACE_SAVE_DELAY_MS = 500;

/** idle: nothing to send; pending: a change waits for its save; failed: the last save did not go through. */
export type WorkspaceSaveState = 'idle' | 'pending' | 'failed';

export interface SaverTimers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const windowTimers: SaverTimers = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class WorkspaceSaver {
  private timer: unknown = null;
  private next: Workspace | null = null;
  private sending = false;

  /**
   * `save` sends one workspace (rejects when it could not); `onState` hears each change of the saver's
   * state, for the window to show (and tests to wait for).
   */
  constructor(
    private readonly save: (workspace: Workspace) => Promise<unknown>,
    private readonly onState: (state: WorkspaceSaveState) => void,
    private readonly delayMs = WORKSPACE_SAVE_DELAY_MS,
    private readonly timers: SaverTimers = windowTimers,
  ) {}

  /** Schedules `workspace` to be saved `delayMs` after the last call. */
  change(workspace: Workspace): void {
    this.next = workspace;
    this.onState('pending');
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.delayMs);
  }

  /** Drops what is scheduled (the window is going away). */
  dispose(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.next = null;
  }

  private async flush(): Promise<void> {
    if (this.sending || this.next === null) return;
    const workspace = this.next;
    this.next = null;
    this.sending = true;
    let failed = false;
    try {
      await this.save(workspace);
    } catch {
      failed = true;
    }
    this.sending = false;
    // A change made during the save: send it now (its own timer may have fired while we were busy).
    if (this.next !== null) {
      if (this.timer === null) void this.flush();
      return;
    }
    this.onState(failed ? 'failed' : 'idle');
  }
}
