/**
 * Live bar aggregation: trades and authoritative 1-minute bars in, forming and closed bars of every
 * timeframe out, aligned to the session calendar (see session-buckets.ts for the bucket rule).
 *
 * Model, per symbol:
 * - one forming minute, built from trades; an authoritative minute bar replaces it (never adds to it);
 * - per higher timeframe, the forming bucket holds a base aggregate of its FINALISED minutes, and its
 *   forming bar is base + forming minute. So replacing the forming minute touches nothing else;
 * - `doneBefore`: every minute of the symbol ending at or before it is final (a later minute started, or
 *   the minute was finalised). A minute bar for a final minute is a correction, see below;
 * - `onTime(t)` closes what ended by t but finalises no minute that never formed: a thinly traded
 *   symbol's minute bar may come after the clock passed its minute (live minute bars arrive a few seconds
 *   late). It is still aggregated: into the bucket `onTime` closed (re-emitted closed), or into a bucket
 *   that closes at once. Trades are different: a trade for a minute that ended before the clock or
 *   before the symbol's latest minute is dropped (the authoritative minute bar will carry it);
 * - the finalised in-session minutes since the start of the most recently closed `1D` bucket are kept,
 *   so a correction can rebuild a bucket exactly (high and low cannot be "un-merged").
 *
 * Corrections (a minute bar for a final minute): the 1m bar is re-emitted closed with the new values; a
 * higher bar containing that minute is rebuilt and re-emitted if it is still forming (closed: false) or
 * is the most recently closed bar of its timeframe (closed: true). Older closed bars are left as they
 * were: rebuild them from the store's 1m bars if they matter. A late minute in a bucket that never
 * formed (a whole gap) yields the 1m bar only.
 *
 * Out-of-session data (pre-market trades under the NYSE calendar): 1m bars are built and returned as
 * usual, but never aggregated into higher timeframes, whose buckets exist only inside sessions.
 *
 * Bars returned are fresh objects and never touched again; state lives in private mutable records.
 */
import { TIMEFRAMES, type Bar, type Timeframe, type Trade } from '../../shared/domain';
import type { Session, SessionCalendar } from './calendar';
import { bucketEndIn, bucketStartIn, timeframeMs } from './session-buckets';

const MINUTE_MS = 60_000;

type HigherTimeframe = Exclude<Timeframe, '1m'>;
const HIGHER: readonly HigherTimeframe[] = TIMEFRAMES.filter((tf): tf is HigherTimeframe => tf !== '1m');
const HIGHER_MS: readonly number[] = HIGHER.map(timeframeMs);
const DAILY_INDEX = HIGHER.indexOf('1D');

interface Ohlcv {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

function makeBar(
  symbol: string,
  timeframe: Timeframe,
  start: number,
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
  closed: boolean,
): Bar {
  return { symbol, timeframe, start, open, high, low, close, volume, closed };
}

/** One higher-timeframe bucket: the forming one, or the most recently closed one (kept for corrections). */
class BucketState {
  active = false;
  start = 0;
  end = 0;
  /** Whether the base below holds anything. */
  filled = false;
  open = 0;
  high = 0;
  low = 0;
  close = 0;
  volume = 0;
  /**
   * What a restored bar contributed (opaque: it cannot be split into minutes), and the first minute not
   * in it. Minutes before seedEnd are inside the seed; Infinity until the first minute after a restore.
   */
  seed: Ohlcv | null = null;
  seedEnd = -Infinity;
  /** The closed bar, while this record holds the most recently closed bucket. */
  closedBar: Bar | null = null;

  reset(start: number, end: number): void {
    this.active = true;
    this.start = start;
    this.end = end;
    this.filled = false;
    this.volume = 0;
    this.seed = null;
    this.seedEnd = -Infinity;
    this.closedBar = null;
  }

  fold(open: number, high: number, low: number, close: number, volume: number): void {
    if (!this.filled) {
      this.filled = true;
      this.open = open;
      this.high = high;
      this.low = low;
      this.volume = 0;
    } else {
      if (high > this.high) this.high = high;
      if (low < this.low) this.low = low;
    }
    this.close = close;
    this.volume += volume;
  }

  /** Rebuilds the base from the seed and the kept minutes (sorted by start). */
  rebuild(minutes: readonly Bar[]): void {
    this.filled = false;
    this.volume = 0;
    const seed = this.seed;
    if (seed !== null) this.fold(seed.open, seed.high, seed.low, seed.close, seed.volume);
    for (let i = lowerBound(minutes, Math.max(this.start, this.seedEnd)); i < minutes.length; i++) {
      const m = minutes[i]!;
      if (m.start >= this.end) break;
      this.fold(m.open, m.high, m.low, m.close, m.volume);
    }
  }
}

/** Index of the first minute starting at or after t. */
function lowerBound(minutes: readonly Bar[], t: number): number {
  let lo = 0;
  let hi = minutes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (minutes[mid]!.start < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class SymbolState {
  minuteActive = false;
  minuteStart = 0;
  minuteEnd = 0;
  minuteSession: Session | null = null;
  open = 0;
  high = 0;
  low = 0;
  close = 0;
  volume = 0;
  /** Minutes ending at or before this are final. */
  doneBefore = -Infinity;
  current: BucketState[] = HIGHER.map(() => new BucketState());
  previous: BucketState[] = HIGHER.map(() => new BucketState());
  /** Finalised in-session 1m bars, sorted by start, since the most recently closed 1D bucket's start. */
  minutes: Bar[] = [];
  /** Bars closed by restore(), handed out with this symbol's next output. */
  pending: Bar[] | null = null;

  constructor(readonly symbol: string) {}

  setMinute(open: number, high: number, low: number, close: number, volume: number): void {
    this.minuteActive = true;
    this.open = open;
    this.high = high;
    this.low = low;
    this.close = close;
    this.volume = volume;
  }
}

export class BarAggregator {
  private readonly states = new Map<string, SymbolState>();
  /** Last session looked up, and the last known closed stretch [gapStart, gapEnd): most lookups hit these. */
  private session: Session | null = null;
  private gapStart = 0;
  private gapEnd = 0;
  /** The latest time given to onTime. */
  private clock = -Infinity;

  constructor(readonly calendar: SessionCalendar) {}

  /** Adds a trade to its minute and every higher timeframe; returns bars closed by it, then the forming ones. */
  onTrade(trade: Trade): Bar[] {
    const st = this.stateOf(trade.symbol);
    const out = this.takePending(st);
    const t = trade.time;
    const price = trade.price;
    if (st.minuteActive && t >= st.minuteStart && t < st.minuteEnd) {
      if (price > st.high) st.high = price;
      if (price < st.low) st.low = price;
      st.close = price;
      st.volume += trade.size;
    } else {
      const session = this.sessionAt(t);
      const start = minuteStartOf(session, t);
      const end = minuteEndOf(session, start);
      if (end <= st.doneBefore || end <= this.clock) return out;
      this.enterMinute(st, start, session, out);
      st.setMinute(price, price, price, price, trade.size);
    }
    this.emitForming(st, out);
    return out;
  }

  /**
   * An authoritative closed 1-minute bar: replaces the minute built from trades, returns it closed and the
   * higher bars it updated (closed where this minute ends their bucket). A bar for a final minute is a
   * correction (see the module comment).
   */
  onMinuteBar(bar: Bar): Bar[] {
    if (bar.timeframe !== '1m') throw new RangeError(`onMinuteBar takes 1m bars, got ${bar.timeframe}`);
    const st = this.stateOf(bar.symbol);
    const out = this.takePending(st);
    const session = this.sessionAt(bar.start);
    const start = minuteStartOf(session, bar.start);
    let intoClosed = 0;
    if (!(st.minuteActive && start === st.minuteStart)) {
      if (minuteEndOf(session, start) <= st.doneBefore) {
        this.correct(st, start, session, bar, out);
        return out;
      }
      intoClosed = this.enterMinute(st, start, session, out);
    }
    st.setMinute(bar.open, bar.high, bar.low, bar.close, bar.volume);
    this.finishMinute(st, out);
    if (session === null) return out;
    for (let i = 0; i < HIGHER.length; i++) {
      const b = st.current[i]!;
      if (b.active && b.end <= this.clock) this.closeBucket(st, i, out);
      else if (b.active && b.filled) out.push(this.bucketBar(st, i, b, false, false));
      if ((intoClosed & (1 << i)) !== 0) this.rebuildClosed(st, i, start, out);
    }
    return out;
  }

  /** Market time reached t with no data: closes, for every symbol, each forming bar whose bucket ended by t. */
  onTime(t: number): Bar[] {
    const out: Bar[] = [];
    for (const st of this.states.values()) {
      if (st.pending !== null) {
        out.push(...st.pending);
        st.pending = null;
      }
      if (st.minuteActive && st.minuteEnd <= t) this.finishMinute(st, out);
      for (let i = 0; i < HIGHER.length; i++) {
        const b = st.current[i]!;
        if (b.active && b.end <= t) this.closeBucket(st, i, out);
      }
    }
    if (t > this.clock) this.clock = t;
    return out;
  }

  /** The forming bars of a symbol (what a store snapshot or restore() round trip needs). */
  formingBars(symbol: string): Bar[] {
    const st = this.states.get(symbol);
    const out: Bar[] = [];
    if (st === undefined) return out;
    if (st.minuteActive) {
      this.emitForming(st, out);
    } else {
      for (let i = 0; i < HIGHER.length; i++) {
        const b = st.current[i]!;
        if (b.active && b.filled) out.push(this.bucketBar(st, i, b, false, false));
      }
    }
    return out;
  }

  /**
   * Seeds state after a restart from the bars the store holds. Per symbol and timeframe, the forming bar
   * with the latest start is resumed (so a 1D bar resumed at 11:00 still holds the morning). Pass the
   * symbol's latest 1m bar too (forming or closed): it tells which minutes the resumed bars already hold,
   * so that minute is replaced, not counted twice. Without it the resumed bars are taken to hold every
   * minute before the first one that arrives. Other forming bars (older, or whose bucket had already
   * ended) are handed out closed with the symbol's next output. Bars not on a bucket boundary of this
   * calendar are ignored. Replaces any state the symbols had.
   */
  restore(bars: readonly Bar[]): void {
    const bySymbol = new Map<string, Bar[]>();
    for (const bar of bars) {
      const list = bySymbol.get(bar.symbol);
      if (list === undefined) bySymbol.set(bar.symbol, [bar]);
      else list.push(bar);
    }
    for (const [symbol, list] of bySymbol) {
      const st = new SymbolState(symbol);
      this.states.set(symbol, st);
      this.restoreSymbol(st, list);
    }
  }

  private restoreSymbol(st: SymbolState, bars: Bar[]): void {
    const pending: Bar[] = [];
    const latest = new Map<Timeframe, Bar>();
    for (const bar of [...bars].sort((a, b) => a.start - b.start)) {
      if (!this.isAligned(bar)) continue;
      const before = latest.get(bar.timeframe);
      if (before !== undefined && !before.closed && before.start !== bar.start) {
        pending.push({ ...before, closed: true });
      }
      latest.set(bar.timeframe, bar);
    }

    let minute = latest.get('1m');
    const seeds = HIGHER.map((tf) => {
      const bar = latest.get(tf);
      return bar === undefined || bar.closed ? undefined : bar;
    });
    // A minute older than a resumed bucket says nothing about it; the buckets are newer truth.
    if (minute !== undefined && seeds.some((h) => h !== undefined && h.start > minute!.start)) {
      if (!minute.closed) pending.push({ ...minute, closed: true });
      minute = undefined;
    }

    const minuteSession = minute === undefined ? null : this.sessionAt(minute.start);
    if (minute !== undefined) {
      const end = minuteEndOf(minuteSession, minute.start);
      if (minute.closed) {
        st.doneBefore = end;
        if (minuteSession !== null) st.minutes.push(minute);
      } else {
        st.doneBefore = minute.start;
        st.minuteStart = minute.start;
        st.minuteEnd = end;
        st.minuteSession = minuteSession;
        st.setMinute(minute.open, minute.high, minute.low, minute.close, minute.volume);
      }
    } else {
      for (const h of seeds) if (h !== undefined && h.start > st.doneBefore) st.doneBefore = h.start;
    }

    for (let i = 0; i < HIGHER.length; i++) {
      const h = seeds[i];
      const b = st.current[i]!;
      if (h === undefined) {
        // The forming minute needs a bucket; what the lost bar held before it is gone.
        if (minute !== undefined && !minute.closed && minuteSession !== null) {
          const start = bucketStartIn(minuteSession, HIGHER_MS[i]!, minute.start);
          b.reset(start, bucketEndIn(minuteSession, HIGHER_MS[i]!, start));
        }
        continue;
      }
      const session = this.sessionAt(h.start)!;
      b.reset(h.start, bucketEndIn(session, HIGHER_MS[i]!, h.start));
      const minuteInside = minute !== undefined && minute.start >= b.start && minute.start < b.end;
      if (minute === undefined) {
        b.seed = h;
        b.seedEnd = Infinity;
      } else if (minuteInside) {
        b.seedEnd = minute.start;
        if (minute.start > b.start) {
          // The resumed bar includes this minute; only its volume can be taken out again.
          b.seed = { ...h, volume: Math.max(0, h.volume - minute.volume) };
        }
      } else {
        b.seed = h;
        b.seedEnd = Infinity;
      }
      if (b.seed !== null) b.fold(b.seed.open, b.seed.high, b.seed.low, b.seed.close, b.seed.volume);
      if (minute !== undefined && minute.closed && minuteInside) {
        b.fold(minute.open, minute.high, minute.low, minute.close, minute.volume);
      }
      if (b.end <= st.doneBefore) this.closeBucket(st, i, pending);
    }
    if (pending.length > 0) st.pending = pending;
  }

  private isAligned(bar: Bar): boolean {
    const session = this.sessionAt(bar.start);
    if (bar.timeframe === '1m') return minuteStartOf(session, bar.start) === bar.start;
    if (session === null) return false;
    return bucketStartIn(session, timeframeMs(bar.timeframe), bar.start) === bar.start;
  }

  private stateOf(symbol: string): SymbolState {
    let st = this.states.get(symbol);
    if (st === undefined) {
      st = new SymbolState(symbol);
      this.states.set(symbol, st);
    }
    return st;
  }

  private takePending(st: SymbolState): Bar[] {
    const pending = st.pending;
    if (pending === null) return [];
    st.pending = null;
    return pending;
  }

  private sessionAt(t: number): Session | null {
    const cached = this.session;
    if (cached !== null && t >= cached.open && t < cached.close) return cached;
    if (t >= this.gapStart && t < this.gapEnd) return null;
    const session = this.calendar.sessionAt(t);
    if (session !== null) {
      this.session = session;
      return session;
    }
    this.gapStart = this.calendar.sessionOnOrBefore(t).close;
    this.gapEnd = this.calendar.sessionOnOrAfter(t).open;
    return null;
  }

  /**
   * Time moved to a new minute: finalise the forming one, close ended buckets, open the new ones. Returns
   * a bit per higher timeframe whose bucket for this minute was already closed by onTime (its bar must be
   * rebuilt once the minute is final).
   */
  private enterMinute(st: SymbolState, start: number, session: Session | null, out: Bar[]): number {
    if (st.minuteActive) this.finishMinute(st, out);
    for (let i = 0; i < HIGHER.length; i++) {
      const b = st.current[i]!;
      if (b.active && b.end <= start) this.closeBucket(st, i, out);
    }
    let intoClosed = 0;
    if (session !== null) {
      for (let i = 0; i < HIGHER.length; i++) {
        const b = st.current[i]!;
        if (b.active) {
          if (b.seedEnd === Infinity) b.seedEnd = start;
          continue;
        }
        const p = st.previous[i]!;
        if (p.closedBar !== null && start >= p.start && start < p.end) {
          intoClosed |= 1 << i;
          continue;
        }
        const bucketStart = bucketStartIn(session, HIGHER_MS[i]!, start);
        b.reset(bucketStart, bucketEndIn(session, HIGHER_MS[i]!, bucketStart));
      }
    }
    st.minuteStart = start;
    st.minuteEnd = minuteEndOf(session, start);
    st.minuteSession = session;
    if (start > st.doneBefore) st.doneBefore = start;
    return intoClosed;
  }

  /** The forming minute is final: emit it closed, fold it into its buckets, close those it ends. */
  private finishMinute(st: SymbolState, out: Bar[]): void {
    st.minuteActive = false;
    const bar = makeBar(st.symbol, '1m', st.minuteStart, st.open, st.high, st.low, st.close, st.volume, true);
    out.push(bar);
    if (st.minuteEnd > st.doneBefore) st.doneBefore = st.minuteEnd;
    if (st.minuteSession === null) return;
    st.minutes.push(bar);
    for (let i = 0; i < HIGHER.length; i++) {
      const b = st.current[i]!;
      if (b.active) b.fold(st.open, st.high, st.low, st.close, st.volume);
    }
    for (let i = 0; i < HIGHER.length; i++) {
      const b = st.current[i]!;
      if (b.active && b.end <= st.minuteEnd) this.closeBucket(st, i, out);
    }
  }

  private closeBucket(st: SymbolState, i: number, out: Bar[]): void {
    const b = st.current[i]!;
    b.active = false;
    if (!b.filled) return;
    const bar = this.bucketBar(st, i, b, false, true);
    out.push(bar);
    const recycled = st.previous[i]!;
    recycled.active = false;
    recycled.closedBar = null;
    recycled.seed = null;
    st.previous[i] = b;
    st.current[i] = recycled;
    b.closedBar = bar;
    // Corrections reach back at most to the most recently closed session; older minutes can go.
    if (i === DAILY_INDEX) {
      const keepFrom = lowerBound(st.minutes, b.start);
      if (keepFrom > 0) st.minutes.splice(0, keepFrom);
    }
  }

  /** A late minute bar: replace the minute and rebuild the buckets that can still change. */
  private correct(st: SymbolState, start: number, session: Session | null, bar: Bar, out: Bar[]): void {
    const fixed = makeBar(st.symbol, '1m', start, bar.open, bar.high, bar.low, bar.close, bar.volume, true);
    out.push(fixed);
    if (session === null) return;
    const minutes = st.minutes;
    const at = lowerBound(minutes, start);
    if (minutes[at]?.start === start) minutes[at] = fixed;
    else minutes.splice(at, 0, fixed);
    const withMinute = st.minuteActive && st.minuteSession !== null;
    for (let i = 0; i < HIGHER.length; i++) {
      const b = st.current[i]!;
      if (b.active && start >= b.start && start < b.end && start >= b.seedEnd) {
        b.rebuild(minutes);
        if (b.filled || withMinute) out.push(this.bucketBar(st, i, b, withMinute, false));
      }
      const p = st.previous[i]!;
      if (p.closedBar !== null && start >= p.start && start < p.end) this.rebuildClosed(st, i, start, out);
    }
  }

  /** Re-emits the most recently closed bar of a timeframe, rebuilt after its minute at `start` changed. */
  private rebuildClosed(st: SymbolState, i: number, start: number, out: Bar[]): void {
    const p = st.previous[i]!;
    if (start < p.seedEnd) return;
    p.rebuild(st.minutes);
    const rebuilt = this.bucketBar(st, i, p, false, true);
    p.closedBar = rebuilt;
    out.push(rebuilt);
  }

  private emitForming(st: SymbolState, out: Bar[]): void {
    if (!st.minuteActive) return;
    out.push(makeBar(st.symbol, '1m', st.minuteStart, st.open, st.high, st.low, st.close, st.volume, false));
    if (st.minuteSession === null) return;
    for (let i = 0; i < HIGHER.length; i++) {
      const b = st.current[i]!;
      if (b.active) out.push(this.bucketBar(st, i, b, true, false));
    }
  }

  /** The bar of a bucket: its base, plus the forming minute when `withMinute`. */
  private bucketBar(st: SymbolState, i: number, b: BucketState, withMinute: boolean, closed: boolean): Bar {
    const timeframe = HIGHER[i]!;
    if (!withMinute) {
      return makeBar(st.symbol, timeframe, b.start, b.open, b.high, b.low, b.close, b.volume, closed);
    }
    if (!b.filled) {
      return makeBar(st.symbol, timeframe, b.start, st.open, st.high, st.low, st.close, st.volume, closed);
    }
    return makeBar(
      st.symbol,
      timeframe,
      b.start,
      b.open,
      st.high > b.high ? st.high : b.high,
      st.low < b.low ? st.low : b.low,
      st.close,
      b.volume + st.volume,
      closed,
    );
  }
}

function minuteStartOf(session: Session | null, t: number): number {
  return session === null
    ? Math.floor(t / MINUTE_MS) * MINUTE_MS
    : session.open + Math.floor((t - session.open) / MINUTE_MS) * MINUTE_MS;
}

function minuteEndOf(session: Session | null, start: number): number {
  return session === null ? start + MINUTE_MS : Math.min(start + MINUTE_MS, session.close);
}
