/**
 * Where a demo world starts, from what the store already holds. The demo market is a persistent world:
 * a trader who closes the app and opens it again finds the same market, continuing from the last
 * minute it recorded (so positions and charts stay continuous). A fresh world (no data, another seed,
 * or an explicit reset) gets history first: some sessions at daily resolution, then some sessions at
 * minute resolution up to "now", and then streams at the chosen pace.
 *
 * A resumed world continues from the generator state saved at the start of a session (regime,
 * volatility, volume level, trend, prices and the random stream): the minutes stored since then are
 * regenerated silently, bit for bit, and the world carries on exactly as if it had never stopped. A
 * minute cut short (some of its bars stored, or only the forming bars its trades built) is regenerated
 * whole, at once, before the world goes live again.
 */
import type { Session, SessionCalendar } from './calendar';
import { SyntheticMarket } from './synthetic/market';
import type { MarketState } from './synthetic/market-state';

const MINUTE = 60_000;

/**
 * The generator state saved before a minute-level session, and the first minute it generates (epoch
 * ms UTC): the session's open, or a later minute of a session a world joined mid-way.
 */
export interface SavedWorld {
  state: MarketState;
  from: number;
}

export interface StoredWorld {
  seed: number;
  /**
   * Start of the newest minute whose closed 1-minute bar is stored for every symbol (epoch ms UTC), or
   * null when some symbol has none.
   */
  lastMinute: number | null;
  /** Each symbol's close in that minute. */
  lastCloses: Readonly<Record<string, number>>;
  /** Whether anything of a later minute is stored (a minute cut short by a crash). */
  partialMinute?: boolean;
  /** The saved generator state, if the world has one (worlds saved by older versions do not). */
  saved?: SavedWorld | null;
}

export interface DemoPlanInput {
  /** The time to start from for a fresh world (usually the wall clock; an input, for determinism). */
  now: number;
  calendar: SessionCalendar;
  seed: number;
  stored: StoredWorld | null;
  /** Start a fresh world even if the stored one matches. */
  reset?: boolean;
  /** Sessions of minute-level history before the live session. */
  minuteSessions: number;
  /** Sessions of daily-level history before the minute-level history. */
  dailySessions: number;
}

export interface DemoPlan {
  /** Wipe stored bars first: the stored world is another world. */
  reset: boolean;
  /** Generated at daily resolution, oldest first. */
  dailySessions: Session[];
  /** First minute generated at minute resolution, as fast as possible. */
  backfillFrom: number;
  /** First minute streamed at the chosen pace. */
  liveFrom: number;
  initialPrices: Readonly<Record<string, number>> | undefined;
  /** When the initial prices are from (the start of the minute they closed), for a resumed world. */
  pricesAt: number | undefined;
  /** Seed of the market generator for this run: a function of the world's seed and where it starts. */
  generatorSeed: number;
  /**
   * Resume from this saved state instead (see resumeMarket): it is regenerated from its session's open
   * up to `backfillFrom` without emitting anything; `initialPrices` and `generatorSeed` are then unused.
   */
  resume: SavedWorld | null;
}

/** Mixes two integers into a 32-bit seed (splitmix-style avalanche) so nearby inputs diverge. */
export function mixSeed(a: number, b: number): number {
  let h = (Math.imul(a | 0, 0x9e3779b1) ^ Math.floor(b / MINUTE)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

function sessionsBefore(calendar: SessionCalendar, session: Session, count: number): Session[] {
  const out: Session[] = [];
  let cursor = session;
  for (let i = 0; i < count; i++) {
    cursor = calendar.previousSession(cursor);
    out.push(cursor);
  }
  return out.reverse();
}

/** The first minute at or after `t` that is inside a session. */
function sessionMinuteFrom(calendar: SessionCalendar, t: number): number {
  return calendar.sessionAt(t) ? t : calendar.sessionOnOrAfter(t).open;
}

/** The minute after `minute`, crossing into the next session at the close. */
function nextSessionMinute(calendar: SessionCalendar, minute: number): number {
  return sessionMinuteFrom(calendar, minute + MINUTE);
}

export function planDemoWorld(input: DemoPlanInput): DemoPlan {
  const { calendar, stored, seed } = input;
  if (!input.reset && stored !== null && stored.seed === seed && stored.lastMinute !== null) {
    const from = nextSessionMinute(calendar, stored.lastMinute);
    // A minute cut short is generated again whole, at once; the world goes live after it.
    const liveFrom = stored.partialMinute ? nextSessionMinute(calendar, from) : from;
    // A saved state is usable when the bars reach its session (they are written before it is saved).
    const saved = stored.saved ?? null;
    const resume = saved !== null && saved.from <= from ? saved : null;
    return {
      reset: false,
      dailySessions: [],
      backfillFrom: from,
      liveFrom,
      initialPrices: stored.lastCloses,
      pricesAt: stored.lastMinute,
      generatorSeed: mixSeed(seed, from),
      resume,
    };
  }

  const inSession = calendar.sessionAt(input.now);
  // Outside market hours the demo replays the most recent session from its open, so there is
  // always a market to watch.
  const liveSession = inSession ?? calendar.sessionOnOrBefore(input.now);
  const liveFrom = inSession ? Math.floor(input.now / MINUTE) * MINUTE : liveSession.open;
  const minuteHistory = sessionsBefore(calendar, liveSession, input.minuteSessions);
  const firstMinuteSession = minuteHistory[0] ?? liveSession;
  return {
    reset: stored !== null,
    dailySessions: sessionsBefore(calendar, firstMinuteSession, input.dailySessions),
    backfillFrom: firstMinuteSession.open,
    liveFrom,
    initialPrices: undefined,
    pricesAt: undefined,
    generatorSeed: mixSeed(seed, firstMinuteSession.open),
    resume: null,
  };
}

export interface ResumedMarket {
  market: SyntheticMarket;
  /**
   * Whether the regenerated closes of the last stored minute are the stored ones. When they are not
   * (a world saved by another version of the generator), the market was moved to the stored closes.
   */
  matched: boolean;
}

/**
 * The market a resume plan continues: restored from `plan.resume`, then every minute from its first
 * one up to `plan.backfillFrom` regenerated without trades and discarded (the store already
 * holds them), so the next minute is the one an uninterrupted world would make. Throws a RangeError if
 * the plan has no saved state, or the state belongs to another universe.
 */
export function resumeMarket(plan: DemoPlan, stored: StoredWorld, calendar: SessionCalendar): ResumedMarket {
  if (plan.resume === null) throw new RangeError('this plan starts a world without a saved state');
  const market = SyntheticMarket.restore(plan.resume.state);
  let minute = plan.resume.from;
  let session: Session | null = null;
  while (minute < plan.backfillFrom) {
    if (session === null || minute >= session.close) session = calendar.sessionOnOrAfter(minute);
    market.generateMinute(minute, session, false);
    minute = nextSessionMinute(calendar, minute);
  }
  const prices = market.prices();
  const matched = Object.entries(stored.lastCloses).every(([symbol, close]) => prices[symbol] === close);
  if (!matched) market.movePrices(stored.lastCloses);
  return { market, matched };
}
