/**
 * A replay run for tests: one session of SPY minute bars to replay, and a replay engine over them on
 * manual timers, warmed up and waiting at its first open.
 */
import type { Bar } from '../../../shared/domain';
import { nyseCalendar, type Session } from '../../core/calendar';
import { createMemoryLogger } from '../../platform/log';
import { manualTimers } from '../../test-support/manual-timers';
import { createReplayEngine } from '../replay';

const MINUTE = 60_000;

/** SPY's 1-minute bars of the NYSE session on `date` (YYYY-MM-DD): opens at $500, closes on a gentle sine. */
export function spyMinutes(date: string): Bar[] {
  const session = nyseCalendar.sessionOn(date);
  if (!session) throw new Error(`${date} is not an NYSE session`);
  return spySessionMinutes(session);
}

/** SPY's 1-minute bars of `session`, as spyMinutes makes them. */
export function spySessionMinutes(session: Session): Bar[] {
  const bars: Bar[] = [];
  for (let start = session.open, i = 0; start < session.close; start += MINUTE, i++) {
    const close = 500 + Math.sin(i / 5);
    bars.push({
      symbol: 'SPY',
      timeframe: '1m',
      start,
      open: 500,
      high: Math.max(500, close) + 0.1,
      low: Math.min(500, close) - 0.1,
      close,
      volume: 10_000,
      closed: true,
    });
  }
  return bars;
}

/**
 * A replay (speed 60) of `date` out of the market database `db`, started at wall time `runStart` (epoch
 * ms), warmed up and waiting at its first open. The caller stops the engine.
 */
export async function startReplay(db: string, date: string, runStart: number) {
  const timers = manualTimers(runStart);
  const day = Date.parse(`${date}T00:00:00Z`);
  const engine = createReplayEngine({
    dbPath: db,
    speed: 60,
    timers,
    log: createMemoryLogger(),
    from: day,
    to: day,
  });
  engine.start();
  timers.drain();
  await engine.trading!.idle();
  return { engine, timers, handlers: engine.service.handlers };
}
