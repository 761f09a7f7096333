/**
 * The moment the trader points at, shared by the window's chart panes (one store per window): the pane
 * under the pointer publishes the time (epoch ms UTC) and price of its crosshair; the other panes show
 * their crosshair there (use-crosshair-link.ts). A sync request asks every other pane to scroll that moment
 * into view; its `seq` grows with each request, so asking twice for the same moment acts twice.
 */
import { lowerBound } from '../charts/series-bars';

export interface CrosshairPoint {
  /** The pane the pointer is over (its slot). */
  slot: number;
  symbol: string | null;
  /** The start of the bar under the pointer, epoch ms UTC. */
  time: number;
  /** The price under the pointer, dollars. */
  price: number;
}

export interface TimeSync {
  slot: number;
  time: number;
  seq: number;
}

type Listener = () => void;

export class CrosshairLinkStore {
  private point: CrosshairPoint | null = null;
  private sync: TimeSync | null = null;
  private seq = 0;
  private readonly listeners = new Set<Listener>();

  /** The pointer's moment, or null while the pointer is over no pane. */
  get current(): CrosshairPoint | null {
    return this.point;
  }

  get lastSync(): TimeSync | null {
    return this.sync;
  }

  /** The pointer moved over pane `point.slot`. */
  move(point: CrosshairPoint): void {
    const was = this.point;
    if (was && was.slot === point.slot && was.time === point.time && was.price === point.price) return;
    this.point = point;
    this.emit();
  }

  /** The pointer left pane `slot` (ignored when another pane has it by now). */
  leave(slot: number): void {
    if (this.point === null || this.point.slot !== slot) return;
    this.point = null;
    this.emit();
  }

  /** Asks the panes other than `slot` to bring `time` (epoch ms) into view. */
  requestSync(slot: number, time: number): void {
    this.sync = { slot, time, seq: ++this.seq };
    this.emit();
  }

  /** Calls `listener` after every change; returns the function that stops it. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** The window's store: every pane of the window links through it. */
export const crosshairLink = new CrosshairLinkStore();

/**
 * The index of the bar of ascending `starts` (epoch ms) that holds moment `time`: the last one starting at
 * or before it; -1 when `time` is before the first bar. A moment after the newest bar maps to the newest.
 */
export function barIndexAt(starts: readonly { start: number }[], time: number): number {
  // Bar starts are whole milliseconds: the first start after `time` is the first at or after floor(time) + 1.
  return lowerBound(starts, Math.floor(time) + 1) - 1;
}
