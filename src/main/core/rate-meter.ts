/**
 * Events per second over a sliding window, from timestamps the caller supplies (time is an input).
 * Counts are kept per whole second in a small ring, so recording is O(1) and memory is fixed.
 */
export class RateMeter {
  private readonly counts: number[];
  private readonly seconds: number[];

  constructor(private readonly windowSeconds = 5) {
    this.counts = new Array<number>(windowSeconds + 1).fill(0);
    this.seconds = new Array<number>(windowSeconds + 1).fill(-1);
  }

  record(atMs: number, count = 1): void {
    const second = Math.floor(atMs / 1000);
    const slot = second % this.counts.length;
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second;
      this.counts[slot] = 0;
    }
    this.counts[slot] = (this.counts[slot] ?? 0) + count;
  }

  /** Mean rate over the last `windowSeconds` complete seconds before `atMs`. */
  perSecond(atMs: number): number {
    const current = Math.floor(atMs / 1000);
    let total = 0;
    for (let i = 0; i < this.counts.length; i++) {
      const second = this.seconds[i] ?? -1;
      if (second < current && second >= current - this.windowSeconds) total += this.counts[i] ?? 0;
    }
    return total / this.windowSeconds;
  }
}
