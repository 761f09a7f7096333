/**
 * A read position in stored minute bars: the next bar to deliver, read window by window from the source,
 * so a replay of months holds a window of bars in memory, not months. Windows are contiguous in time and
 * each comes ordered by (start, symbol), so the sequence does not depend on where windows are cut.
 */
import type { Bar } from '../../../shared/domain';

/** Where a replay reads minute bars: the store, through the replay mode. */
export interface MinuteSource {
  /**
   * Closed 1m bars of the replayed symbols with from <= start < to (epoch ms UTC), ordered by start, then
   * symbol (code-unit order).
   */
  minuteBars(from: number, to: number): Bar[];
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A window is widened below this many bars and narrowed above the upper bound. */
const FEW_BARS = 2_000;
const MANY_BARS = 20_000;

export class MinuteCursor {
  private buffer: Bar[] = [];
  private index = 0;
  private readFrom: number;
  private windowMs = DAY;

  constructor(
    private readonly source: MinuteSource,
    from: number,
    /** Exclusive end of what is read. */
    private readonly end: number,
  ) {
    this.readFrom = from;
  }

  /** Repositions at the first bar starting at or after t. */
  seek(t: number): void {
    this.buffer = [];
    this.index = 0;
    this.readFrom = t;
  }

  /** The next bar, or null when none is left before the end. */
  peek(): Bar | null {
    while (this.index >= this.buffer.length) {
      if (this.readFrom >= this.end) return null;
      const to = Math.min(this.end, this.readFrom + this.windowMs);
      this.buffer = this.source.minuteBars(this.readFrom, to);
      this.index = 0;
      this.readFrom = to;
      if (this.buffer.length < FEW_BARS && this.windowMs < 32 * DAY) this.windowMs *= 2;
      else if (this.buffer.length > MANY_BARS && this.windowMs > HOUR) this.windowMs /= 2;
    }
    return this.buffer[this.index]!;
  }

  /** When the bar peek() returned goes out: the end of its minute. Call after a peek() that found a bar. */
  peekEnd(): number {
    return this.buffer[this.index]!.start + MINUTE;
  }

  /** Moves past the bar peek() returned. */
  skip(): void {
    this.index++;
  }
}
