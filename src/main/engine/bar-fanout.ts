/**
 * Fans bar updates out to listeners, coalesced: each listener gets at most one payload per interval,
 * holding only the latest state of each bar (a forming 1m bar updated by 40 trades costs one entry).
 * This keeps the transport's load bounded by what a screen can show, however fast the feed runs.
 *
 * Latency: the first update after a quiet interval goes out on the next turn of the event loop (so a
 * synchronous burst still travels as one payload); updates within the interval after a send wait for
 * its end. With the default 8 ms a tick reaches the renderer within about half a 60 Hz frame, and the
 * renderer applies what arrived once per animation frame (bench/tick-latency.bench.ts measures it).
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

/** Default coalescing interval, in wall milliseconds. */
export const FANOUT_INTERVAL_MS = 8;

export class BarFanout {
  private readonly listeners = new Set<Listener>();
  private timer: unknown = null;
  private deferred = false;
  private lastFlush = -Infinity;

  constructor(
    private readonly timers: Timers,
    private readonly intervalMs = FANOUT_INTERVAL_MS,
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
    if (!queued || this.timer !== null || this.deferred) return;
    const wait = this.lastFlush + this.intervalMs - this.timers.now();
    if (wait <= 0) {
      this.deferred = true;
      this.timers.defer(() => {
        if (this.deferred) this.flush();
      });
    } else {
      this.timer = this.timers.setTimeout(() => this.flush(), wait);
    }
  }

  /** Sends everything pending now. */
  flush(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.deferred = false;
    this.lastFlush = this.timers.now();
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
    this.deferred = false;
    this.listeners.clear();
  }
}
