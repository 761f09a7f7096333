/**
 * The stream's reconnect schedule against the loopback server: full jitter from a seeded generator,
 * growth per failed attempt, and a reset only after a connection stayed up for the stable period.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Random } from '../../core/synthetic/random';
import { createMemoryLogger } from '../../platform/log';
import { AlpacaTestServer } from '../../test-support/alpaca-server/server';
import { manualTimers } from '../../test-support/manual-timers';
import { CONNECTION_LIMIT_BACKOFF, RECONNECT_BACKOFF, backoffDelay } from './backoff';
import { AlpacaStockStream, type StreamEvent } from './stream';
import { FRIDAY_10AM, TEST_KEYS, until } from './test-fixtures/feed-rig';
import { closedPort } from './test-fixtures/closed-port';
import { pass } from './test-fixtures/steps';

describe('backoffDelay', () => {
  it('grows exponentially within full jitter and stops at the cap', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(60_000, 1_000 * 2 ** attempt);
      expect(backoffDelay(attempt, RECONNECT_BACKOFF, () => 0)).toBe(0);
      expect(backoffDelay(attempt, RECONNECT_BACKOFF, () => 0.999999)).toBe(Math.round(ceiling * 0.999999));
      expect(backoffDelay(attempt, RECONNECT_BACKOFF, () => 0.5)).toBe(ceiling / 2);
    }
  });

  it('never retries a connection-limit refusal (406) within a minute, and waits at most 15', () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      for (const u of [0, 0.3, 0.99]) {
        const delay = backoffDelay(attempt, CONNECTION_LIMIT_BACKOFF, () => u);
        expect(delay).toBeGreaterThanOrEqual(60_000);
        expect(delay).toBeLessThanOrEqual(15 * 60_000);
      }
    }
    expect(backoffDelay(2, CONNECTION_LIMIT_BACKOFF, () => 0.5)).toBe(150_000);
  });
});

describe('the stream reconnecting', () => {
  let server: AlpacaTestServer | null = null;
  let stream: AlpacaStockStream | null = null;
  afterEach(async () => {
    stream?.stop();
    await server?.close();
    server = null;
  });

  /** A stream on `url` whose status events land in the returned list. */
  function streamOn(url: string, timers = manualTimers(FRIDAY_10AM)): StreamEvent[] {
    const events: StreamEvent[] = [];
    stream = new AlpacaStockStream({
      url,
      keys: TEST_KEYS,
      timers,
      random: () => 0.5,
      log: createMemoryLogger(),
      isSessionOpen: () => false,
      tuning: { pingIntervalMs: 0, handshakeTimeoutMs: 3_600_000 },
      listener: {
        status: (event) => events.push(event),
        bar: () => {},
        updatedBar: () => {},
        dailyBar: () => {},
        trade: () => {},
        quote: () => {},
      },
    });
    stream.setChannels({ bars: ['SPY'], trades: [], quotes: [] });
    stream.start();
    return events;
  }

  it('says how far a failed connection got and which network failure ended it', async () => {
    const unresolved = streamOn('ws://nonexistent.invalid/v2/iex');
    await until(() => unresolved.some((e) => e.kind === 'retrying'), 'the failed lookup');
    const lookup = unresolved.find((e) => e.kind === 'retrying');
    expect(lookup).toMatchObject({ reached: 'nothing', network: { kind: 'dns' }, httpStatus: null });
    expect(lookup?.kind === 'retrying' && lookup.network?.code).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/);
    stream!.stop();

    const refused = streamOn(`ws://127.0.0.1:${await closedPort()}/v2/iex`);
    await until(() => refused.some((e) => e.kind === 'retrying'), 'the refused connection');
    expect(refused.find((e) => e.kind === 'retrying')).toMatchObject({
      reached: 'nothing',
      network: { kind: 'refused', code: 'ECONNREFUSED' },
    });
    stream!.stop();

    server = await AlpacaTestServer.start({ keys: TEST_KEYS, horizon: FRIDAY_10AM });
    server.refuseUpgrades(1);
    const timers = manualTimers(FRIDAY_10AM);
    const events = streamOn(`${server.streamUrl}/v2/iex`, timers);
    await until(() => events.some((e) => e.kind === 'retrying'), 'the refused upgrade');
    expect(events.find((e) => e.kind === 'retrying')).toMatchObject({
      reached: 'nothing',
      network: null,
      httpStatus: 503,
    });
    await pass(timers, 2_000, 250);
    await until(() => events.some((e) => e.kind === 'ready'), 'connected');
    server.dropAll();
    await until(() => events.filter((e) => e.kind === 'retrying').length === 2, 'the drop');
    expect(events.filter((e) => e.kind === 'retrying')[1]).toMatchObject({
      reached: 'ready',
      httpStatus: null,
    });
  });

  it('follows the seeded full-jitter schedule and resets it only after a stable connection', async () => {
    server = await AlpacaTestServer.start({ keys: TEST_KEYS, horizon: FRIDAY_10AM });
    const timers = manualTimers(FRIDAY_10AM);
    const events: StreamEvent[] = [];
    const seed = 11;
    const random = Random.fromSeed(seed);
    stream = new AlpacaStockStream({
      url: `${server.streamUrl}/v2/iex`,
      keys: TEST_KEYS,
      timers,
      random: () => random.uniform(),
      log: createMemoryLogger(),
      isSessionOpen: () => false,
      tuning: { pingIntervalMs: 0, handshakeTimeoutMs: 3_600_000, stableMs: 60_000 },
      listener: {
        status: (event) => events.push(event),
        bar: () => {},
        updatedBar: () => {},
        dailyBar: () => {},
        trade: () => {},
        quote: () => {},
      },
    });
    stream.setChannels({ bars: ['SPY'], trades: [], quotes: [] });
    const expected = Random.fromSeed(seed);
    const next = (attempt: number) => backoffDelay(attempt, RECONNECT_BACKOFF, () => expected.uniform());
    const retries = () =>
      events.filter((e): e is Extract<StreamEvent, { kind: 'retrying' }> => e.kind === 'retrying');
    const readies = () => events.filter((e) => e.kind === 'ready').length;

    server.refuseUpgrades(4);
    stream.start();
    for (let attempt = 0; attempt < 4; attempt++) {
      await until(() => retries().length === attempt + 1, `retry ${attempt + 1}`);
      const retry = retries()[attempt]!;
      expect(retry.delayMs, `delay before retry ${attempt + 1}`).toBe(next(attempt));
      expect(retry.delayMs).toBeLessThan(1_000 * 2 ** attempt);
      expect(retry.reason).toMatch(/503/);
      await pass(timers, retry.delayMs + 1, 250);
    }
    await until(() => readies() === 1, 'the fifth attempt connects');

    // Dropped before the stable period: the schedule carries on from attempt 4.
    await pass(timers, 10_000);
    server.dropAll();
    await until(() => retries().length === 5, 'the retry after a quick drop');
    expect(retries()[4]!.delayMs).toBe(next(4));
    await pass(timers, retries()[4]!.delayMs + 1, 250);
    await until(() => readies() === 2, 'reconnected');

    // Up for longer than the stable period: the next drop starts from attempt 0 again.
    await pass(timers, 61_000, 5_000);
    server.dropAll();
    await until(() => retries().length === 6, 'the retry after a stable connection');
    expect(retries()[5]!.delayMs).toBe(next(0));
    expect(retries()[5]!.delayMs).toBeLessThan(1_000);
  });
});
