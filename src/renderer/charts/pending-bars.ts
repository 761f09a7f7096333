/**
 * Live bars waiting for the next frame: only the latest state of each bar is kept, and they come out
 * in time order. Nothing is dropped for being old: a corrected past bar (a revised minute that changes
 * a closed 5-minute bar) must reach the chart, which decides where each bar goes (series-bars.ts).
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

  /** Empty the queue: the bars to apply, oldest first, one (the latest state) per start. */
  drain(): Bar[] {
    const bars = [...this.byStart.values()].sort((a, b) => a.start - b.start);
    this.byStart.clear();
    return bars;
  }
}
