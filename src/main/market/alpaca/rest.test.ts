/**
 * What a REST request says when Alpaca cannot be reached (the catch-up and `trm backfill` show it): the
 * host, the likely cause in plain words, the code for support at the end; never the SDK's internals.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Timers } from '../../platform/clock';
import { AlpacaTestServer } from '../../test-support/alpaca-server/server';
import { AlpacaRest, AlpacaRestError } from './rest';
import { closedPort } from './test-fixtures/closed-port';
import { FRIDAY_10AM, TEST_KEYS } from './test-fixtures/feed-rig';

/** Backoff waits pass at once: these tests are about the final error. */
const noWaiting: Timers = {
  now: () => Date.now(),
  setTimeout: (fn) => setTimeout(fn, 0),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  defer: (fn) => setImmediate(fn),
};

function rest(dataUrl: string, timeoutMs?: number): AlpacaRest {
  return new AlpacaRest({
    dataUrl,
    tradingUrl: dataUrl,
    keys: () => TEST_KEYS,
    timers: noWaiting,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
}

const QUERY = {
  symbols: ['SPY'],
  timeframe: '1Min',
  start: FRIDAY_10AM - 3_600_000,
  end: FRIDAY_10AM,
  feed: 'iex',
} as const;

async function failure(request: Promise<unknown>): Promise<AlpacaRestError> {
  const error = await request.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AlpacaRestError);
  const rest = error as AlpacaRestError;
  expect(rest.message, 'no library internals').not.toMatch(/interceptors|fetch failed|FetchError/);
  expect(rest.message).not.toContain(TEST_KEYS.keyId);
  expect(rest.message).not.toContain(TEST_KEYS.secret);
  return rest;
}

let server: AlpacaTestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('Alpaca REST out of reach', () => {
  it('says an unresolvable host cannot be reached, maybe for want of internet', async () => {
    const error = await failure(rest('http://nonexistent.invalid').barsPage(QUERY));
    expect(error.failure).toBe('network');
    expect(error.plain).toBe(
      'cannot reach Alpaca at nonexistent.invalid for market data (no internet connection, or blocked by a firewall?)',
    );
    expect(error.technical).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/);
    expect(error.message).toBe(`${error.plain} [${error.technical}]`);
  });

  it('says a refused connection was refused, for the calendar too', async () => {
    const port = await closedPort();
    const error = await failure(rest(`http://127.0.0.1:${port}`).calendar('2025-03-10', '2025-03-14'));
    expect(error.message).toMatch(
      new RegExp(
        `^cannot reach Alpaca at 127\\.0\\.0\\.1:${port} for the market calendar \\(the connection was refused: .*\\) \\[ECONNREFUSED\\]$`,
      ),
    );
  });

  it('says how long it waited when Alpaca does not answer', async () => {
    server = await AlpacaTestServer.start({ keys: TEST_KEYS, horizon: FRIDAY_10AM });
    const release = server.holdRest();
    try {
      const error = await failure(rest(server.dataUrl, 200).barsPage(QUERY));
      expect(error.failure).toBe('network');
      expect(error.message).toMatch(
        /^no answer from Alpaca at 127\.0\.0\.1:\d+ for market data within 200 ms \(a slow or blocked network connection, or a firewall\?\)$/,
      );
    } finally {
      release();
    }
  });
});
