/**
 * Write-behind queue for bars on the engine's hot path. Bars are coalesced by (symbol, timeframe,
 * start), so a forming bar updated many times between flushes costs one row, and written in one
 * transaction per flush: when the batch reaches `maxBatch` rows, when the timer fires, or on demand.
 *
 * A failed flush never drops rows: the batch stays queued, the error goes to `onError`, and the next
 * attempt waits for the timer (size-triggered flushes pause meanwhile, so a broken disk is not retried
 * on every enqueue of the hot path).
 */
import type { Bar } from '../../shared/domain';

/** Where flushed batches go: `BarRepository` in the app. */
export interface BarSink {
  upsert(bars: readonly Bar[]): void;
}

export interface BarWriterOptions {
  /** Flush as soon as this many distinct rows are pending. Default 5000. */
  maxBatch?: number;
  /** Flush this long after the first row is queued. Default 250 ms. */
  flushIntervalMs?: number;
  /** Injectable timer pair (tests drive time themselves). Default setTimeout / clearTimeout. */
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** A flush failed; the rows are still pending. Default: console.error. */
  onError?: (error: unknown) => void;
}

export class BarWriter {
  private readonly queue = new Map<string, Bar>();
  private readonly maxBatch: number;
  private readonly flushIntervalMs: number;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly onError: (error: unknown) => void;
  private timer: unknown = undefined;
  private timerArmed = false;
  private lastFlushFailed = false;
  private closed = false;
  private written = 0;
  private batchCount = 0;
  private failures = 0;

  constructor(
    private readonly sink: BarSink,
    options: BarWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 5000;
    this.flushIntervalMs = options.flushIntervalMs ?? 250;
    if (!Number.isInteger(this.maxBatch) || this.maxBatch < 1) throw new RangeError('maxBatch must be >= 1');
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as NodeJS.Timeout));
    this.onError =
      options.onError ?? ((error) => console.error('Bar store write failed; will retry:', error));
  }

  /** Rows waiting for the next flush (after coalescing). */
  get pending(): number {
    return this.queue.size;
  }

  /** Rows written since construction (a coalesced row counts once per flush). */
  get rowsWritten(): number {
    return this.written;
  }

  /** Successful flushes (transactions) since construction. */
  get batches(): number {
    return this.batchCount;
  }

  /** Flushes that failed; their rows stayed queued. */
  get failedFlushes(): number {
    return this.failures;
  }

  enqueue(bars: readonly Bar[]): void {
    if (this.closed) throw new Error('BarWriter is closed');
    for (const bar of bars) this.queue.set(`${bar.symbol}\u0000${bar.timeframe}\u0000${bar.start}`, bar);
    if (this.queue.size >= this.maxBatch && !this.lastFlushFailed) this.flush();
    else if (this.queue.size > 0) this.armTimer();
  }

  /** Writes every pending row in one transaction. Returns false if it failed (reported; rows kept). */
  flush(): boolean {
    this.disarmTimer();
    if (this.queue.size === 0) return true;
    const batch = [...this.queue.values()];
    try {
      this.sink.upsert(batch);
    } catch (error) {
      this.failures++;
      this.lastFlushFailed = true;
      if (!this.closed) this.armTimer();
      this.onError(error);
      return false;
    }
    // The sink is synchronous, so nothing was enqueued meanwhile: the queue is exactly `batch`.
    this.queue.clear();
    this.lastFlushFailed = false;
    this.written += batch.length;
    this.batchCount++;
    return true;
  }

  /** Final flush and timer stop. Idempotent; rows a failed final flush could not write stay in `pending`. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    this.disarmTimer();
  }

  private armTimer(): void {
    if (this.timerArmed) return;
    this.timerArmed = true;
    this.timer = this.setTimer(() => {
      this.timerArmed = false;
      this.timer = undefined;
      this.flush();
    }, this.flushIntervalMs);
  }

  private disarmTimer(): void {
    if (!this.timerArmed) return;
    this.clearTimer(this.timer);
    this.timerArmed = false;
    this.timer = undefined;
  }
}
