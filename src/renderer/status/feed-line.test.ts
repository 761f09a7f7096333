import { describe, expect, it } from 'vitest';
import type { EngineStatus, FeedState } from '../../shared/domain';
import { describeFeed } from './feed-line';

const status = (state: FeedState, message: string | null = null): EngineStatus => ({
  mode: 'paper',
  feed: { source: 'alpaca-iex', state, message },
  marketTime: Date.UTC(2025, 2, 14, 14, 0),
  speed: 1,
  barsPerSecond: 0,
  tradesPerSecond: 0,
  lastTickAgeMs: 1200,
  store: { path: '/tmp/market.sqlite', bytes: 1, pendingWrites: 0 },
  symbols: 3,
  model: null,
  startedAt: 0,
});

describe('the feed in the status bar', () => {
  it('never calls a feed live while the link to the engine is down', () => {
    const line = describeFeed(status('live'), true);
    expect(line.state).toBe('unknown');
    expect(line.message).toBe('the link to the engine is down');
    expect(line.down).toBe(true);
  });

  it("passes an Alpaca error on in the feed's own words, as a problem", () => {
    const message =
      'Alpaca refused the API keys (402 auth failed). Check APCA_API_KEY_ID and APCA_API_SECRET_KEY, or save new keys under Broker keys: the feed reconnects when new keys are saved.';
    expect(describeFeed(status('error', message), false)).toEqual({
      state: 'error',
      tone: 'bad',
      source: 'alpaca-iex',
      message,
      down: true,
    });
    expect(
      describeFeed(status('reconnecting', 'lost the connection to Alpaca (1006); retrying in 4 s'), false),
    ).toMatchObject({ tone: 'warn', down: true });
    // A feed that has not reached its source yet delivers nothing either.
    expect(
      describeFeed(
        status('starting', 'cannot reach Alpaca at stream.data.alpaca.markets; retrying in 4 s'),
        false,
      ),
    ).toMatchObject({ tone: 'warn', down: true });
  });

  it('a live or closed feed is not down', () => {
    expect(describeFeed(status('live'), false)).toMatchObject({ state: 'live', tone: 'ok', down: false });
    expect(describeFeed(status('closed', 'opens Mon 09:30 ET'), false)).toMatchObject({ down: false });
  });
});
