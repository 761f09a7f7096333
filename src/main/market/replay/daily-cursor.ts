/**
 * A read position in stored daily bars, for a replay that plays a session at a time: the next daily bar
 * to deliver, read window by window from the source (a replay of decades holds a window of bars in
 * memory, not decades).
 *
 * A daily bar goes out at its session's close, so bars come in (close, symbol) order (code-unit order of
 * the symbol): a session's bars of every symbol together, whatever calendar each symbol trades on (a
 * 24/7 day closes at midnight UTC, after the NYSE session of that date that opened later). Windows are
 * cut by close, contiguous in time, so the sequence does not depend on where they are cut.
 */
import type { Bar } from '../../../shared/domain';

/** Where a daily replay reads its bars: the store, through the replay mode. */
export interface DailySource {
  /** Closed 1D bars of the replayed symbols with from <= start < to (epoch ms UTC), in any order. */
  dailyBars(from: number, to: number): Bar[];
}

const DAY = 86_400_000;
/** A session is never longer than a day (the 24/7 calendar's are exactly one), so start >= close - DAY. */
const LONGEST_SESSION = DAY;
/** Closes per window: about 62 NYSE sessions, a few thousand bars for a few dozen symbols. */
const WINDOW = 90 * DAY;

interface Due {
  bar: Bar;
  close: number;
}

export class DailyCursor {
  private buffer: Due[] = [];
  private index = 0;
  /** Closes up to here have been read (the next window holds closes after it). */
  private readTo: number;
  /** No bar starting before this is delivered (it belongs to the history before the range, or a rewind). */
  private floor: number;

  /**
   * @param closeOf the close of the session a daily bar belongs to (epoch ms UTC): when it goes out
   * @param from no bar starting before it is delivered
   * @param end bars closing after it are not delivered (the range's last close)
   */
  constructor(
    private readonly source: DailySource,
    private readonly closeOf: (bar: Bar) => number,
    from: number,
    private readonly end: number,
  ) {
    this.floor = from;
    this.readTo = from;
  }

  /** Repositions at the first bar starting at or after t (t is a session boundary: nothing spans it). */
  seek(t: number): void {
    this.buffer = [];
    this.index = 0;
    this.floor = t;
    this.readTo = t;
  }

  /** The next bar, or null when none is left up to the end. */
  peek(): Bar | null {
    return this.next()?.bar ?? null;
  }

  /** When the bar peek() returned goes out: its session's close. Call after a peek() that found a bar. */
  peekEnd(): number {
    return this.buffer[this.index]!.close;
  }

  /** Moves past the bar peek() returned. */
  skip(): void {
    this.index++;
  }

  private next(): Due | null {
    while (this.index >= this.buffer.length) {
      if (this.readTo >= this.end) return null;
      const after = this.readTo;
      const upTo = Math.min(this.end, after + WINDOW);
      const due: Due[] = [];
      for (const bar of this.source.dailyBars(Math.max(this.floor, after - LONGEST_SESSION), upTo)) {
        if (bar.start < this.floor) continue;
        const close = this.closeOf(bar);
        if (close > after && close <= upTo) due.push({ bar, close });
      }
      due.sort((a, b) => a.close - b.close || (a.bar.symbol < b.bar.symbol ? -1 : 1));
      this.buffer = due;
      this.index = 0;
      this.readTo = upTo;
    }
    return this.buffer[this.index]!;
  }
}
