/**
 * Rolls closed bars of one timeframe up into the longer timeframes, in the same session-aligned buckets
 * the live aggregator uses (session-buckets.ts): what an imported 5-minute file becomes in 15m, 1h, 4h
 * and 1D. Over the same data it gives exactly the closed bars `BarAggregator` gives from the minutes
 * (bar-rollup.test.ts checks this), so a chart cannot tell an imported 5m history from a live one.
 *
 * Rules, per symbol:
 * - bars arrive in time order, closed, each on its own timeframe's grid from the session open;
 * - a bar outside every session (extended hours under the NYSE calendar) is not rolled up, as the
 *   aggregator does not aggregate out-of-session minutes;
 * - a bucket closes when a bar at or after its end arrives, when `onTime(t)` reaches its end, or when a
 *   bar ends exactly at its end; only closed bars come out (nothing forming);
 * - VWAP and trade count follow the aggregator: `tradeCount` is the sum of the bars' counts and `vwap`
 *   the volume-weighted mean of their VWAPs, each only when every bar in the bucket has one (and, for
 *   vwap, the bucket's volume is positive).
 *
 * Pure: no I/O, no clock; time comes from the bars and from `onTime`.
 */
import type { Bar } from '../../shared/domain';
import { TIMEFRAMES, type Timeframe } from '../../shared/domain/timeframes';
import type { Session, SessionCalendar } from './calendar';
import { OhlcvAggregate } from './ohlcv-aggregate';
import { bucketEndIn, bucketStartIn, timeframeMs } from './session-buckets';

/** One forming bucket of one target timeframe: the aggregator's fold over its bars. */
class Bucket extends OhlcvAggregate {
  active = false;
  start = 0;
  end = 0;
}

class SymbolRollup {
  readonly buckets: Bucket[];
  /** Start of the last bar taken: bars must come in strictly increasing time. */
  last = -Infinity;
  session: Session | null = null;

  constructor(
    readonly symbol: string,
    count: number,
  ) {
    this.buckets = Array.from({ length: count }, () => new Bucket());
  }
}

export class BarRollup {
  private readonly targets: readonly Timeframe[];
  private readonly lengths: readonly number[];
  private readonly sourceMs: number;
  private readonly states = new Map<string, SymbolRollup>();

  /**
   * @param calendar the symbols' session calendar (buckets are counted from its session opens)
   * @param source the timeframe of the bars given to `onBar` (an intraday one, e.g. '5m')
   * @param targets the longer timeframes to build; default: every timeframe longer than `source`
   * @throws RangeError when `source` is '1D' or a target is not longer than, and a whole multiple of, it
   */
  constructor(
    readonly calendar: SessionCalendar,
    readonly source: Exclude<Timeframe, '1D'>,
    targets?: readonly Timeframe[],
  ) {
    this.sourceMs = timeframeMs(source);
    if (this.sourceMs === 0) throw new RangeError('the source timeframe must be intraday');
    const longer = TIMEFRAMES.filter((tf) => tf === '1D' || timeframeMs(tf) > this.sourceMs);
    this.targets = targets ?? longer;
    for (const tf of this.targets) {
      const ms = timeframeMs(tf);
      if (!longer.includes(tf) || (ms !== 0 && ms % this.sourceMs !== 0)) {
        throw new RangeError(`cannot roll ${source} bars up into ${tf}`);
      }
    }
    this.lengths = this.targets.map(timeframeMs);
  }

  /**
   * Takes one closed bar of the source timeframe; returns the bars it closed (shorter timeframes first).
   * @throws RangeError for a bar of another timeframe, or one not after the symbol's previous bar
   */
  onBar(bar: Bar): Bar[] {
    if (bar.timeframe !== this.source) {
      throw new RangeError(`this rollup takes ${this.source} bars, got ${bar.timeframe}`);
    }
    const st = this.stateOf(bar.symbol);
    if (bar.start <= st.last) {
      throw new RangeError(`${bar.symbol}: bars must come in time order (${bar.start} after ${st.last})`);
    }
    st.last = bar.start;
    const out: Bar[] = [];
    this.closeEnded(st, bar.start, out);
    let session = st.session;
    if (session === null || bar.start < session.open || bar.start >= session.close) {
      session = this.calendar.sessionAt(bar.start);
      st.session = session;
    }
    if (session === null) return out;
    const barEnd = Math.min(bar.start + this.sourceMs, session.close);
    for (let i = 0; i < this.targets.length; i++) {
      const b = st.buckets[i]!;
      if (!b.active) {
        const start = bucketStartIn(session, this.lengths[i]!, bar.start);
        b.active = true;
        b.start = start;
        b.end = bucketEndIn(session, this.lengths[i]!, start);
        b.clear();
      }
      b.foldBar(bar);
      if (barEnd >= b.end) this.close(st, i, out);
    }
    return out;
  }

  /** Time reached t: closes, for every symbol, each bucket that ended by t. */
  onTime(t: number): Bar[] {
    const out: Bar[] = [];
    for (const st of this.states.values()) this.closeEnded(st, t, out);
    return out;
  }

  private stateOf(symbol: string): SymbolRollup {
    let st = this.states.get(symbol);
    if (st === undefined) {
      st = new SymbolRollup(symbol, this.targets.length);
      this.states.set(symbol, st);
    }
    return st;
  }

  private closeEnded(st: SymbolRollup, t: number, out: Bar[]): void {
    for (let i = 0; i < this.targets.length; i++) {
      const b = st.buckets[i]!;
      if (b.active && b.end <= t) this.close(st, i, out);
    }
  }

  private close(st: SymbolRollup, i: number, out: Bar[]): void {
    const b = st.buckets[i]!;
    b.active = false;
    out.push(b.toBar(st.symbol, this.targets[i]!, b.start, true));
  }
}
