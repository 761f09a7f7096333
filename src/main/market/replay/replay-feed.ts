/**
 * Replay of stored history as a feed: stored 1-minute bars delivered to the engine like a live feed's
 * (`minuteBar`, then `time`), so the same aggregation, store and (later) features, inference and broker
 * run on them. It also holds the replay's controls (the engine's ReplayControl): play, pause, step one
 * minute of market time, seek anywhere in the range, and speed from 1x to as fast as possible.
 *
 * A daily replay (`daily` instead of `minutes`) plays stored daily bars a session at a time: at each
 * session's close, that session's bars of every symbol go out together as closed 1D bars
 * (`historyBars`, ordered by symbol), then `time`; `step` moves on one session, to the next close.
 *
 * - Order: bars go out by end (a minute's end, a session's close), then symbol (code-unit order),
 *   window by window from the store: the same range gives the same sequence of bars, ties included, on
 *   every run and at every speed.
 * - Clock: a bar goes out when the replay clock reaches its end, never before, so the engine holds
 *   nothing after the clock. The pacer (../pacer.ts) moves the clock at `speed` market seconds per wall
 *   second and skips closed hours (nights and weekends); at 'max' it runs slices of bars and yields.
 * - Warm-up: before the range, the minutes of [warmFrom, from) go out as fast as possible (charts and
 *   indicators get recent history), after `history` (closed bars of coarser timeframes from before; a
 *   daily replay's whole warm-up).
 * - Seek: forward, the bars up to the target go out as fast as possible; backward, the feed first asks
 *   the engine to rewind (`FeedSink.rewind`) to the latest bucket boundary of every calendar at or before
 *   the target, then goes forward from there. A seek answers at once; while its bars go out the feed
 *   state is 'backfilling' and `time` is the target.
 * - States: 'live' while playing, 'paused', 'closed' once the range is over ('play' then starts over).
 */
import type {
  Bar,
  ReplayCommand,
  ReplayGranularity,
  ReplayState,
  Speed,
  SymbolInfo,
} from '../../../shared/domain';
import { calendarById, type SessionCalendar } from '../../core/calendar';
import type { Timers } from '../../platform/clock';
import type { FeedSink, MarketFeed } from '../feed';
import { Pacer } from '../pacer';
import { DailyCursor, type DailySource } from './daily-cursor';
import { MinuteCursor, type MinuteSource } from './minute-cursor';
import { bucketBoundaryAtOrBefore, closeAfter, openAtOrAfter } from './replay-range';

const MINUTE = 60_000;
/** Highest numeric speed (the contract's bound), lowest: real time. */
const MAX_SPEED = 1_000_000;
const MIN_SPEED = 1;
const HISTORY_CHUNK = 5_000;
const HEARTBEAT_MS = 1_000;

/** Where the replayed bars come from: stored 1-minute bars, or stored daily bars (a daily replay). */
export type ReplaySource = { minutes: MinuteSource; daily?: never } | { daily: DailySource; minutes?: never };

/** A read position in stored bars, in delivery order (MinuteCursor, DailyCursor). */
interface ReplayCursor {
  peek(): Bar | null;
  /** When the bar peek() returned goes out (the end of its minute, its session's close). */
  peekEnd(): number;
  skip(): void;
  seek(t: number): void;
}

export type ReplayFeedOptions = ReplayFeedSettings & ReplaySource;

export interface ReplayFeedSettings {
  symbols: readonly SymbolInfo[];
  /** First instant of the range (the first session's open), epoch ms UTC. */
  from: number;
  /** First instant after the range (the last session's close), epoch ms UTC. */
  to: number;
  /** Warm-up start (a bucket boundary of every calendar, at or before `from`). Default: `from`. */
  warmFrom?: number;
  /**
   * Closed bars (daily and the like) from before `from`, delivered once at the start; the warm-up's own
   * bars replace those of the sessions its minutes cover.
   */
  history?: readonly Bar[];
  /** The calendar of symbols that name none. */
  calendar: SessionCalendar;
  speed: Speed;
  timers: Timers;
  /** Play once warmed up. Default true. */
  autoplay?: boolean;
  /** Wall milliseconds between pacing ticks. Default 25. */
  tickMs?: number;
  /**
   * Bars per slice when running as fast as possible (seeks, warm-up, 'max'); a slice always finishes the
   * minute or session in hand. Default 5,000 minute bars; a daily replay: 1 (a session per slice).
   */
  barsPerSlice?: number;
  /**
   * Writes what the engine queued for its store (the mode wires the store's writer). Called after the
   * history and after each delivery of bars, so a replay at 'max' runs no more than a slice ahead of
   * what the engine has written. Optional: the minute replay's slices match the writer's own batch size.
   */
  flushWrites?: () => void;
}

/** A replay command that cannot be carried out; the message says why, for the trader. */
export class ReplayCommandError extends Error {
  override readonly name = 'ReplayCommandError';
}

/** "2025-03-14 13:30 UTC". */
const when = (t: number): string => `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export class ReplayFeed implements MarketFeed {
  readonly source = 'replay';
  readonly symbols: readonly SymbolInfo[];
  private readonly calendars: SessionCalendar[];
  readonly granularity: ReplayGranularity;
  private readonly cursor: ReplayCursor;
  private readonly pacer: Pacer;
  private readonly warmFrom: number;
  private readonly barsPerSlice: number;
  private sink: FeedSink | null = null;
  private stopped = false;
  /** The replay clock: every bar ending at or before it has gone out. Null before the warm-up ends. */
  private clock: number | null = null;
  /** Where the bars going out as fast as possible are headed (warm-up, seek); null otherwise. */
  private target: number | null = null;
  private forwardQueued = false;
  /** Whether the trader wants it playing (applied once a warm-up or seek is done). */
  private wantPlaying: boolean;
  private done = false;
  private readonly listeners = new Set<(state: ReplayState) => void>();
  private heartbeat: unknown = null;

  constructor(private readonly options: ReplayFeedOptions) {
    const { from, to, symbols, timers } = options;
    if (!(from < to)) throw new RangeError(`an empty replay range: ${when(from)} to ${when(to)}`);
    this.symbols = symbols;
    const calendars = new Set<SessionCalendar>(
      symbols.map((info) => (info.calendar === undefined ? options.calendar : calendarById(info.calendar))),
    );
    if (calendars.size === 0) calendars.add(options.calendar);
    this.calendars = [...calendars];
    this.warmFrom = Math.min(options.warmFrom ?? from, from);
    this.wantPlaying = options.autoplay ?? true;
    if (options.daily !== undefined) {
      this.granularity = '1D';
      this.barsPerSlice = options.barsPerSlice ?? 1;
      const calendarOf = new Map(
        symbols.map((info) => [
          info.symbol,
          info.calendar === undefined ? options.calendar : calendarById(info.calendar),
        ]),
      );
      const closeOf = (bar: Bar): number => {
        const calendar = calendarOf.get(bar.symbol) ?? options.calendar;
        return (calendar.sessionAt(bar.start) ?? calendar.sessionOnOrAfter(bar.start)).close;
      };
      this.cursor = new DailyCursor(options.daily, closeOf, this.warmFrom, to);
    } else {
      this.granularity = '1m';
      this.barsPerSlice = options.barsPerSlice ?? 5_000;
      this.cursor = new MinuteCursor(options.minutes, this.warmFrom, to);
    }
    this.pacer = new Pacer(
      { advance: (until, budget) => this.advance(until, budget) },
      {
        timers,
        speed: options.speed,
        openAt: (t) => openAtOrAfter(this.calendars, t),
        ...(options.tickMs !== undefined ? { tickMs: options.tickMs } : {}),
        unitsPerSlice: this.barsPerSlice,
        onFinish: () => this.finish(),
      },
    );
  }

  get speed(): Speed {
    return this.pacer.speed;
  }

  start(sink: FeedSink): void {
    if (this.sink !== null || this.stopped) throw new Error('the replay feed can be started once');
    this.sink = sink;
    sink.state('starting', null);
    const history = this.options.history ?? [];
    for (let i = 0; i < history.length; i += HISTORY_CHUNK)
      sink.historyBars(history.slice(i, i + HISTORY_CHUNK));
    if (history.length > 0) this.options.flushWrites?.();
    this.forwardTo(this.options.from, 'warming up with the sessions before the replay');
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.pacer.stop();
    this.stopHeartbeat();
    this.sink?.state('stopped', null);
    this.sink = null;
    this.listeners.clear();
  }

  state(): ReplayState {
    return {
      from: this.options.from,
      to: this.options.to,
      time: this.target ?? this.clock,
      playing: this.wantPlaying && !this.done,
      speed: this.pacer.speed,
      finished: this.done,
      symbols: this.symbols.map((info) => info.symbol),
      granularity: this.granularity,
    };
  }

  /** Carries out a command and answers the state after it; throws ReplayCommandError when it cannot. */
  control(command: ReplayCommand): ReplayState {
    if (this.stopped || this.sink === null) throw new ReplayCommandError('The replay is not running.');
    switch (command.action) {
      case 'play':
        this.play();
        break;
      case 'pause':
        this.pause();
        break;
      case 'step':
        this.step();
        break;
      case 'seek':
        this.seek(command.time);
        break;
      case 'speed':
        this.setSpeed(command.speed);
        break;
    }
    const state = this.state();
    this.notify(state);
    return state;
  }

  /** Calls `listener` with the state on every change and about once a second while playing. */
  subscribe(listener: (state: ReplayState) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private play(): void {
    if (this.done) {
      // Over: play again from the start.
      this.wantPlaying = true;
      this.seek(this.options.from);
      return;
    }
    this.wantPlaying = true;
    if (this.target === null) this.run();
  }

  private pause(): void {
    this.wantPlaying = false;
    if (this.target !== null || this.done) return;
    this.pacer.pause();
    this.stopHeartbeat();
    this.sink?.state('paused', null);
  }

  /**
   * Moves the clock one minute on (from the next open when the market is closed), or in a daily replay
   * to the next session's close, and sends out what ended by then, then holds there.
   */
  private step(): void {
    this.wantPlaying = false;
    if (this.target !== null || this.done) return;
    this.pacer.pause();
    this.stopHeartbeat();
    const { from, to } = this.options;
    const clock = this.clock ?? from;
    const end = Math.min(
      to,
      this.granularity === '1D'
        ? closeAfter(this.calendars, clock)
        : openAtOrAfter(this.calendars, clock) + MINUTE,
    );
    const next = this.advance(end, Infinity);
    this.emitTime(end);
    this.pacer.jump(end);
    if (next === null && end >= to) this.finish();
    else this.sink?.state('paused', null);
  }

  private seek(t: number): void {
    const { from, to } = this.options;
    if (!(t >= from && t <= to)) {
      throw new ReplayCommandError(
        `Cannot seek to ${when(t)}: the replay runs from ${when(from)} to ${when(to)}. Pick a time in between.`,
      );
    }
    this.pacer.pause();
    this.done = false;
    const reached = this.clock ?? this.warmFrom;
    if (t < reached) {
      const restart = Math.max(this.warmFrom, bucketBoundaryAtOrBefore(this.calendars, t));
      this.sink!.rewind(restart);
      this.cursor.seek(restart);
      this.clock = restart;
    }
    this.forwardTo(t, `seeking to ${when(t)}`);
  }

  private setSpeed(speed: Speed): void {
    if (speed !== 'max' && !(speed >= MIN_SPEED && speed <= MAX_SPEED)) {
      throw new ReplayCommandError(
        `A replay runs at ${MIN_SPEED} to ${MAX_SPEED.toLocaleString('en-US')} market seconds per second, ` +
          `or "max"; ${speed} is out of range.`,
      );
    }
    this.pacer.setSpeed(speed);
    if (this.wantPlaying && this.target === null && !this.done) this.run();
  }

  /** Plays or holds at the clock, as the trader wants. */
  private run(): void {
    if (this.stopped || this.sink === null) return;
    if (this.wantPlaying) {
      this.sink.state('live', this.pacer.speed === 'max' ? 'as fast as possible' : null);
      this.pacer.play();
      this.startHeartbeat();
    } else {
      this.sink.state('paused', null);
    }
  }

  /** Delivers the bars up to `t` as fast as possible, in slices, then runs as wanted from `t`. */
  private forwardTo(t: number, why: string): void {
    this.target = t;
    this.sink?.state('backfilling', why);
    this.startHeartbeat();
    this.forwardSlice();
  }

  private forwardSlice(): void {
    const target = this.target;
    if (this.stopped || target === null) return;
    const next = this.advance(target, this.barsPerSlice);
    if (next !== null && next <= target) {
      if (!this.forwardQueued) {
        this.forwardQueued = true;
        this.options.timers.defer(() => {
          this.forwardQueued = false;
          this.forwardSlice();
        });
      }
      return;
    }
    this.target = null;
    this.emitTime(target);
    this.pacer.jump(target);
    this.stopHeartbeat();
    if (next === null && target >= this.options.to) {
      this.finish();
      return;
    }
    this.run();
    this.notify(this.state());
  }

  /**
   * Sends out the bars ending at or before `until`, about `budget` of them at most (the minute or
   * session in hand is always finished, so its symbols are never split), and moves the clock: to `until`
   * when everything due went out, else to the end of the last bars sent. Returns the end of the next
   * bar, or null when none is left.
   */
  private advance(until: number, budget: number): number | null {
    const sink = this.sink;
    if (sink === null) return null;
    const daily = this.granularity === '1D';
    const cursor = this.cursor;
    let sent = 0;
    let lastEnd = NaN;
    // Daily: the session in hand, delivered in one call at its close once all its bars are read.
    let session: Bar[] = [];
    const deliver = (): void => {
      if (session.length === 0) return;
      sink.historyBars(session, { paced: true });
      session = [];
      this.emitTime(lastEnd);
    };
    const finish = (clock: number | null): void => {
      deliver();
      if (clock !== null) this.emitTime(clock);
      if (sent > 0) this.options.flushWrites?.();
    };
    for (;;) {
      const bar = cursor.peek();
      if (bar === null) {
        finish(sent > 0 ? lastEnd : null);
        return null;
      }
      const end = cursor.peekEnd();
      if (end > until) {
        finish(until !== Infinity ? Math.floor(until) : null);
        return end;
      }
      if (sent >= budget && end !== lastEnd) {
        finish(lastEnd);
        return end;
      }
      cursor.skip();
      if (daily) {
        if (end !== lastEnd) deliver();
        session.push(bar);
      } else {
        sink.minuteBar(bar);
      }
      sent++;
      lastEnd = end;
    }
  }

  private emitTime(t: number): void {
    if (this.clock !== null && t <= this.clock) return;
    this.clock = t;
    this.sink?.time(t);
  }

  private finish(): void {
    this.emitTime(this.options.to);
    this.done = true;
    this.pacer.stop();
    this.stopHeartbeat();
    this.sink?.state('closed', `the replay reached its end, ${when(this.options.to)}`);
    this.notify(this.state());
  }

  private notify(state: ReplayState): void {
    for (const listener of this.listeners) listener(state);
  }

  private startHeartbeat(): void {
    if (this.heartbeat !== null) return;
    const beat = (): void => {
      this.heartbeat = this.options.timers.setTimeout(beat, HEARTBEAT_MS);
      this.notify(this.state());
    };
    this.heartbeat = this.options.timers.setTimeout(beat, HEARTBEAT_MS);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat === null) return;
    this.options.timers.clearTimeout(this.heartbeat);
    this.heartbeat = null;
  }
}
