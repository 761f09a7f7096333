/**
 * The Alpaca feed behind the MarketFeed port: stock bars, updated bars, daily bars, trades and quotes
 * from the v2 stream, and REST catch-ups so that the store holds every minute once.
 *
 * On every (re)connect, per symbol:
 *   1. subscribe first; everything streamed for the symbol is held (in arrival order);
 *   2. fetch the minutes from the newest one known (stored or streamed, minus a short overlap that
 *      picks up updated bars a drop swallowed) up to the first held minute, or up to now when none is
 *      held yet; then the official daily bars from the newest stored day;
 *   3. release what was held; from then on data flows straight through.
 * When no minute was held at release while the session is open, the first streamed minute is checked
 * against the last one emitted and any seam between them is fetched the same way (the REST history
 * may lag the stream by a moment). The market layer cannot read the store: the mode passes
 * `history.lastStoredStart`.
 *
 * Updated bars go to the sink as minute bars (they replace the stored minute and flow through
 * aggregation as corrections); daily bars as official daily bars; trades as trades (they build the
 * forming minute between Alpaca's minute bars). Quotes are kept, latest per symbol (`latestQuote`).
 * Market time advances on the injected timers, `graceMs` behind the exchange so a minute bar that
 * arrives a moment after its minute still lands in an open bucket.
 *
 * States say plainly what happened: until the first connection the feed is `starting` ("cannot reach
 * Alpaca at <host> (no internet connection, or blocked by a firewall?); retrying in 33 s [ENOTFOUND]"),
 * afterwards `reconnecting` ("lost the connection to Alpaca ..."). Each state goes to the sink with
 * the level it deserves in the log: a connection or catch-up that keeps failing for the same cause is a
 * warning once, and again only when the cause changes (every retry is at debug); refused keys are an
 * error; a recovery after trouble is info.
 */
import type { AlpacaKeys, Bar, FeedState, SymbolInfo, Trade } from '../../../shared/domain';
import type { SessionCalendar } from '../../core/calendar';
import { DEFAULT_UNIVERSE } from '../../core/synthetic/market';
import type { Timers } from '../../platform/clock';
import type { Logger, LogLevel } from '../../platform/log';
import { redact, redactingLogger } from '../../platform/secrets';
import type { FeedSink, MarketFeed } from '../feed';
import { barPages, planDailyCatchUp, planMinuteCatchUp } from './backfill';
import { CalendarCheck } from './calendar-check';
import type { AlpacaConfig } from './config';
import {
  dailyBarFromRest,
  dailyBarFromStream,
  localDate,
  minuteBarFromRest,
  minuteBarFromStream,
  quoteFromStream,
  tradeFromStream,
  type Quote,
} from './mapper';
import { withCode } from '../../platform/network-error';
import { AbortedError, AlpacaRest, waitFor } from './rest';
import { AlpacaStockStream, STREAM_ERRORS, type StreamEvent, type StreamTuning } from './stream';
import { catchUpFailed, formatDelay, streamConnecting, streamRetrying } from './trouble';

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface AlpacaFeedTuning {
  /** Sessions of minute bars fetched for a symbol the store has none of. */
  initialMinuteSessions: number;
  /** Sessions of daily bars fetched for a symbol the store has none of. */
  initialDailySessions: number;
  /** The longest gap (in sessions) filled automatically. */
  maxGapSessions: number;
  overlapMinutes: number;
  /** How far market time trails the exchange clock, ms. */
  graceMs: number;
  /** Market-time tick period, ms. */
  tickMs: number;
  /** Wait before retrying a failed catch-up, ms (doubles up to 5 minutes). */
  catchUpRetryMs: number;
  /** Most trades held per symbol during a catch-up; more are dropped (the minute bars carry them). */
  maxHeldTrades: number;
  /** Most symbols with trades and quotes on the iex feed (Alpaca's free plan allows 30). */
  maxIexTradeSymbols: number;
  /** Bars per REST page. */
  pageLimit: number;
  stream: Partial<StreamTuning>;
}

export const DEFAULT_ALPACA_FEED_TUNING: AlpacaFeedTuning = {
  initialMinuteSessions: 5,
  initialDailySessions: 250,
  maxGapSessions: 30,
  overlapMinutes: 2,
  graceMs: 5_000,
  tickMs: 1_000,
  catchUpRetryMs: 30_000,
  maxHeldTrades: 20_000,
  maxIexTradeSymbols: 30,
  pageLimit: 10_000,
  stream: {},
};

/** What the feed may know about the store, without importing it. */
export interface StoredHistory {
  /** Start of the newest stored bar of `symbol` at 1m or 1D, or null when none. */
  lastStoredStart(symbol: string, timeframe: '1m' | '1D'): number | null;
}

export interface AlpacaFeedOptions {
  config: AlpacaConfig;
  keys: AlpacaKeys;
  calendar: SessionCalendar;
  timers: Timers;
  /** Uniform [0, 1) for reconnect jitter (seeded in tests). */
  random?: () => number;
  log: Logger;
  history: StoredHistory;
  tuning?: Partial<AlpacaFeedTuning>;
}

type Held = { kind: 'minute'; bar: Bar } | { kind: 'daily'; bar: Bar } | { kind: 'trade'; trade: Trade };

interface SymbolState {
  holding: boolean;
  held: Held[];
  heldTrades: number;
  /** Start of the first minute bar held in this catch-up (the catch-up fetches up to it). */
  firstHeldMinute: number | null;
  lastEmittedMinute: number | null;
  /** The first streamed minute after release must be checked for a seam. */
  seamCheck: boolean;
}

const NAMES = new Map<string, SymbolInfo>(
  DEFAULT_UNIVERSE.map((spec) => [spec.symbol, { symbol: spec.symbol, name: spec.name, kind: spec.kind }]),
);

/** A symbol's display info: the demo universe's where known, else the ticker itself as a stock. */
export function symbolInfo(symbol: string): SymbolInfo {
  return NAMES.get(symbol) ?? { symbol, name: symbol, kind: 'stock' };
}

export { formatDelay } from './trouble';

const clockFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export class AlpacaFeed implements MarketFeed {
  readonly speed = 1;
  readonly source: string;
  private readonly tuning: AlpacaFeedTuning;
  private readonly random: () => number;
  private readonly rest: AlpacaRest;
  private readonly stream: AlpacaStockStream;
  private readonly calendarCheck: CalendarCheck;
  private readonly states = new Map<string, SymbolState>();
  private readonly quotes = new Map<string, Quote>();
  private infos: SymbolInfo[];
  private interest: string[] | null = null;
  private sink: FeedSink | null = null;
  private stopped = false;
  private keys: AlpacaKeys;
  /** Bumped on every connect and drop: work started for an older connection stops emitting. */
  private generation = 0;
  private ready = false;
  private abort: AbortController | null = null;
  private tickTimer: unknown = null;
  /** A standing warning (e.g. the symbol limit) shown with the live or closed state. */
  private notice: string | null = null;
  private connectedOnce = false;
  /** What went wrong with the stream since it was last ready, as last logged (a cause is logged once). */
  private streamTrouble: string | null = null;
  /** The same for catch-ups. */
  private catchUpTrouble: string | null = null;
  private malformed = 0;
  private state: FeedState = 'starting';
  private message: string | null = null;
  /** Every line this feed logs, with the keys redacted (a server may echo them in an error). */
  private readonly log: Logger;

  constructor(private readonly options: AlpacaFeedOptions) {
    const { config } = options;
    this.tuning = { ...DEFAULT_ALPACA_FEED_TUNING, ...options.tuning };
    this.random = options.random ?? Math.random;
    this.keys = options.keys;
    this.log = redactingLogger(options.log, () => this.secrets());
    this.source = `alpaca ${config.feed}`;
    this.infos = config.symbols.map(symbolInfo);
    for (const symbol of config.symbols) this.states.set(symbol, this.freshState());
    this.rest = new AlpacaRest({
      dataUrl: config.dataUrl,
      tradingUrl: config.tradingUrl,
      keys: () => this.keys,
      timers: options.timers,
      random: this.random,
      onRateLimited: (waitMs) =>
        this.setState(
          this.state === 'live' || this.state === 'closed' ? this.state : 'backfilling',
          `Alpaca's rate limit was reached; waiting ${formatDelay(waitMs)} as it asked (Retry-After)`,
        ),
    });
    this.calendarCheck = new CalendarCheck(this.rest, options.calendar, this.log);
    this.stream = new AlpacaStockStream({
      url: config.stockStreamUrl,
      keys: options.keys,
      timers: options.timers,
      random: this.random,
      log: this.log,
      tuning: this.tuning.stream,
      isSessionOpen: () => options.calendar.sessionAt(this.exchangeNow()) !== null,
      listener: {
        status: (event) => this.onStreamEvent(event),
        bar: (payload) => this.onMinute(minuteBarFromStream(payload), true),
        updatedBar: (payload) => this.onMinute(minuteBarFromStream(payload), false),
        dailyBar: (payload) =>
          this.onDaily(dailyBarFromStream(payload, options.calendar, this.exchangeNow())),
        trade: (payload) => this.onTrade(tradeFromStream(payload)),
        quote: (payload) => {
          const quote = quoteFromStream(payload);
          if (quote) this.quotes.set(quote.symbol, quote);
          else this.reportMalformed();
        },
      },
    });
    this.stream.setChannels(this.channels());
  }

  get symbols(): readonly SymbolInfo[] {
    return this.infos;
  }

  start(sink: FeedSink): void {
    if (this.sink || this.stopped) throw new Error('the Alpaca feed can be started once');
    this.sink = sink;
    this.setState('starting', `connecting to Alpaca (${this.options.config.feed} feed)`);
    this.stream.start();
    this.scheduleTick();
  }

  stop(): void {
    if (this.stopped) return;
    this.setState('stopped', null);
    this.stopped = true;
    this.sink = null;
    this.generation++;
    this.abort?.abort();
    this.abort = null;
    this.stream.stop();
    if (this.tickTimer !== null) this.options.timers.clearTimeout(this.tickTimer);
    this.tickTimer = null;
  }

  /** The latest bid and ask of `symbol`, or null before its first quote. */
  latestQuote(symbol: string): Quote | null {
    return this.quotes.get(symbol) ?? null;
  }

  /** Changes the symbols followed while running: new ones are subscribed and caught up, gone ones dropped. */
  setSymbols(symbols: readonly string[]): void {
    const next = [...new Set(symbols)];
    for (const symbol of [...this.states.keys()]) {
      if (!next.includes(symbol)) this.states.delete(symbol);
    }
    const added = next.filter((symbol) => !this.states.has(symbol));
    for (const symbol of added) this.states.set(symbol, this.freshState());
    this.infos = next.map(symbolInfo);
    this.stream.setChannels(this.channels());
    if (this.ready && added.length > 0) void this.catchUp(added, this.generation);
  }

  /**
   * The symbols on screen: trades and quotes are subscribed for these only (bars for every symbol).
   * Alpaca's free plan streams trades and quotes for at most 30 symbols.
   */
  setInterest(symbols: readonly string[]): void {
    this.interest = [...new Set(symbols)];
    this.stream.setChannels(this.channels());
  }

  /** New keys (saved in the UI): a feed stopped on refused keys reconnects with them. */
  updateKeys(keys: AlpacaKeys): void {
    this.keys = keys;
    this.stream.setKeys(keys);
  }

  private freshState(): SymbolState {
    return {
      holding: true,
      held: [],
      heldTrades: 0,
      firstHeldMinute: null,
      lastEmittedMinute: null,
      seamCheck: false,
    };
  }

  private channels() {
    const bars = [...this.states.keys()];
    let trades = (this.interest ?? bars).filter((symbol) => this.states.has(symbol));
    if (this.options.config.feed === 'iex') trades = trades.slice(0, this.tuning.maxIexTradeSymbols);
    return { bars, trades, quotes: trades };
  }

  /** Exchange time the feed has reached: the wall clock, less the feed's delay. */
  private exchangeNow(): number {
    return this.options.timers.now() - this.options.config.delayMs;
  }

  /** The keys in use and any given before: what must never appear in a message. */
  private secrets(): string[] {
    return [this.keys.keyId, this.keys.secret, this.options.keys.keyId, this.options.keys.secret];
  }

  /**
   * Reports a state, to be logged at `level`; the message (shown to every client and logged) never
   * carries a key.
   */
  private setState(state: FeedState, message: string | null, level: LogLevel = 'info'): void {
    if (this.stopped) return;
    this.state = state;
    this.message = message === null ? null : redact(message, this.secrets());
    this.sink?.state(state, this.message, level);
  }

  // ---- the stream's life ----

  private onStreamEvent(event: StreamEvent): void {
    if (this.stopped) return;
    switch (event.kind) {
      case 'connecting': {
        const connecting = streamConnecting(event, this.connectedOnce, 'Alpaca');
        if (connecting) this.setState(connecting.state, connecting.message, 'debug');
        return;
      }
      case 'ready':
        this.onReady();
        return;
      case 'retrying': {
        this.onDown();
        const retrying = streamRetrying(
          event,
          this.options.config.stockStreamUrl,
          'market data',
          this.connectedOnce,
          this.streamTrouble,
        );
        this.streamTrouble = retrying.trouble;
        this.setState(retrying.state, retrying.message, retrying.level);
        return;
      }
      case 'halted':
        this.onDown();
        this.streamTrouble = `halted ${event.code}`;
        this.setState('error', this.explainHalt(event.code), 'error');
        return;
      case 'warning':
        this.notice = this.explainWarning(event.code, event.reason);
        this.log.warn(this.notice);
        this.tick();
        return;
    }
  }

  private onReady(): void {
    const first = !this.connectedOnce;
    this.connectedOnce = true;
    this.ready = true;
    const generation = ++this.generation;
    this.abort = new AbortController();
    this.streamTrouble = null;
    this.setState('backfilling', `connected${first ? '' : ' again'}; catching up on missed minutes`);
    void this.catchUp([...this.states.keys()], generation);
    if (first) void this.checkCalendar(this.abort.signal);
  }

  private onDown(): void {
    this.ready = false;
    this.notice = null;
    this.generation++;
    this.abort?.abort();
    this.abort = null;
    // Held data is dropped: the next catch-up fetches everything after the last minute emitted.
    for (const st of this.states.values()) {
      st.holding = true;
      st.held = [];
      st.heldTrades = 0;
      st.firstHeldMinute = null;
      st.seamCheck = false;
    }
  }

  private explainHalt(code: number): string {
    if (code === STREAM_ERRORS.insufficientSubscription) {
      return (
        `Your Alpaca market-data plan does not include the ${this.options.config.feed} feed ` +
        '(409 insufficient subscription). Use --feed iex (free) or delayed_sip, or upgrade the plan, then restart.'
      );
    }
    return (
      `Alpaca refused the API keys (${code} ${code === STREAM_ERRORS.authFailed ? 'auth failed' : 'not authenticated'}). ` +
      'Check APCA_API_KEY_ID and APCA_API_SECRET_KEY, or save new keys under Broker keys in the window: the feed reconnects when new keys are saved.'
    );
  }

  private explainWarning(code: number, reason: string): string {
    if (code === STREAM_ERRORS.symbolLimit) {
      return (
        'Alpaca refused some subscriptions (405 symbol limit exceeded): the free iex plan streams trades and ' +
        'quotes for at most 30 symbols. Bars still come for every symbol; choose fewer symbols to see live trades for all'
      );
    }
    return `Alpaca reported: ${reason} (${code})`;
  }

  // ---- streamed data ----

  private reportMalformed(): void {
    this.malformed++;
    if (this.malformed === 1 || this.malformed % 1000 === 0) {
      this.log.warn(`ignored ${this.malformed} malformed message(s) from Alpaca`);
    }
  }

  private onMinute(bar: Bar | null, streamedClose: boolean): void {
    if (!bar) return this.reportMalformed();
    const st = this.states.get(bar.symbol);
    if (!st || !this.sink) return;
    if (st.holding) {
      if (streamedClose && st.firstHeldMinute === null) st.firstHeldMinute = bar.start;
      st.held.push({ kind: 'minute', bar });
      return;
    }
    if (streamedClose && st.seamCheck) {
      st.seamCheck = false;
      if (st.lastEmittedMinute !== null && bar.start > st.lastEmittedMinute + MINUTE) {
        // A seam: hold this symbol again and fetch what lies between.
        st.holding = true;
        st.firstHeldMinute = bar.start;
        st.held.push({ kind: 'minute', bar });
        void this.catchUp([bar.symbol], this.generation, { minutesOnly: true });
        return;
      }
    }
    this.emitMinute(st, bar);
  }

  private onDaily(bar: Bar | null): void {
    if (!bar) return this.reportMalformed();
    const st = this.states.get(bar.symbol);
    if (!st || !this.sink) return;
    if (st.holding) st.held.push({ kind: 'daily', bar });
    else this.sink.officialDailyBar(bar);
  }

  private onTrade(trade: Trade | null): void {
    if (!trade) return this.reportMalformed();
    const st = this.states.get(trade.symbol);
    if (!st || !this.sink) return;
    if (!st.holding) {
      this.sink.trade(trade);
      return;
    }
    if (st.heldTrades >= this.tuning.maxHeldTrades) return;
    st.heldTrades++;
    st.held.push({ kind: 'trade', trade });
  }

  private emitMinute(st: SymbolState, bar: Bar): void {
    this.sink?.minuteBar(bar);
    if (st.lastEmittedMinute === null || bar.start > st.lastEmittedMinute) st.lastEmittedMinute = bar.start;
  }

  private release(symbol: string, st: SymbolState): void {
    const sink = this.sink;
    if (!sink) return;
    const held = st.held;
    st.held = [];
    st.heldTrades = 0;
    st.holding = false;
    const heldAMinute = st.firstHeldMinute !== null;
    st.firstHeldMinute = null;
    for (const item of held) {
      if (item.kind === 'minute') this.emitMinute(st, item.bar);
      else if (item.kind === 'daily') sink.officialDailyBar(item.bar);
      else sink.trade(item.trade);
    }
    st.seamCheck = !heldAMinute && this.options.calendar.sessionAt(this.exchangeNow()) !== null;
    this.log.debug(`${symbol}: released ${held.length} held message(s)`);
  }

  // ---- catching up over REST ----

  private current(generation: number): boolean {
    return !this.stopped && this.generation === generation;
  }

  private async catchUp(
    symbols: readonly string[],
    generation: number,
    how: { minutesOnly?: boolean } = {},
  ): Promise<void> {
    const signal = this.abort?.signal;
    let retryMs = this.tuning.catchUpRetryMs;
    const pending = [...symbols];
    while (pending.length > 0 && this.current(generation)) {
      const symbol = pending[0]!;
      const st = this.states.get(symbol);
      if (!st) {
        pending.shift();
        continue;
      }
      try {
        if (!how.minutesOnly) {
          const done = symbols.length - pending.length;
          // In the status for every symbol; in the log at debug (one line per symbol says little).
          this.setState('backfilling', `catching up ${symbol} (${done + 1} of ${symbols.length})`, 'debug');
        }
        // Where the stored daily history ends, read before the minutes below add their aggregated daily
        // bars: otherwise a store flushed meanwhile (the strategy model reads daily bars as each closes)
        // makes the newest aggregated day look like stored history, and the official catch-up fetches
        // only from there instead of the sessions it is meant to.
        const lastDaily = how.minutesOnly ? null : this.options.history.lastStoredStart(symbol, '1D');
        await this.catchUpMinutes(symbol, st, generation, signal);
        if (!how.minutesOnly) await this.catchUpDaily(symbol, lastDaily, generation, signal);
        if (!this.current(generation) || this.states.get(symbol) !== st) return;
        this.release(symbol, st);
        pending.shift();
        retryMs = this.tuning.catchUpRetryMs;
        this.catchUpTrouble = null;
      } catch (error) {
        if (error instanceof AbortedError || !this.current(generation)) return;
        const { why, technical, level, trouble } = catchUpFailed(error, this.catchUpTrouble);
        this.catchUpTrouble = trouble;
        this.setState(
          'backfilling',
          withCode(`catching up ${symbol} failed: ${why}; retrying in ${formatDelay(retryMs)}`, technical),
          level,
        );
        try {
          await waitFor(this.options.timers, retryMs, signal);
        } catch {
          return;
        }
        retryMs = Math.min(retryMs * 2, 5 * 60_000);
      }
    }
    if (this.current(generation) && !how.minutesOnly) this.afterCatchUp();
  }

  private async catchUpMinutes(
    symbol: string,
    st: SymbolState,
    generation: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const { calendar, config } = this.options;
    const tuning = this.tuning;
    const stored = this.options.history.lastStoredStart(symbol, '1m');
    const known = [stored, st.lastEmittedMinute].filter((t): t is number => t !== null);
    const plan = planMinuteCatchUp({
      lastKnown: known.length > 0 ? Math.max(...known) : null,
      now: this.exchangeNow(),
      calendar,
      initialSessions: tuning.initialMinuteSessions,
      maxSessions: tuning.maxGapSessions,
      overlapMinutes: known.length > 0 ? tuning.overlapMinutes : 0,
    });
    if (plan.clipped) {
      this.log.warn(
        `${symbol}: the gap since the last stored minute is longer than ${tuning.maxGapSessions} sessions; ` +
          `fetching from ${new Date(plan.from).toISOString()} only. Use "trm backfill" for the rest.`,
      );
    }
    // Up to the first held minute, else up to the minute now forming (excluded: it is not closed).
    const until = (): number => st.firstHeldMinute ?? Math.floor(this.exchangeNow() / MINUTE) * MINUTE;
    const pages = barPages(
      this.rest,
      {
        symbol,
        timeframe: '1Min',
        from: plan.from,
        to: until() - 1,
        feed: config.restFeed,
        pageLimit: tuning.pageLimit,
      },
      signal,
    );
    let count = 0;
    for await (const page of pages) {
      if (!this.current(generation)) return;
      const limit = until();
      for (const raw of page) {
        const bar = minuteBarFromRest(symbol, raw);
        if (!bar) {
          this.reportMalformed();
          continue;
        }
        if (bar.start < plan.from || bar.start >= limit) continue;
        this.emitMinute(st, bar);
        count++;
      }
    }
    if (count > 0)
      this.log.info(`${symbol}: caught up ${count} minute bar(s) from ${new Date(plan.from).toISOString()}`);
  }

  private async catchUpDaily(
    symbol: string,
    lastStored: number | null,
    generation: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const { calendar, config } = this.options;
    const now = this.exchangeNow();
    const from = planDailyCatchUp(lastStored, now, calendar, this.tuning.initialDailySessions);
    const pages = barPages(
      this.rest,
      { symbol, timeframe: '1Day', from, to: now, feed: config.restFeed, pageLimit: this.tuning.pageLimit },
      signal,
    );
    for await (const page of pages) {
      if (!this.current(generation)) return;
      for (const raw of page) {
        const bar = dailyBarFromRest(symbol, raw, calendar, this.exchangeNow());
        if (bar) this.sink?.officialDailyBar(bar);
      }
    }
  }

  private afterCatchUp(): void {
    this.tick();
  }

  private async checkCalendar(signal: AbortSignal): Promise<void> {
    const { calendar } = this.options;
    const now = this.exchangeNow();
    const from = localDate(
      planDailyCatchUp(null, now, calendar, this.tuning.initialDailySessions) + DAY,
      calendar.timeZone,
    );
    const to = localDate(now + 30 * DAY, calendar.timeZone);
    await this.calendarCheck.check(from, to, signal);
  }

  // ---- market time ----

  private scheduleTick(): void {
    if (this.stopped) return;
    this.tickTimer = this.options.timers.setTimeout(() => {
      this.tickTimer = null;
      this.tick();
      this.scheduleTick();
    }, this.tuning.tickMs);
  }

  /** Advances market time and keeps the state (live or closed) in step with the session. */
  private tick(): void {
    const sink = this.sink;
    if (!sink || !this.ready) return;
    for (const st of this.states.values()) if (st.holding) return;
    const now = this.exchangeNow();
    sink.time(now - this.tuning.graceMs);
    const open = this.options.calendar.sessionAt(now) !== null;
    const notes: string[] = [];
    if (open && this.options.config.delayMs > 0) notes.push('delayed 15 minutes (delayed_sip)');
    if (!open) {
      const next = this.options.calendar.sessionOnOrAfter(now);
      notes.push(`market closed; the next session opens ${clockFormat.format(new Date(next.open))} ET`);
    }
    if (this.notice) notes.push(this.notice);
    const state: FeedState = open ? 'live' : 'closed';
    const message = notes.length > 0 ? notes.join('. ') : null;
    if (state !== this.state || message !== this.message) this.setState(state, message);
  }
}
