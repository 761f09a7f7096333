/**
 * The demo market as a feed: history as fast as possible (daily resolution, then minute resolution),
 * then minute after minute at the chosen pace, trades first and the authoritative minute bars at each
 * minute's end. Market time is simulated: `speed` market seconds pass per wall second, and closed
 * periods (nights, weekends, holidays) are skipped, so the demo always has a market to watch.
 */
import type { Bar, Speed, Trade } from '../../shared/domain';
import type { Session, SessionCalendar } from '../core/calendar';
import type { DemoPlan } from '../core/demo-plan';
import type { SyntheticMarket } from '../core/synthetic/market';
import type { Timers } from '../platform/clock';
import type { FeedSink, MarketFeed } from './feed';
import { Pacer, type PacedSource } from './pacer';

const MINUTE = 60_000;
/** At a numeric speed, minutes one pacing tick may finish at most (the clock falls behind beyond it). */
const MAX_MINUTES_PER_TICK = 600;

export interface SyntheticFeedOptions {
  market: SyntheticMarket;
  calendar: SessionCalendar;
  plan: DemoPlan;
  speed: Speed;
  timers: Timers;
  /** Wall milliseconds between pacing ticks while live. */
  tickMs?: number;
  /** Minutes generated per slice before yielding to the event loop while running as fast as possible. */
  minutesPerSlice?: number;
}

interface MinuteInProgress {
  start: number;
  session: Session;
  bars: Bar[];
  trades: Trade[];
  nextTrade: number;
}

export function createSyntheticFeed(options: SyntheticFeedOptions): MarketFeed {
  const { market, calendar, plan, speed, timers } = options;
  const tickMs = options.tickMs ?? 25;
  const minutesPerSlice = options.minutesPerSlice ?? 30;
  let sink: FeedSink | null = null;
  let stopped = false;
  let pacer: Pacer | null = null;

  const sessionOf = (t: number): Session => calendar.sessionAt(t) ?? calendar.sessionOnOrAfter(t);

  /** The minute after `start`, crossing into the next session at the close. */
  const advance = (start: number, session: Session): { start: number; session: Session; closed: boolean } => {
    const next = start + MINUTE;
    if (next < session.close) return { start: next, session, closed: false };
    const following = calendar.nextSession(session);
    return { start: following.open, session: following, closed: true };
  };

  const emitMinuteBars = (out: FeedSink, bars: readonly Bar[]): void => {
    for (const bar of bars) out.minuteBar(bar);
  };

  const backfill = (done: () => void): void => {
    const out = sink;
    if (!out) return;
    out.state('backfilling', 'generating history');
    const daily: Bar[] = [];
    for (const session of plan.dailySessions) daily.push(...market.generateDay(session));
    if (daily.length > 0) out.historyBars(daily);

    let start = plan.backfillFrom;
    let session = sessionOf(start);
    const slice = (): void => {
      if (stopped || !sink) return;
      for (let i = 0; i < minutesPerSlice && start < plan.liveFrom; i++) {
        emitMinuteBars(out, market.generateMinute(start, session, false).bars);
        const next = advance(start, session);
        if (next.closed) out.time(session.close);
        start = next.start;
        session = next.session;
      }
      out.time(Math.min(start, plan.liveFrom));
      if (start < plan.liveFrom) timers.defer(slice);
      else done();
    };
    slice();
  };

  const generate = (start: number, session: Session): MinuteInProgress => {
    const { bars, trades } = market.generateMinute(start, session, true);
    return { start, session, bars, trades, nextTrade: 0 };
  };

  /** Emits the rest of the minute's trades and its bars; returns the next minute. */
  const finishMinute = (out: FeedSink, minute: MinuteInProgress): MinuteInProgress => {
    for (; minute.nextTrade < minute.trades.length; minute.nextTrade++)
      out.trade(minute.trades[minute.nextTrade]!);
    emitMinuteBars(out, minute.bars);
    const next = advance(minute.start, minute.session);
    if (next.closed) out.time(minute.session.close);
    return generate(next.start, next.session);
  };

  /** Live: minute after minute, trades when the clock reaches them, paced (or as fast as possible). */
  const runLive = (): void => {
    const out = sink;
    if (!out) return;
    out.state('live', speed === 'max' ? 'as fast as possible' : null);
    let minute = generate(plan.liveFrom, sessionOf(plan.liveFrom));
    const source: PacedSource = {
      // A unit is a minute: its trades as the clock passes them, its bars at its end.
      advance(until, budget) {
        for (let minutes = 0; ; minutes++) {
          const trades = minute.trades;
          while (minute.nextTrade < trades.length && trades[minute.nextTrade]!.time <= until) {
            out.trade(trades[minute.nextTrade]!);
            minute.nextTrade++;
          }
          const end = minute.start + MINUTE;
          if (until < end) {
            out.time(Math.floor(Math.max(until, minute.start)));
            return minute.nextTrade < trades.length ? trades[minute.nextTrade]!.time : end;
          }
          if (minutes >= budget) {
            out.time(minute.start);
            return end;
          }
          minute = finishMinute(out, minute);
        }
      },
    };
    pacer = new Pacer(source, {
      timers,
      speed,
      openAt: (t) => (calendar.sessionAt(t) === null ? calendar.sessionOnOrAfter(t).open : t),
      tickMs,
      unitsPerTick: MAX_MINUTES_PER_TICK,
      unitsPerSlice: minutesPerSlice,
    });
    pacer.start(plan.liveFrom);
  };

  return {
    source: 'synthetic',
    symbols: market.symbols,
    speed,
    start(target) {
      if (sink) throw new Error('the synthetic feed is already started');
      sink = target;
      target.state('starting', null);
      backfill(() => {
        if (stopped) return;
        runLive();
      });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      pacer?.stop();
      sink?.state('stopped', null);
      sink = null;
    },
  };
}
