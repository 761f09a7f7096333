/**
 * Live bar aggregation: trades and authoritative 1-minute bars in, forming and closed bars of every
 * timeframe out, aligned to each symbol's session calendar (see session-buckets.ts for the bucket rule).
 *
 * Model, per symbol:
 * - one forming minute, built from trades; an authoritative minute bar replaces it (never adds to it);
 * - the higher timeframes' buckets nest (5m in 15m in 1h in 4h in 1D: lengths that divide each other,
 *   counted from the same session open and clipped at the same close), so the forming buckets form a
 *   chain, and aggregation cascades: a finalised minute is folded into the lowest forming bucket holding
 *   it, and a bucket that closes is folded into the next forming bucket above it. Each bucket's `base`
 *   holds what it has beyond the forming buckets below it, and its forming bar is its base + the bases
 *   below + the forming minute. So a minute costs one fold, replacing the forming minute touches nothing
 *   else, and a closing bucket costs one fold more;
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
 * VWAP and trade count: a higher bar carries `tradeCount` = the sum of its minutes' counts and `vwap` =
 * the volume-weighted mean of its minutes' VWAPs (sum of vwap x volume over sum of volume), each only
 * when every minute in it has one (and, for vwap, the volume is positive); otherwise the field is absent.
 * Minutes built from trades carry neither.
 *
 * Output: by default (`forming: 'emit'`) every call returns the bars it closed, then the forming bars it
 * changed, as a live chart needs them. With `forming: 'on-demand'` calls return closed bars only and
 * forming bars are read when wanted (`formingBars`, `takeChangedSymbols`): a caller that stores or
 * publishes forming bars at its own pace (snapshots, one frame per interval) skips building five bars
 * per minute it would throw away. Bars returned are never touched again by the aggregator. An
 * authoritative minute bar on a minute boundary is returned as the closed 1m bar itself, not copied, and
 * kept for corrections: callers must treat the bars they pass in as immutable (they are messages).
 */
import type { Bar, Trade } from '../../shared/domain';
import { TIMEFRAMES, type Timeframe } from '../../shared/domain/timeframes';
import type { Session, SessionCalendar } from './calendar';
import { OhlcvAggregate, barOfSums, pvOf } from './ohlcv-aggregate';
import { bucketEndIn, bucketStartIn, timeframeMs } from './session-buckets';

const MINUTE_MS = 60_000;

type HigherTimeframe = Exclude<Timeframe, '1m'>;
/** Shortest first: the cascade relies on each bucket nesting inside the next one's. */
const HIGHER: readonly HigherTimeframe[] = TIMEFRAMES.filter((tf): tf is HigherTimeframe => tf !== '1m');
const HIGHER_MS: readonly number[] = HIGHER.map(timeframeMs);
const LEVELS = HIGHER.length;
const DAILY_INDEX = HIGHER.indexOf('1D');

export interface BarAggregatorOptions {
  /**
   * The calendar a symbol trades on, where it is not the aggregator's own (a 24/7 crypto symbol among
   * NYSE stocks). Asked once per symbol, on its first bar or trade.
   */
  calendarOf?: (symbol: string) => SessionCalendar;
  /** 'emit' (default): calls return the forming bars they changed; 'on-demand': closed bars only. */
  forming?: 'emit' | 'on-demand';
}

/** One higher-timeframe bucket: the forming one, or the most recently closed one (kept for corrections). */
class BucketState extends OhlcvAggregate {
  active = false;
  start = 0;
  end = 0;
  /**
   * What a restored bar contributed (opaque: it cannot be split into minutes), and the first minute not
   * in it. Minutes before seedEnd are inside the seed; Infinity until the first minute after a restore.
   * The base (this aggregate) holds only what came after the seed.
   */
  seed: OhlcvAggregate | null = null;
  seedEnd = -Infinity;
  /** The closed bar, while this record holds the most recently closed bucket. */
  closedBar: Bar | null = null;

  reset(start: number, end: number): void {
    this.active = true;
    this.start = start;
    this.end = end;
    this.filled = false;
    this.seed = null;
    this.seedEnd = -Infinity;
    this.closedBar = null;
  }

  /** Rebuilds the base from the kept minutes (sorted by start) after the seed and before `until`. */
  rebuild(minutes: readonly Bar[], until: number): void {
    this.filled = false;
    for (let i = lowerBound(minutes, Math.max(this.start, this.seedEnd)); i < minutes.length; i++) {
      const m = minutes[i]!;
      if (m.start >= until) break;
      this.foldBar(m);
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

class SymbolState extends OhlcvAggregate {
  minuteActive = false;
  minuteStart = 0;
  minuteEnd = 0;
  minuteSession: Session | null = null;
  /** The authoritative bar the forming minute holds, returned as its closed 1m bar; null if built here. */
  given: Bar | null = null;
  /** Minutes ending at or before this are final. */
  doneBefore = -Infinity;
  /**
   * While every bucket is forming and none waits for its seed's end: the earliest bucket end. A minute
   * starting before it opens nothing, and one ending before it closes nothing. -Infinity otherwise.
   */
  quietUntil = -Infinity;
  current: BucketState[] = HIGHER.map(() => new BucketState());
  previous: BucketState[] = HIGHER.map(() => new BucketState());
  /** Finalised in-session 1m bars, sorted by start, since the most recently closed 1D bucket's start. */
  minutes: Bar[] = [];
  /** Bars closed by restore(), handed out with this symbol's next output. */
  pending: Bar[] | null = null;
  /** Whether the forming bars changed since takeChangedSymbols() last reported this symbol. */
  changed = false;
  /** Last session looked up, and the last known closed stretch [gapStart, gapEnd): most lookups hit these. */
  session: Session | null = null;
  gapStart = 0;
  gapEnd = 0;

  constructor(
    readonly symbol: string,
    readonly calendar: SessionCalendar,
  ) {
    super();
  }

  sessionAt(t: number): Session | null {
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
   * Opens the forming minute, empty: it is this aggregate (filled while active), so fold its values in
   * next. `given` is the closed 1m bar to hand out when it is final; null: one is built from the fold.
   */
  openMinute(given: Bar | null): void {
    this.minuteActive = true;
    this.given = given;
    this.filled = false;
  }

  /** The forming minute as a bar. */
  minuteBar(closed: boolean): Bar {
    return this.toBar(this.symbol, '1m', this.minuteStart, closed);
  }

  /** The lowest forming bucket holding t, or null. */
  lowestHolding(t: number, from: number): BucketState | null {
    for (let i = from; i < LEVELS; i++) {
      const b = this.current[i]!;
      if (b.active && t >= b.start && t < b.end) return b;
    }
    return null;
  }

  updateQuiet(): void {
    let until = Infinity;
    for (let i = 0; i < LEVELS; i++) {
      const b = this.current[i]!;
      if (!b.active || b.seedEnd === Infinity) {
        this.quietUntil = -Infinity;
        return;
      }
      if (b.end < until) until = b.end;
    }
    this.quietUntil = until;
  }
}

export class BarAggregator {
  private readonly states = new Map<string, SymbolState>();
  private readonly calendarOf: ((symbol: string) => SessionCalendar) | undefined;
  private readonly emitForming: boolean;
  /** Symbols whose forming bars changed since takeChangedSymbols() (each at most once). */
  private changed: SymbolState[] = [];
  /** The latest time given to onTime. */
  private clock = -Infinity;
  /** Scratch space for composing a bar. */
  private readonly bar = new OhlcvAggregate();

  constructor(
    readonly calendar: SessionCalendar,
    options: BarAggregatorOptions = {},
  ) {
    this.calendarOf = options.calendarOf;
    this.emitForming = (options.forming ?? 'emit') === 'emit';
  }

  /**
   * Adds a trade to its minute and every higher timeframe; returns bars closed by it, then (when emitting
   * forming bars) the forming ones.
   */
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
      const session = st.sessionAt(t);
      const start = minuteStartOf(session, t);
      const end = minuteEndOf(session, start);
      if (end <= st.doneBefore || end <= this.clock) return out;
      this.enterMinute(st, start, session, out);
      st.openMinute(null);
      st.fold(price, price, price, price, trade.size, NaN, NaN);
    }
    this.markChanged(st);
    if (this.emitForming) this.pushForming(st, out, true);
    return out;
  }

  /**
   * An authoritative closed 1-minute bar: replaces the minute built from trades, returns it closed and the
   * higher bars it updated (closed where this minute ends their bucket; forming ones only when emitting
   * forming bars). A bar for a final minute is a correction (see the module comment). Throws RangeError
   * for a bar of another timeframe.
   */
  onMinuteBar(bar: Bar): Bar[] {
    if (bar.timeframe !== '1m') throw new RangeError(`onMinuteBar takes 1m bars, got ${bar.timeframe}`);
    const st = this.stateOf(bar.symbol);
    if (st.pending === null && !st.minuteActive && !this.emitForming) {
      // The common case, in short: the next minute of the session, inside the forming 5m bucket, nothing
      // late, nothing ended on the clock. One fold (and the closes, if it ends the bucket); the bar itself
      // is the closed 1m bar.
      const t = bar.start;
      const session = st.minuteSession;
      if (
        session !== null &&
        bar.closed &&
        t >= st.doneBefore &&
        t >= session.open &&
        (t === st.minuteEnd || (t - session.open) % MINUTE_MS === 0) &&
        t + MINUTE_MS <= st.quietUntil &&
        this.clock < st.quietUntil
      ) {
        const end = t + MINUTE_MS;
        st.minuteStart = t;
        st.minuteEnd = end;
        st.doneBefore = end;
        st.minutes.push(bar);
        st.current[0]!.foldBar(bar);
        this.markChanged(st);
        if (end < st.quietUntil) return [bar];
        // The last minute of its 5m bucket (and maybe of more).
        const out = [bar];
        this.closeEnded(st, session, end, out);
        return out;
      }
    }
    const out = this.takePending(st);
    const session = st.sessionAt(bar.start);
    const start = minuteStartOf(session, bar.start);
    let intoClosed = 0;
    if (!(st.minuteActive && start === st.minuteStart)) {
      if (minuteEndOf(session, start) <= st.doneBefore) {
        this.correct(st, start, session, bar, out);
        this.markChanged(st);
        return out;
      }
      intoClosed = this.enterMinute(st, start, session, out);
    }
    st.openMinute(closedMinuteBar(st.symbol, start, bar));
    st.foldBar(bar);
    this.finishMinute(st, out);
    this.markChanged(st);
    if (session === null) return out;
    // Nothing ended on the clock, nothing was late, nobody wants forming bars: done.
    if (intoClosed === 0 && !this.emitForming && this.clock < st.quietUntil) return out;
    const clock = this.clock;
    for (let i = 0; i < LEVELS; i++) {
      const b = st.current[i]!;
      if (b.active && b.end <= clock) this.closeBucket(st, i, out);
      if (intoClosed !== 0 && (intoClosed & (1 << i)) !== 0) this.rebuildClosed(st, i, start, out);
    }
    if (this.emitForming) this.pushForming(st, out, false);
    return out;
  }

  /** Market time reached t with no data: closes, for every symbol, each forming bar whose bucket ended by t. */
  onTime(t: number): Bar[] {
    const out: Bar[] = [];
    for (const st of this.states.values()) {
      const before = out.length;
      if (st.pending !== null) {
        for (const bar of st.pending) out.push(bar);
        st.pending = null;
      }
      if (st.minuteActive && st.minuteEnd <= t) this.finishMinute(st, out);
      if (t >= st.quietUntil) {
        for (let i = 0; i < LEVELS; i++) {
          const b = st.current[i]!;
          if (b.active && b.end <= t) this.closeBucket(st, i, out);
        }
      }
      if (out.length > before) this.markChanged(st);
    }
    if (t > this.clock) this.clock = t;
    return out;
  }

  /** The forming bars of a symbol (what a store snapshot or restore() round trip needs). */
  formingBars(symbol: string): Bar[] {
    const st = this.states.get(symbol);
    const out: Bar[] = [];
    if (st !== undefined) this.pushForming(st, out, st.minuteActive);
    return out;
  }

  /**
   * The symbols whose forming bars changed (updated, opened or closed) since the last call, in the order
   * they first changed; each call starts a new round.
   */
  takeChangedSymbols(): string[] {
    const states = this.changed;
    if (states.length === 0) return [];
    this.changed = [];
    const symbols = new Array<string>(states.length);
    for (let i = 0; i < states.length; i++) {
      const st = states[i]!;
      st.changed = false;
      symbols[i] = st.symbol;
    }
    return symbols;
  }

  /**
   * Seeds state after a restart from the bars the store holds. Per symbol and timeframe, the forming bar
   * with the latest start is resumed (so a 1D bar resumed at 11:00 still holds the morning). Pass the
   * symbol's latest 1m bar too (forming or closed): it tells which minutes the resumed bars already hold,
   * so that minute is replaced, not counted twice. Without it the resumed bars are taken to hold every
   * minute before the first one that arrives. Other forming bars (older, or whose bucket had already
   * ended) are handed out closed with the symbol's next output. Bars not on a bucket boundary of the
   * symbol's calendar are ignored. Replaces any state the symbols had.
   */
  restore(bars: readonly Bar[]): void {
    const bySymbol = new Map<string, Bar[]>();
    for (const bar of bars) {
      const list = bySymbol.get(bar.symbol);
      if (list === undefined) bySymbol.set(bar.symbol, [bar]);
      else list.push(bar);
    }
    for (const [symbol, list] of bySymbol) {
      const previous = this.states.get(symbol);
      if (previous !== undefined && previous.changed)
        this.changed = this.changed.filter((s) => s !== previous);
      const st = this.newState(symbol);
      this.states.set(symbol, st);
      this.restoreSymbol(st, list);
      this.markChanged(st);
    }
  }

  /** Forgets every symbol and the clock: the aggregator is as new (a replay seeking back). */
  reset(): void {
    this.states.clear();
    this.changed = [];
    this.clock = -Infinity;
  }

  private restoreSymbol(st: SymbolState, bars: Bar[]): void {
    const pending: Bar[] = [];
    const latest = new Map<Timeframe, Bar>();
    for (const bar of [...bars].sort((a, b) => a.start - b.start)) {
      if (!this.isAligned(st, bar)) continue;
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

    const minuteSession = minute === undefined ? null : st.sessionAt(minute.start);
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
        st.openMinute(null);
        st.foldBar(minute);
      }
    } else {
      for (const h of seeds) if (h !== undefined && h.start > st.doneBefore) st.doneBefore = h.start;
    }

    for (let i = 0; i < LEVELS; i++) {
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
      const session = st.sessionAt(h.start)!;
      b.reset(h.start, bucketEndIn(session, HIGHER_MS[i]!, h.start));
      const seed = new OhlcvAggregate();
      seed.foldBar(h);
      const minuteInside = minute !== undefined && minute.start >= b.start && minute.start < b.end;
      if (minute === undefined) {
        b.seed = seed;
        b.seedEnd = Infinity;
      } else if (minuteInside) {
        b.seedEnd = minute.start;
        if (minute.start > b.start) {
          // The resumed bar includes this minute; only its volume (and what sums with it) can be taken out.
          seed.pv -= pvOf(minute);
          seed.trades -= minute.tradeCount ?? NaN;
          seed.volume = Math.max(0, h.volume - minute.volume);
          b.seed = seed;
        }
      } else {
        b.seed = seed;
        b.seedEnd = Infinity;
      }
    }
    if (minute !== undefined && minute.closed && minuteSession !== null) {
      st.lowestHolding(minute.start, 0)?.foldBar(minute);
    }
    for (let i = 0; i < LEVELS; i++) {
      const b = st.current[i]!;
      if (b.active && b.end <= st.doneBefore) this.closeBucket(st, i, pending);
    }
    if (pending.length > 0) st.pending = pending;
  }

  private isAligned(st: SymbolState, bar: Bar): boolean {
    const session = st.sessionAt(bar.start);
    if (bar.timeframe === '1m') return minuteStartOf(session, bar.start) === bar.start;
    if (session === null) return false;
    return bucketStartIn(session, timeframeMs(bar.timeframe), bar.start) === bar.start;
  }

  private stateOf(symbol: string): SymbolState {
    let st = this.states.get(symbol);
    if (st === undefined) {
      st = this.newState(symbol);
      this.states.set(symbol, st);
    }
    return st;
  }

  private newState(symbol: string): SymbolState {
    return new SymbolState(symbol, this.calendarOf?.(symbol) ?? this.calendar);
  }

  private markChanged(st: SymbolState): void {
    if (st.changed) return;
    st.changed = true;
    this.changed.push(st);
  }

  private takePending(st: SymbolState): Bar[] {
    const pending = st.pending;
    if (pending === null) return [];
    st.pending = null;
    return pending;
  }

  /**
   * Time moved to a new minute: finalise the forming one, close ended buckets, open the new ones. Returns
   * a bit per higher timeframe whose bucket for this minute was already closed by onTime (its bar must be
   * rebuilt once the minute is final).
   */
  private enterMinute(st: SymbolState, start: number, session: Session | null, out: Bar[]): number {
    if (st.minuteActive) this.finishMinute(st, out);
    let intoClosed = 0;
    if (!(start < st.quietUntil && session === st.minuteSession)) {
      for (let i = 0; i < LEVELS; i++) {
        const b = st.current[i]!;
        if (b.active) {
          if (b.end > start) {
            if (session !== null && b.seedEnd === Infinity) b.seedEnd = start;
            continue;
          }
          this.closeBucket(st, i, out);
        }
        if (session === null) continue;
        const p = st.previous[i]!;
        if (p.closedBar !== null && start >= p.start && start < p.end) {
          intoClosed |= 1 << i;
          continue;
        }
        const lengthMs = HIGHER_MS[i]!;
        const bucketStart = bucketStartIn(session, lengthMs, start);
        st.current[i]!.reset(bucketStart, bucketEndIn(session, lengthMs, bucketStart));
      }
      st.updateQuiet();
    }
    st.minuteStart = start;
    st.minuteEnd = minuteEndOf(session, start);
    st.minuteSession = session;
    if (start > st.doneBefore) st.doneBefore = start;
    return intoClosed;
  }

  /** The forming minute is final: emit it closed, fold it into its lowest bucket, close those it ends. */
  private finishMinute(st: SymbolState, out: Bar[]): void {
    st.minuteActive = false;
    const bar = st.given ?? st.minuteBar(true);
    st.given = null;
    out.push(bar);
    const end = st.minuteEnd;
    if (end > st.doneBefore) st.doneBefore = end;
    if (st.minuteSession === null) return;
    st.minutes.push(bar);
    const lowest = st.current[0]!;
    if (lowest.active && st.minuteStart >= lowest.start && st.minuteStart < lowest.end)
      lowest.foldAggregate(st);
    else st.lowestHolding(st.minuteStart, 1)?.foldAggregate(st);
    if (end < st.quietUntil) return;
    this.closeEnded(st, st.minuteSession, end, out);
  }

  /**
   * Closes the buckets that end at `end` (a minute's end in `session`), and opens the ones right after
   * them, so the next minute finds them ready. No later minute can belong to a bucket a minute ended (it
   * would be final); one that stays empty closes without a bar.
   */
  private closeEnded(st: SymbolState, session: Session, end: number, out: Bar[]): void {
    let ended = 0;
    for (let i = 0; i < LEVELS; i++) {
      const b = st.current[i]!;
      if (b.active && b.end <= end) {
        if (b.end === end) ended |= 1 << i;
        this.closeBucket(st, i, out);
      }
    }
    if (ended !== 0 && end < session.close) {
      for (let i = 0; i < LEVELS; i++) {
        if ((ended & (1 << i)) === 0) continue;
        st.current[i]!.reset(end, bucketEndIn(session, HIGHER_MS[i]!, end));
      }
      st.updateQuiet();
    }
  }

  /**
   * Closes the forming bucket of level i: its bar (seed + base: the buckets below it closed before it, in
   * level order) goes out, its base into the next forming bucket above that holds it.
   */
  private closeBucket(st: SymbolState, i: number, out: Bar[]): void {
    const b = st.current[i]!;
    b.active = false;
    st.quietUntil = -Infinity;
    if (!b.filled && b.seed === null) return;
    if (b.filled) st.lowestHolding(b.start, i + 1)?.foldAggregate(b);
    const bar = this.closedBarOf(st, i, b);
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
    const fixed = closedMinuteBar(st.symbol, start, bar);
    out.push(fixed);
    if (session === null) return;
    const minutes = st.minutes;
    const at = lowerBound(minutes, start);
    if (minutes[at]?.start === start) minutes[at] = fixed;
    else minutes.splice(at, 0, fixed);
    let rebuilt = 0;
    for (let i = 0; i < LEVELS; i++) {
      const b = st.current[i]!;
      if (b.active && start >= b.start && start < b.end && start >= b.seedEnd) {
        b.rebuild(minutes, this.lowerStart(st, i, b.end));
        rebuilt |= 1 << i;
      }
      const p = st.previous[i]!;
      if (p.closedBar !== null && start >= p.start && start < p.end) this.rebuildClosed(st, i, start, out);
    }
    if (rebuilt !== 0 && this.emitForming) {
      this.pushForming(st, out, st.minuteActive && st.minuteSession !== null, rebuilt, false);
    }
  }

  /** Where the forming buckets below level i begin (their minutes are theirs), or `end` if none forms. */
  private lowerStart(st: SymbolState, i: number, end: number): number {
    for (let j = i - 1; j >= 0; j--) {
      const b = st.current[j]!;
      if (b.active) return b.start;
    }
    return end;
  }

  /** Re-emits the most recently closed bar of a timeframe, rebuilt after its minute at `start` changed. */
  private rebuildClosed(st: SymbolState, i: number, start: number, out: Bar[]): void {
    const p = st.previous[i]!;
    if (start < p.seedEnd) return;
    p.rebuild(st.minutes, p.end);
    const rebuilt = this.closedBarOf(st, i, p);
    p.closedBar = rebuilt;
    out.push(rebuilt);
  }

  private closedBarOf(st: SymbolState, i: number, b: BucketState): Bar {
    return this.seedAndBase(b).toBar(st.symbol, HIGHER[i]!, b.start, true);
  }

  /** A bucket's seed (if any) and base, oldest first, in the scratch aggregate. */
  private seedAndBase(b: BucketState): OhlcvAggregate {
    const whole = this.bar;
    whole.clear();
    if (b.seed !== null) whole.foldAggregate(b.seed);
    whole.foldAggregate(b);
    return whole;
  }

  /**
   * Pushes the forming minute (when `withMinute`, unless `minuteBar` is false) and the forming bar of every
   * forming bucket (of the levels in `levels`, a bit per level): seed + base + the bases of the forming
   * buckets below (later in time, bottom up) + the forming minute.
   */
  private pushForming(st: SymbolState, out: Bar[], withMinute: boolean, levels = -1, minuteBar = true): void {
    if (withMinute && minuteBar) out.push(st.minuteBar(false));
    if (withMinute && st.minuteSession === null) return;
    // The chain below the current level (its bases, then the minute), in locals: this runs per trade.
    let filled = withMinute;
    let open = st.open;
    let high = st.high;
    let low = st.low;
    let volume = st.volume;
    let pv = st.pv;
    let trades = st.trades;
    let chainClose = st.close;
    for (let i = 0; i < LEVELS; i++) {
      const b = st.current[i]!;
      if (!b.active) continue;
      if ((levels & (1 << i)) !== 0) {
        const timeframe = HIGHER[i]!;
        if (b.seed !== null) {
          // seed + base + chain, oldest first (a seed lives only until its bucket closes after a restore).
          const whole = this.seedAndBase(b);
          if (filled) whole.fold(open, high, low, chainClose, volume, pv, trades);
          if (whole.filled) out.push(whole.toBar(st.symbol, timeframe, b.start, false));
        } else if (b.filled && filled) {
          out.push(
            barOfSums(
              st.symbol,
              timeframe,
              b.start,
              b.open,
              b.high > high ? b.high : high,
              b.low < low ? b.low : low,
              chainClose,
              b.volume + volume,
              b.pv + pv,
              b.trades + trades,
              false,
            ),
          );
        } else if (b.filled) {
          out.push(b.toBar(st.symbol, timeframe, b.start, false));
        } else if (filled) {
          out.push(
            barOfSums(st.symbol, timeframe, b.start, open, high, low, chainClose, volume, pv, trades, false),
          );
        }
      }
      // The chain below the next level: this base, then everything later.
      if (b.filled) {
        if (filled) {
          open = b.open;
          if (b.high > high) high = b.high;
          if (b.low < low) low = b.low;
          volume += b.volume;
          pv += b.pv;
          trades += b.trades;
        } else {
          filled = true;
          open = b.open;
          high = b.high;
          low = b.low;
          chainClose = b.close;
          volume = b.volume;
          pv = b.pv;
          trades = b.trades;
        }
      }
    }
  }
}

/**
 * A minute bar as the closed 1m bar of the minute starting at `start`: the bar itself when it is closed
 * and starts there (bars passed in are immutable messages), else a closed copy of its values at `start`.
 */
function closedMinuteBar(symbol: string, start: number, bar: Bar): Bar {
  if (bar.closed && bar.start === start) return bar;
  const { open, high, low, close, volume } = bar;
  return barOfSums(
    symbol,
    '1m',
    start,
    open,
    high,
    low,
    close,
    volume,
    pvOf(bar),
    bar.tradeCount ?? NaN,
    true,
  );
}

function minuteStartOf(session: Session | null, t: number): number {
  return session === null
    ? Math.floor(t / MINUTE_MS) * MINUTE_MS
    : session.open + Math.floor((t - session.open) / MINUTE_MS) * MINUTE_MS;
}

function minuteEndOf(session: Session | null, start: number): number {
  return session === null ? start + MINUTE_MS : Math.min(start + MINUTE_MS, session.close);
}
