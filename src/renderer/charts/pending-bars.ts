/**
 * Live bars waiting for the next frame: only the latest state of each bar is kept, and they come out
 * in time order with everything older than the chart's newest bar dropped (lightweight-charts refuses
 * to update the past, and those bars are history the chart already shows).
 */
import type { Bar } from '../../shared/domain';

export class PendingBars {
  /** By start; insertion order is "least recently updated first", which decides what overflow evicts. */
  private readonly byStart = new Map<number, Bar>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.byStart.size;
  }

  get full(): boolean {
    return this.byStart.size >= this.capacity;
  }

  add(bars: readonly Bar[]): void {
    for (const bar of bars) {
      this.byStart.delete(bar.start);
      this.byStart.set(bar.start, bar);
    }
  }

  /** Forget the least recently updated bars beyond capacity (only while nothing can drain them). */
  trim(): void {
    for (const start of this.byStart.keys()) {
      if (this.byStart.size <= this.capacity) return;
      this.byStart.delete(start);
    }
  }

  clear(): void {
    this.byStart.clear();
  }

  /** Empty the queue: the bars to apply, oldest first, none older than `newestShown`. */
  drain(newestShown: number | null): Bar[] {
    const bars = [...this.byStart.values()]
      .filter((bar) => newestShown === null || bar.start >= newestShown)
      .sort((a, b) => a.start - b.start);
    this.byStart.clear();
    return bars;
  }
}
