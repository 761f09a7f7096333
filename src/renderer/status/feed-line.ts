/**
 * What the status bar says about the feed, decided in one place: its source, state and message, how
 * alarming they are, and whether the feed is down (its figures not current). With the link to the
 * engine down, the last state heard may be wrong: the feed is never called live then.
 */
import type { EngineStatus, FeedState } from '../../shared/domain';

export type Tone = 'ok' | 'info' | 'warn' | 'bad' | 'muted';

const FEED_TONE: Record<FeedState, Tone> = {
  starting: 'warn',
  backfilling: 'info',
  live: 'ok',
  paused: 'muted',
  closed: 'muted',
  reconnecting: 'warn',
  stopped: 'bad',
  error: 'bad',
};

/** Feed states in which the feed delivers nothing (not yet, or not now): its figures are not current. */
const FEED_DOWN: ReadonlySet<FeedState> = new Set(['starting', 'reconnecting', 'stopped', 'error']);

export function feedIsDown(state: FeedState): boolean {
  return FEED_DOWN.has(state);
}

export interface FeedLine {
  /** The feed's state, or 'unknown' while the engine cannot be asked. */
  state: FeedState | 'unknown';
  tone: Tone;
  /** "synthetic", "alpaca-iex"...; null when unknown. */
  source: string | null;
  /** The feed's own words (an error, the next open), or why the state is unknown. */
  message: string | null;
  /** The feed (or the link to it) is down: feed-dependent figures are stale. */
  down: boolean;
}

export function describeFeed(status: EngineStatus | null, linkDown: boolean): FeedLine {
  if (linkDown) {
    return {
      state: 'unknown',
      tone: 'bad',
      source: null,
      message: 'the link to the engine is down',
      down: true,
    };
  }
  if (status === null) return { state: 'unknown', tone: 'muted', source: null, message: null, down: false };
  const { source, state, message } = status.feed;
  return { state, tone: FEED_TONE[state], source, message, down: feedIsDown(state) };
}
