/**
 * The Alpaca feed against the loopback Alpaca server, through a real Engine and a temporary store: what
 * a trader relies on when the connection misbehaves.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { nyseCalendar } from '../../core/calendar';
import { dailyBar } from '../../test-support/alpaca-server/market';
import {
  FRIDAY_10AM as T0,
  MINUTE,
  TEST_KEYS,
  feedRig,
  settle,
  until,
  type FeedRig,
} from './test-fixtures/feed-rig';
import { pass } from './test-fixtures/steps';
import { closedPort } from './test-fixtures/closed-port';

let rig: FeedRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

const OPEN = Date.parse('2025-03-14T13:30:00Z');

/** Minute starts from `from` (inclusive) to `to` (exclusive). */
function minutesBetween(from: number, to: number): number[] {
  const out: number[] = [];
  for (let t = from; t < to; t += MINUTE) out.push(t);
  return out;
}

function expectMarketMinutes(r: FeedRig, symbol: string, from: number, to: number): void {
  const stored = r.minutes(symbol).filter((b) => b.start >= from && b.start < to && b.closed);
  expect(
    stored.map((b) => b.start),
    `${symbol}: every minute once, in order`,
  ).toEqual(minutesBetween(from, to));
  for (const bar of stored) {
    const truth = r.server.bar(symbol, bar.start);
    expect(
      [bar.open, bar.high, bar.low, bar.close, bar.volume],
      `${symbol} ${new Date(bar.start).toISOString()} holds Alpaca's latest values`,
    ).toEqual([truth.o, truth.h, truth.l, truth.c, truth.v]);
  }
}

/** Publishes minute `start` and waits until both symbols' bars for it are stored. */
async function streamMinute(r: FeedRig, start: number, symbols = ['SPY', 'QQQ']): Promise<void> {
  r.server.publishMinute(start, symbols);
  await until(
    () => symbols.every((s) => r.minutes(s).some((b) => b.start === start && b.closed)),
    `minute ${new Date(start).toISOString()} stored`,
  );
}

describe('the Alpaca feed', () => {
  it('catches up from the session open, then streams minute bars, updated bars, trades and quotes', async () => {
    rig = await feedRig();
    await rig.reach('live');
    expectMarketMinutes(rig, 'SPY', OPEN, T0);
    expectMarketMinutes(rig, 'QQQ', OPEN, T0);
    const last = rig.minutes('SPY').at(-1)!;
    const truth = rig.server.bar('SPY', last.start);
    expect(last.vwap, "Alpaca's vw becomes the bar's VWAP").toBe(truth.vw);
    expect(last.tradeCount, "Alpaca's n becomes the trade count").toBe(truth.n);

    // Official daily bars: five sessions, today's with Alpaca's values.
    const daily = rig.bars('SPY', '1D');
    expect(daily).toHaveLength(5);
    const today = nyseCalendar.sessionOn('2025-03-14')!;
    const official = dailyBar('SPY', today, T0, Date.parse('2025-03-14T04:00:00Z'))!;
    expect(daily.at(-1)!.start).toBe(today.open);
    expect([daily.at(-1)!.open, daily.at(-1)!.volume]).toEqual([official.o, official.v]);

    await streamMinute(rig, T0);
    await pass(rig.timers, MINUTE);
    const corrected = rig.server.updateMinute('SPY', T0 - 3 * MINUTE, { c: 999, h: 1000, v: 123 });
    await until(
      () => rig!.minutes('SPY').find((b) => b.start === T0 - 3 * MINUTE)?.close === 999,
      'the updated bar replaces the stored minute',
    );
    const fiveMinute = rig.bars('SPY', '5m').find((b) => b.start === T0 - 5 * MINUTE)!;
    expect(fiveMinute.high, 'the correction flows into the 5m bar').toBe(corrected.h);

    rig.server.publishTrade('SPY', T0 + MINUTE + 10_000, 555.5, 100);
    await until(
      () => rig!.minutes('SPY').some((b) => b.start === T0 + MINUTE && !b.closed && b.close === 555.5),
      'a trade builds the forming minute',
    );
    rig.server.publishQuote('SPY', T0 + MINUTE + 11_000, 555.4, 555.6);
    await until(() => rig!.feed.latestQuote('SPY')?.askPrice === 555.6, 'the latest quote is kept');
    expect(rig.feed.latestQuote('SPY')).toMatchObject({ bidPrice: 555.4, time: T0 + MINUTE + 11_000 });
  });

  it('fetches the official daily history it is meant to even when the store is flushed during the minute catch-up', async () => {
    // The strategy model reads daily bars (flushing the store) as each daily bar closes, here when the
    // minute catch-up's aggregated Thursday closes: that day must not pass for stored daily history.
    rig = await feedRig({ tuning: { initialMinuteSessions: 2 }, start: false });
    const r = rig;
    r.engine.bus.subscribe('market.bars', (bars) => {
      if (bars.some((b) => b.timeframe === '1D' && b.closed)) r.store.barWriter.flush();
    });
    r.engine.start();
    await r.reach('live');
    const daily = r.bars('SPY', '1D');
    expect(daily.map((b) => new Date(b.start).toISOString().slice(0, 10))).toEqual([
      '2025-03-10',
      '2025-03-11',
      '2025-03-12',
      '2025-03-13',
      '2025-03-14',
    ]);
  });

  it('after a dropped and a silent socket the store holds every minute once, with updated values', async () => {
    rig = await feedRig({ tuning: { stream: { silenceMs: 90_000, handshakeTimeoutMs: 600_000 } } });
    const r = rig;
    await r.reach('live');
    for (let i = 0; i < 3; i++) {
      await streamMinute(r, T0 + i * MINUTE);
      await pass(r.timers, MINUTE);
    }
    // The network path breaks: two minutes and a correction happen while nobody listens.
    r.server.dropAll();
    await r.reach('reconnecting');
    r.server.publishMinute(T0 + 3 * MINUTE, ['SPY', 'QQQ']);
    r.server.updateMinute('SPY', T0 + MINUTE, { c: 1234.5, h: 1240 });
    r.server.publishMinute(T0 + 4 * MINUTE, ['SPY', 'QQQ']);
    await pass(r.timers, 2 * MINUTE);
    await r.reach('live');
    // A socket that stays open but delivers nothing: the watchdog ends it while the market is open.
    r.server.silenceAll();
    for (let i = 5; i < 9; i++) {
      r.server.publishMinute(T0 + i * MINUTE, ['SPY', 'QQQ']);
      await pass(r.timers, MINUTE);
    }
    expect(
      r.states.some((s) => s.state === 'reconnecting' && /no data for \d+ s/.test(s.message ?? '')),
    ).toBe(true);
    await r.reach('live');
    for (let i = 9; i < 11; i++) {
      await streamMinute(r, T0 + i * MINUTE);
      await pass(r.timers, MINUTE);
    }
    expectMarketMinutes(r, 'SPY', OPEN, T0 + 11 * MINUTE);
    expectMarketMinutes(r, 'QQQ', OPEN, T0 + 11 * MINUTE);
    expect(r.minutes('SPY').find((b) => b.start === T0 + MINUTE)?.close).toBe(1234.5);
    // Higher timeframes agree with the minutes they hold, the corrected one included.
    const minutes = r.minutes('SPY');
    for (const five of r.bars('SPY', '5m').filter((b) => b.closed)) {
      const inside = minutes.filter((m) => m.start >= five.start && m.start < five.start + 5 * MINUTE);
      expect(five.high, `5m ${new Date(five.start).toISOString()}`).toBe(
        Math.max(...inside.map((m) => m.high)),
      );
      expect(five.volume).toBe(inside.reduce((sum, m) => sum + m.volume, 0));
    }
  });

  it('resubscribes after a reconnect, symbols added while running included', async () => {
    rig = await feedRig();
    await rig.reach('live');
    rig.feed.setSymbols(['SPY', 'QQQ', 'IWM']);
    await until(() => rig!.server.subscriptions()?.bars.includes('IWM') === true, 'IWM subscribed');
    await until(() => rig!.minutes('IWM').length === 30, 'IWM caught up from the open');
    const before = rig.server.subscriptions();
    expect(before).toMatchObject({ bars: ['IWM', 'QQQ', 'SPY'], updatedBars: ['IWM', 'QQQ', 'SPY'] });
    expect(before?.trades).toEqual(['IWM', 'QQQ', 'SPY']);
    rig.server.dropAll();
    await rig.reach('reconnecting');
    await pass(rig.timers, 2_000);
    await rig.reach('live');
    expect(rig.server.connectionsOpened).toBe(2);
    expect(rig.server.subscriptions()).toEqual(before);
  });

  it('holds streamed bars while it catches up, then releases them: no hole, nothing twice', async () => {
    rig = await feedRig({ start: false });
    const r = rig;
    const emitted: number[] = [];
    r.engine.bus.subscribe('market.bars', (bars) => {
      for (const b of bars) if (b.symbol === 'SPY' && b.timeframe === '1m' && b.closed) emitted.push(b.start);
    });
    const release = r.server.holdRest();
    r.engine.start();
    await until(() => r.server.requests.some((q) => q.path === '/v2/stocks/bars'), 'the catch-up request');
    // The stream delivers a minute and a trade while the history request is still out.
    r.server.publishMinute(T0, ['SPY', 'QQQ']);
    r.server.publishTrade('SPY', T0 + MINUTE + 1_000, 600, 10);
    await settle(50);
    expect(r.minutes('SPY'), 'nothing is emitted before the history').toHaveLength(0);
    release();
    await r.reach('live');
    expect(emitted, 'history, then the held minute, each once and in order').toEqual(
      minutesBetween(OPEN, T0 + MINUTE),
    );
    expect(r.minutes('SPY').at(-1)).toMatchObject({ start: T0 + MINUTE, close: 600, closed: false });
  });

  it('fetches the seam when the history lagged the stream at release', async () => {
    rig = await feedRig({ start: false });
    const r = rig;
    r.server.hideRestFrom(T0 - MINUTE); // the 09:59 minute is not in the history yet
    r.engine.start();
    await r.reach('live');
    expect(r.minutes('SPY').at(-1)?.start).toBe(T0 - 2 * MINUTE);
    r.server.hideRestFrom(null);
    await pass(r.timers, MINUTE);
    await streamMinute(r, T0);
    expectMarketMinutes(r, 'SPY', OPEN, T0 + MINUTE);
    expectMarketMinutes(r, 'QQQ', OPEN, T0 + MINUTE);
  });

  it("waits as long as Retry-After says on HTTP 429, on the feed's timers", async () => {
    rig = await feedRig({ start: false });
    const r = rig;
    r.server.rateLimitNext(1, 7);
    r.engine.start();
    const barsRequests = () => r.server.requests.filter((q) => q.path === '/v2/stocks/bars').length;
    await until(
      () => r.states.some((s) => /rate limit.*waiting 7 s/.test(s.message ?? '')),
      'the rate-limit message',
    );
    await pass(r.timers, 6_000);
    expect(barsRequests(), 'no request before Retry-After has passed').toBe(1);
    await pass(r.timers, 1_000);
    await r.reach('live');
    expect(barsRequests()).toBeGreaterThan(1);
    expectMarketMinutes(r, 'SPY', OPEN, T0);
  });

  it('stops on refused keys (402) without retrying, and reconnects when new keys are saved', async () => {
    rig = await feedRig({ keys: { keyId: 'PKWRONGKEY000000', secret: 'wrongsecret000000000000' } });
    const r = rig;
    await r.reach('error');
    expect(r.states.at(-1)?.message).toMatch(
      /refused the API keys \(402 auth failed\).*save new keys under Broker keys/,
    );
    expect(r.log.lines.filter((line) => / ERROR .*refused the API keys/.test(line))).toHaveLength(1);
    await pass(r.timers, 10 * MINUTE, 10_000);
    expect(r.server.connectionsOpened, 'no retry with keys Alpaca refused').toBe(1);
    r.feed.updateKeys(TEST_KEYS);
    await r.reach('live');
    expect(r.server.connectionsOpened).toBe(2);
  });

  it('backs off in minutes on 406 (connection limit) and says why', async () => {
    rig = await feedRig({ start: false });
    const r = rig;
    r.server.failAuthWith(406, 406);
    r.engine.start();
    const retries = () => r.states.filter((s) => /retrying in/.test(s.message ?? '')).length;
    await until(() => retries() === 1, 'the first 406');
    // Never connected: still starting, not reconnecting.
    expect(r.states.at(-1)?.state).toBe('starting');
    expect(r.states.at(-1)?.message).toMatch(/one market-data connection per account.*406.*retrying in 60 s/);
    await pass(r.timers, 59_000, 5_000);
    expect(r.server.connectionsOpened, 'no retry within the first minute').toBe(1);
    await pass(r.timers, 1_000);
    await until(() => r.server.connectionsOpened === 2, 'the retry after a minute');
    await until(() => retries() === 2, 'the second 406');
    await pass(r.timers, 59_000, 5_000);
    expect(r.server.connectionsOpened, 'the second wait is at least a minute too').toBe(2);
    await pass(r.timers, 4 * MINUTE, 5_000);
    await r.reach('live');
  });

  for (const [what, url, expected] of [
    [
      'a host that does not resolve (no DNS: no internet)',
      () => Promise.resolve('ws://nonexistent.invalid'),
      (host: string) =>
        `^cannot reach Alpaca at ${host} \\(no internet connection, or blocked by a firewall\\?\\); retrying in [^;]+ \\[(ENOTFOUND|EAI_AGAIN)\\]$`,
    ],
    [
      'a refused connection',
      async () => `ws://127.0.0.1:${await closedPort()}`,
      (host: string) =>
        `^cannot reach Alpaca at ${host} \\(the connection was refused: [^)]+\\); retrying in [^;]+ \\[ECONNREFUSED\\]$`,
    ],
  ] as const) {
    it(`says plainly that it cannot reach Alpaca, given ${what}, and warns once while it retries`, async () => {
      rig = await feedRig({ streamUrl: await url() });
      const r = rig;
      const host = new URL(r.config.stockStreamUrl).host.replace(/\./g, '\\.');
      const failures = () => r.states.filter((s) => /retrying in/.test(s.message ?? ''));
      await until(() => failures().length >= 3 || (r.timers.advance(500), false), 'three failed attempts');
      for (const { state, message } of failures()) {
        expect(state, 'never connected: starting, not reconnecting').toBe('starting');
        expect(message).toMatch(new RegExp(expected(host)));
      }
      expect(r.states.some((s) => s.state === 'reconnecting' || /lost/.test(s.message ?? ''))).toBe(false);
      const logged = r.log.lines.filter((line) => line.includes('cannot reach Alpaca'));
      expect(logged.length).toBeGreaterThanOrEqual(3);
      expect(
        logged.filter((line) => / WARN /.test(line)),
        'the first failure is a warning; the same cause again is not logged as news',
      ).toEqual([logged[0]]);
      expect(logged.slice(1).every((line) => / DEBUG /.test(line))).toBe(true);
    });
  }

  it('tells "cannot reach" from "lost", warns again only when the cause changes, and notes the recovery', async () => {
    rig = await feedRig({ start: false });
    const r = rig;
    r.server.refuseUpgrades(2);
    r.engine.start();
    await until(
      () =>
        r.states.filter((s) => /answered HTTP 503/.test(s.message ?? '')).length === 2 ||
        (r.timers.advance(500), false),
      'two refused upgrades',
    );
    expect(r.states.find((s) => /HTTP 503/.test(s.message ?? ''))).toMatchObject({ state: 'starting' });
    await until(() => r.states.at(-1)?.state === 'live' || (r.timers.advance(500), false), 'connected');
    expect(r.states.some((s) => s.message === 'connected; catching up on missed minutes')).toBe(true);
    r.server.dropAll();
    await r.reach('reconnecting');
    expect(r.states.at(-1)?.message).toMatch(/^lost the connection to Alpaca \(.+\); retrying in /);
    await until(() => r.states.at(-1)?.state === 'live' || (r.timers.advance(500), false), 'reconnected');
    expect(r.states.some((s) => s.message === 'connected again; catching up on missed minutes')).toBe(true);

    const feedLines = r.log.lines.filter((line) => line.includes('[test:engine:feed]'));
    const warnings = feedLines.filter((line) => / WARN /.test(line));
    expect(warnings, 'one warning per cause: the refusal, then the drop').toHaveLength(2);
    expect(warnings[0]).toMatch(
      /starting \(Alpaca at 127\.0\.0\.1:\d+ answered HTTP 503 instead of opening the stream/,
    );
    expect(warnings[1]).toMatch(/reconnecting \(lost the connection to Alpaca/);
    expect(feedLines.some((line) => / INFO .*connected again; catching up/.test(line))).toBe(true);
    expect(
      feedLines.filter((line) => / (INFO|WARN) .*connecting to Alpaca( again)? \(attempt/.test(line)),
      'each attempt is logged at debug only',
    ).toEqual([]);
  });

  it('says what to do when the plan lacks the feed (409) and does not retry', async () => {
    rig = await feedRig({ feed: 'sip', server: { feeds: ['iex'] } });
    await rig.reach('error');
    expect(rig.states.at(-1)?.message).toMatch(/does not include the sip feed \(409.*--feed iex/);
    await pass(rig.timers, 5 * MINUTE, 10_000);
    expect(rig.server.connectionsOpened).toBe(1);
  });

  it('reports the symbol limit (405) and keeps streaming bars', async () => {
    rig = await feedRig({ server: { tradeSymbolLimit: 1 } });
    await rig.reach('live');
    await until(() => /405 symbol limit/.test(rig!.states.at(-1)?.message ?? ''), 'the 405 message');
    expect(rig.states.at(-1)).toMatchObject({ state: 'live' });
    expect(rig.states.at(-1)?.message).toMatch(/choose fewer symbols/);
    await streamMinute(rig, T0);
  });

  it('treats a socket whose pongs stop as dead and reconnects', async () => {
    rig = await feedRig({ tuning: { stream: { pingIntervalMs: 15_000, pongWaitMs: 5_000 } } });
    const r = rig;
    await r.reach('live');
    await pass(r.timers, 30_000);
    expect(r.server.connectionsOpened, 'pongs keep the socket alive').toBe(1);
    r.server.withholdPongs(true);
    await until(
      () => r.states.at(-1)?.state === 'reconnecting' || (r.timers.advance(1_000), false),
      'the pong deadline',
      5_000,
    );
    expect(r.states.at(-1)?.message).toMatch(/no answer to a ping within 5 s/);
    r.server.withholdPongs(false);
    await pass(r.timers, 2_000);
    await r.reach('live');
    expect(r.server.connectionsOpened).toBe(2);
  });

  it('logs each difference between Alpaca’s calendar and ours once', async () => {
    rig = await feedRig({ server: {} });
    const r = rig;
    r.server.overrideCalendar('2025-03-17', null);
    r.server.overrideCalendar('2025-03-18', { open: '09:30', close: '13:00' });
    await r.reach('live');
    const differences = () => r.log.lines.filter((line) => line.includes('market calendar differs'));
    await until(() => differences().length === 2, 'two calendar differences logged');
    expect(differences()[0]).toMatch(/differs on 2025-03-17: Alpaca closed, ours 09:30-16:00/);
    expect(differences()[1]).toMatch(/differs on 2025-03-18: Alpaca 09:30-13:00, ours 09:30-16:00/);
    r.server.dropAll();
    await pass(r.timers, 2_000);
    await r.reach('live');
    await settle(50);
    expect(differences()).toHaveLength(2);
  });

  it('never shows or logs the keys, even when a server echoes them in an error', async () => {
    rig = await feedRig();
    const r = rig;
    r.server.forbidRest(true);
    await until(
      () => r.states.some((s) => /catching up SPY failed/.test(s.message ?? '')),
      'the REST failure',
    );
    const message = r.states.find((s) => /failed/.test(s.message ?? ''))!.message!;
    expect(message).toMatch(/HTTP 403.*forbidden for key \[redacted\]/);
    const everything = [
      ...r.log.lines,
      ...r.states.map((s) => s.message ?? ''),
      JSON.stringify(r.engine.status()),
    ];
    for (const text of everything) {
      expect(text).not.toContain(TEST_KEYS.keyId);
      expect(text).not.toContain(TEST_KEYS.secret);
    }
    // The catch-up retries later, and succeeds once Alpaca answers.
    r.server.forbidRest(false);
    await pass(r.timers, 30_000, 5_000);
    await r.reach('live');
  });
});
