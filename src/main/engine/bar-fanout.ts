/**
 * Fans bar updates out to listeners, coalesced: each listener gets at most one payload per interval,
 * holding only the latest state of each bar (a forming 1m bar updated by 40 trades costs one entry).
 * This keeps the transport's load bounded by what a screen can show, however fast the feed runs.
 */
import type { Bar } from '../../shared/domain';
import type { Timers } from '../platform/clock';

/** Bars per payload at most, so one message stays far below the transport's size limit. */
export const MAX_BARS_PER_PAYLOAD = 2000;

interface Listener {
  symbols: ReadonlySet<string>;
  pending: Map<string, Bar>;
  emit: (payload: { bars: Bar[] }) => void;
}

const keyOf = (bar: Bar): string => `${bar.symbol}|${bar.timeframe}|${bar.start}`;

export class BarFanout {
  private readonly listeners = new Set<Listener>();
  private timer: unknown = null;

  constructor(
    private readonly timers: Timers,
    private readonly intervalMs = 50,
  ) {}

  get listenerCount(): number {
    return this.listeners.size;
  }

  subscribe(symbols: readonly string[], emit: (payload: { bars: Bar[] }) => void): () => void {
    const listener: Listener = { symbols: new Set(symbols), pending: new Map(), emit };
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  publish(bars: readonly Bar[]): void {
    if (bars.length === 0 || this.listeners.size === 0) return;
    let queued = false;
    for (const listener of this.listeners) {
      for (const bar of bars) {
        if (!listener.symbols.has(bar.symbol)) continue;
        // A key keeps its first position and takes its latest state: per timeframe, bars stay in
        // start order on the wire, which is the order a chart can apply them in.
        listener.pending.set(keyOf(bar), bar);
        queued = true;
      }
    }
    if (queued && this.timer === null)
      this.timer = this.timers.setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Sends everything pending now. */
  flush(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    for (const listener of this.listeners) {
      if (listener.pending.size === 0) continue;
      const bars = [...listener.pending.values()];
      listener.pending.clear();
      for (let i = 0; i < bars.length; i += MAX_BARS_PER_PAYLOAD) {
        listener.emit({ bars: bars.slice(i, i + MAX_BARS_PER_PAYLOAD) });
      }
    }
  }

  dispose(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.listeners.clear();
  }
}
