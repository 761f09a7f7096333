/**
 * Alpaca failures in a trader's words, shared by the market-data feed (alpaca-feed.ts) and the news feed
 * (alpaca-news-feed.ts): why a stream is retrying, and what a failed REST request means; and how both
 * show a stream's reconnecting and a catch-up's retries (a trouble is loud once, quiet while it repeats).
 */
import type { LogLevel } from '../../platform/log';
import { describeNetworkFailure, hostOf, withCode } from '../../platform/network-error';
import { AlpacaRestError } from './rest';
import { STREAM_ERRORS, type StreamEvent } from './stream';

/** Which of Alpaca's streams a message is about. */
export type AlpacaStreamName = 'market data' | 'news';

/**
 * Why the stream at `url` is retrying, in plain words (without the delay), and the technical code for
 * support: "cannot reach" when the socket never opened, "lost" when data was flowing. News messages say
 * "news" where market-data messages say nothing more.
 */
export function explainStreamRetry(
  event: Extract<StreamEvent, { kind: 'retrying' }>,
  url: string,
  stream: AlpacaStreamName,
): { cause: string; technical: string | null } {
  const host = hostOf(url);
  const news = stream === 'news';
  if (event.code === STREAM_ERRORS.connectionLimit) {
    return {
      cause:
        `Alpaca allows one ${news ? 'news' : 'market-data'} connection per account and another program is using it ` +
        '(406 connection limit exceeded). Close the other connection',
      technical: null,
    };
  }
  if (event.code === STREAM_ERRORS.slowClient) {
    return {
      cause: 'Alpaca dropped the connection because data was read too slowly (407 slow client)',
      technical: null,
    };
  }
  if (event.network) {
    return {
      cause: describeNetworkFailure(event.network, host, {
        wasOpen: event.reached !== 'nothing',
        ...(news ? { purpose: 'news' } : {}),
      }),
      technical: event.network.code,
    };
  }
  if (event.httpStatus !== null) {
    const hint =
      event.httpStatus >= 500
        ? "a problem on Alpaca's side, usually brief"
        : 'check the stream address (TRM_ALPACA_STREAM_URL or settings.json)';
    return {
      cause: `Alpaca at ${host} answered HTTP ${event.httpStatus} instead of opening the ${news ? 'news ' : ''}stream (${hint})`,
      technical: null,
    };
  }
  switch (event.reached) {
    case 'ready':
      return {
        cause: `lost the connection to Alpaca${news ? ' news' : ''} (${event.reason})`,
        technical: null,
      };
    case 'opened':
      return {
        cause: `Alpaca at ${host} did not complete the sign-in${news ? ' for news' : ''} (${event.reason})`,
        technical: null,
      };
    case 'nothing':
      return {
        cause: `cannot reach Alpaca at ${host}${news ? ' for news' : ''} (${event.reason})`,
        technical: null,
      };
  }
}

/**
 * A failed catch-up request in plain words: `why` (AlpacaRestError's plain text, else the error's
 * message), the technical code for support, and whether it is `passing` (network trouble or Alpaca's
 * own: a warning) rather than something to fix (keys, a bad answer: an error).
 */
export function describeCatchUpFailure(error: unknown): {
  why: string;
  technical: string | null;
  passing: boolean;
} {
  const rest = error instanceof AlpacaRestError ? error : null;
  return {
    why: rest ? rest.plain : error instanceof Error ? error.message : String(error),
    technical: rest?.technical ?? null,
    passing: rest !== null && ['network', 'server', 'rate-limit'].includes(rest.failure),
  };
}

/** A wait as a trader reads it: "under a second", "33 s", "4 min". */
export function formatDelay(ms: number): string {
  if (ms < 1_000) return 'under a second';
  if (ms < 90_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** `level` the first time `cause` is reported in a row of troubles, debug while it repeats. */
export function troubleLevel(previous: string | null, cause: string, level: 'warn' | 'error'): LogLevel {
  return previous === cause ? 'debug' : level;
}

/**
 * The state a feed shows while its stream connects (`name`: "Alpaca", "Alpaca news"): reconnecting
 * once it has been connected, starting from the second attempt before that; null on the first attempt.
 */
export function streamConnecting(
  event: Extract<StreamEvent, { kind: 'connecting' }>,
  connectedOnce: boolean,
  name: string,
): { state: 'reconnecting' | 'starting'; message: string } | null {
  if (connectedOnce)
    return { state: 'reconnecting', message: `connecting to ${name} again (attempt ${event.attempt})` };
  if (event.attempt > 1)
    return { state: 'starting', message: `connecting to ${name} (attempt ${event.attempt})` };
  return null;
}

/**
 * The state a feed shows while its stream at `url` waits to retry: the cause and the delay, loud the
 * first time (`warn`), debug while `previous` (the last stream trouble) repeats; `trouble` is what to
 * remember as the new last trouble. Never connected since the start: still starting, not reconnecting.
 */
export function streamRetrying(
  event: Extract<StreamEvent, { kind: 'retrying' }>,
  url: string,
  stream: AlpacaStreamName,
  connectedOnce: boolean,
  previous: string | null,
): { state: 'reconnecting' | 'starting'; message: string; level: LogLevel; trouble: string } {
  const { cause, technical } = explainStreamRetry(event, url, stream);
  const trouble = withCode(cause, technical);
  return {
    state: connectedOnce ? 'reconnecting' : 'starting',
    message: withCode(`${cause}; retrying in ${formatDelay(event.delayMs)}`, technical),
    level: troubleLevel(previous, trouble, 'warn'),
    trouble,
  };
}

/**
 * A failed catch-up as describeCatchUpFailure words it, with its log level: network trouble and
 * Alpaca's own pass (a warning), anything else (keys, a bad answer) is an error; debug while `previous`
 * (the last catch-up trouble) repeats. `trouble` is what to remember as the new last trouble.
 */
export function catchUpFailed(
  error: unknown,
  previous: string | null,
): { why: string; technical: string | null; level: LogLevel; trouble: string } {
  const { why, technical, passing } = describeCatchUpFailure(error);
  const trouble = withCode(why, technical);
  return { why, technical, level: troubleLevel(previous, trouble, passing ? 'warn' : 'error'), trouble };
}
