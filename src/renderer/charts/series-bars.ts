/**
 * Our copy of the bars in one chart series, oldest first, and the decisions about changing it: where
 * live bars go (appended, replacing the newest, replacing a past bar, inserted between two, or left to
 * the store), how an older page joins, how a reloaded latest page merges, and how many old bars a
 * bounded series may drop without touching what the trader looks at. Pure: no chart, no DOM.
 *
 * It mirrors the rules of lightweight-charts 5 (`ISeriesApi.update(bar, historicalUpdate)`):
 * `update(bar)` may only add a bar after the newest or replace the newest; `update(bar, true)` replaces
 * an existing past bar (it throws for a time with no bar: it cannot insert); anything else needs setData.
 */
import type { Bar } from '../../shared/domain';

/** One point change for the chart, in order; `historical` marks a past bar (update(point, true)). */
export interface PointUpdate {
  bar: Bar;
  historical: boolean;
}

export interface LivePlan {
  /** Point changes to apply with series.update, oldest first. */
  updates: PointUpdate[];
  /** A bar landed between two shown bars, where no point can be replaced: the series must be set again. */
  reset: boolean;
  /** Bars older than the oldest one held, left to the store (scroll-back loads them with the rest). */
  dropped: number;
}

/**
 * Index of the first bar (oldest first) that starts at or after `start`, epoch ms (bars.length when none
 * does): a binary search, O(log N).
 */
export function lowerBound(bars: readonly { start: number }[], start: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((bars[mid]?.start ?? Infinity) < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Bars as setData needs them: strictly ascending starts (the last copy of a duplicate wins). */
export function ascendingUnique(bars: readonly Bar[]): Bar[] {
  const sorted = bars.every((bar, i) => i === 0 || bar.start > (bars[i - 1]?.start ?? -Infinity))
    ? [...bars]
    : [...bars].sort((a, b) => a.start - b.start);
  const unique: Bar[] = [];
  for (const bar of sorted) {
    if (unique.length > 0 && unique[unique.length - 1]?.start === bar.start) unique[unique.length - 1] = bar;
    else unique.push(bar);
  }
  return unique;
}

/** Where the trader's view is, for trimming: following the newest bar or not, and its left edge. */
export interface TrimView {
  following: boolean;
  /** Logical index of the view's left edge. */
  from: number;
}

/**
 * How many of the oldest bars a series of `length` bars should drop: none up to `max`, then down to
 * `target`. Only while the trader follows the newest bar, and never within `margin` bars left of the
 * view: a trader looking at history keeps every bar loaded (trimming would fight scroll-back, which
 * would load them again), up to `hardMax`, where memory wins. Trimming costs a full setData, so it
 * happens `max - target` bars at a time or not at all. `view` null: no view to keep.
 */
export function barsToTrim(
  length: number,
  limits: { max: number; target: number; hardMax: number; margin: number },
  view: TrimView | null,
): number {
  if (length <= limits.max) return 0;
  const step = limits.max - limits.target;
  if (length > limits.hardMax) return length - (limits.hardMax - step);
  if (view !== null && !view.following) return 0;
  const wanted = length - limits.target;
  const allowed = view === null ? wanted : Math.max(0, Math.floor(view.from - limits.margin));
  const trim = Math.min(wanted, allowed);
  return trim >= step ? trim : 0;
}

export class SeriesBars {
  private bars: Bar[] = [];

  /** The bars, oldest first. Read-only view: change it through the methods. */
  get all(): readonly Bar[] {
    return this.bars;
  }

  get length(): number {
    return this.bars.length;
  }

  get oldest(): Bar | undefined {
    return this.bars[0];
  }

  get newest(): Bar | undefined {
    return this.bars[this.bars.length - 1];
  }

  /** Replace everything (any order, duplicates allowed: the last copy wins). */
  replace(bars: readonly Bar[]): void {
    this.bars = ascendingUnique(bars);
  }

  /**
   * Take live bars (any order; one state per start) into the copy and say how to show them. A bar older
   * than the oldest held is dropped unless `olderComplete` (the store has nothing older than what is
   * held, so nothing can be missing before it): then it is inserted in front.
   */
  applyLive(fresh: readonly Bar[], olderComplete = false): LivePlan {
    const plan: LivePlan = { updates: [], reset: false, dropped: 0 };
    for (const bar of ascendingUnique(fresh)) {
      const { bars } = this;
      const newest = bars[bars.length - 1];
      if (newest === undefined || bar.start > newest.start) {
        bars.push(bar);
        plan.updates.push({ bar, historical: false });
      } else if (bar.start === newest.start) {
        bars[bars.length - 1] = bar;
        plan.updates.push({ bar, historical: false });
      } else if (bar.start < (bars[0]?.start ?? -Infinity) && !olderComplete) {
        plan.dropped += 1;
      } else {
        const at = lowerBound(bars, bar.start);
        if (bars[at]?.start === bar.start) {
          bars[at] = bar;
          plan.updates.push({ bar, historical: true });
        } else {
          bars.splice(at, 0, bar);
          plan.reset = true;
        }
      }
    }
    return plan;
  }

  /**
   * Put an older page in front; bars not older than the oldest held are ignored (the copy held is
   * newer). Returns how many bars were added, which is also how far every logical index moved.
   */
  prepend(older: readonly Bar[]): number {
    const oldest = this.bars[0]?.start ?? Infinity;
    const page = ascendingUnique(older).filter((bar) => bar.start < oldest);
    if (page.length > 0) this.bars = [...page, ...this.bars];
    return page.length;
  }

  /**
   * A reload of the latest bars (after a reconnect or a retry): they replace the held bars from their
   * first start on, and the older bars held stay if the page reaches back to them (no hole between).
   * Returns whether older bars were kept; if not, the copy is just the page.
   */
  mergeLatest(latest: readonly Bar[]): boolean {
    const page = ascendingUnique(latest);
    const first = page[0];
    const held = this.bars;
    const newestHeld = held[held.length - 1];
    const oldestHeld = held[0];
    if (
      first === undefined ||
      oldestHeld === undefined ||
      newestHeld === undefined ||
      first.start > newestHeld.start ||
      first.start <= oldestHeld.start
    ) {
      this.bars = page;
      return false;
    }
    this.bars = [...held.slice(0, lowerBound(held, first.start)), ...page];
    return true;
  }

  /** Forget the `count` oldest bars. */
  dropOldest(count: number): void {
    if (count > 0) this.bars = this.bars.slice(count);
  }

  /** Index of the first bar starting at or after `start`. */
  indexAtOrAfter(start: number): number {
    return lowerBound(this.bars, start);
  }
}
