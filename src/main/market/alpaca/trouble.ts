/**
 * Alpaca failures in a trader's words, shared by the market-data feed (alpaca-feed.ts) and the news feed
 * (alpaca-news-feed.ts): why a stream is retrying, and what a failed REST request means.
 */
import { describeNetworkFailure, hostOf } from './network-error';
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
