import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE, type Workspace } from '../../shared/domain';
import { WorkspaceSaver, type SaverTimers, type WorkspaceSaveState } from './workspace-saver';

class ManualTimers implements SaverTimers {
  private pending = new Map<number, () => void>();
  private id = 0;
  setTimeout(run: () => void): unknown {
    this.pending.set(++this.id, run);
    return this.id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  fire(): void {
    const runs = [...this.pending.values()];
    this.pending.clear();
    runs.forEach((run) => run());
  }
}

const workspace = (symbol: string): Workspace => ({ ...DEFAULT_WORKSPACE, symbol });

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('WorkspaceSaver', () => {
  it('sends only the last of quick changes, once the delay has passed', async () => {
    const timers = new ManualTimers();
    const sent: Workspace[] = [];
    const states: WorkspaceSaveState[] = [];
    const saver = new WorkspaceSaver(
      (w) => (sent.push(w), Promise.resolve()),
      (s) => states.push(s),
      500,
      timers,
    );
    saver.change(workspace('SPY'));
    saver.change(workspace('QQQ'));
    saver.change(workspace('IWM'));
    expect(sent).toEqual([]);
    timers.fire();
    await settle();
    expect(sent.map((w) => w.symbol)).toEqual(['IWM']);
    expect(states.at(-1)).toBe('idle');
  });

  it('sends a change made during a save after it, and says when a save failed', async () => {
    const timers = new ManualTimers();
    const sent: string[] = [];
    let finish: (ok: boolean) => void = () => {};
    const states: WorkspaceSaveState[] = [];
    const saver = new WorkspaceSaver(
      (w) =>
        new Promise((resolve, reject) => {
          sent.push(w.symbol ?? '');
          finish = (ok) => (ok ? resolve(null) : reject(new Error('link down')));
        }),
      (s) => states.push(s),
      500,
      timers,
    );
    saver.change(workspace('SPY'));
    timers.fire();
    saver.change(workspace('QQQ'));
    timers.fire(); // fires while SPY is still being saved
    finish(true);
    await settle();
    expect(sent).toEqual(['SPY', 'QQQ']);
    finish(false);
    await settle();
    expect(states.at(-1)).toBe('failed');
  });
});
