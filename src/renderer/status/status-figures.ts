/**
 * The feed's figures in the status bar (market clock, bars and trades per second, last-tick age) as
 * text and tone, decided in one place. They are the engine's figures of the moment it last spoke: with
 * the link to the engine down they are not current, so rates and the tick age read "—" (a rate heard
 * before the drop would claim trades still arrive, and a tick age would stop growing), and the market
 * clock stays as the last one heard (the status bar dims it). A status heard over the link again
 * restores them all.
 */
import type { EngineStatus } from '../../shared/domain';
import type { Tone } from './feed-line';
import { formatAge, formatRate } from './format';

/** Tick age above which a live feed is called stale, and above which it is called stalled. */
export const STALE_TICK_MS = 5_000;
export const STALLED_TICK_MS = 30_000;

export interface StatusFigures {
  barsPerSecond: string;
  tradesPerSecond: string;
  tickAge: string;
  tickAgeTone: Tone;
}

const UNKNOWN = '—';

function tickAgeTone(status: EngineStatus): Tone {
  if (status.feed.state !== 'live' || status.lastTickAgeMs === null) return 'muted';
  if (status.lastTickAgeMs > STALLED_TICK_MS) return 'bad';
  return status.lastTickAgeMs > STALE_TICK_MS ? 'warn' : 'ok';
}

/**
 * The figures to show for `status` (null before the engine first answered); `linkDown` when the link
 * to the engine is not open. A silent live feed's tick age turns amber after 5 s and red after 30 s.
 */
export function statusFigures(status: EngineStatus | null, linkDown: boolean): StatusFigures {
  if (status === null || linkDown) {
    return { barsPerSecond: UNKNOWN, tradesPerSecond: UNKNOWN, tickAge: UNKNOWN, tickAgeTone: 'muted' };
  }
  return {
    barsPerSecond: formatRate(status.barsPerSecond),
    tradesPerSecond: formatRate(status.tradesPerSecond),
    tickAge: status.lastTickAgeMs !== null ? formatAge(status.lastTickAgeMs) : UNKNOWN,
    tickAgeTone: tickAgeTone(status),
  };
}
