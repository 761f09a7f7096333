/**
 * Where a demo world starts, from what the store already holds. The demo market is a persistent world:
 * a trader who closes the app and opens it again finds the same market, continuing from the last
 * minute it recorded (so positions and charts stay continuous). A fresh world (no data, another seed,
 * or an explicit reset) gets history first: some sessions at daily resolution, then some sessions at
 * minute resolution up to "now", and then streams at the chosen pace.
 */
import type { Session, SessionCalendar } from './calendar';

const MINUTE = 60_000;

export interface StoredWorld {
  seed: number;
  /** Start of the newest stored 1-minute bar, or null when there is none. */
  lastMinute: number | null;
  /** The last close per symbol. */
  lastCloses: Readonly<Record<string, number>>;
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
  /** Seed of the market generator for this run: a function of the world's seed and where it starts. */
  generatorSeed: number;
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

export function planDemoWorld(input: DemoPlanInput): DemoPlan {
  const { calendar, stored, seed } = input;
  if (!input.reset && stored !== null && stored.seed === seed && stored.lastMinute !== null) {
    const next = stored.lastMinute + MINUTE;
    const from = calendar.sessionAt(next) ? next : calendar.sessionOnOrAfter(next).open;
    return {
      reset: false,
      dailySessions: [],
      backfillFrom: from,
      liveFrom: from,
      initialPrices: stored.lastCloses,
      generatorSeed: mixSeed(seed, from),
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
    generatorSeed: mixSeed(seed, firstMinuteSession.open),
  };
}
