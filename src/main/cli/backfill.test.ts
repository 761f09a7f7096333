/**
 * `trm backfill` as a process against the loopback Alpaca server: progress lines, every timeframe
 * stored, official daily bars, and an interrupted run that resumes where it stopped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nyseCalendar } from '../core/calendar';
import { TEST_KEYS } from '../market/alpaca/test-fixtures/feed-rig';
import { openStore } from '../store/store';
import { dailyBar } from '../test-support/alpaca-server/market';
import { AlpacaTestServer } from '../test-support/alpaca-server/server';
import { runTrm } from './test-fixtures/run-trm';

/** Monday 17 March 2025 after the close: the week of 10-14 March is history. */
const HORIZON = Date.parse('2025-03-17T21:00:00Z');
const WEEK = ['2025-03-10', '2025-03-11', '2025-03-12', '2025-03-13', '2025-03-14'];

let server: AlpacaTestServer;
let dir: string;
let db: string;
beforeEach(async () => {
  server = await AlpacaTestServer.start({ keys: TEST_KEYS, horizon: HORIZON, pageSize: 500 });
  dir = mkdtempSync(join(tmpdir(), 'trm-backfill-'));
  db = join(dir, 'market.sqlite');
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ ...server.env(), TRM_DATA_DIR: dir });
const args = ['backfill', '--symbols', 'SPY,QQQ', '--from', '2025-03-10', '--to', '2025-03-14'];

function expectWeekStored(): void {
  const store = openStore(db);
  try {
    for (const symbol of ['SPY', 'QQQ']) {
      const minutes = store.bars.range(symbol, '1m', { limit: 10_000 });
      expect(minutes, `${symbol}: every minute of the week once`).toHaveLength(5 * 390);
      expect(new Set(minutes.map((b) => b.start)).size).toBe(5 * 390);
      expect(minutes.every((b) => b.closed)).toBe(true);
      const truth = server.bar(symbol, minutes[100]!.start);
      expect(minutes[100]).toMatchObject({
        open: truth.o,
        close: truth.c,
        vwap: truth.vw,
        tradeCount: truth.n,
      });
      expect(store.bars.range(symbol, '5m', { limit: 10_000 }).filter((b) => b.closed)).toHaveLength(5 * 78);
      expect(store.bars.range(symbol, '1h', { limit: 10_000 }).filter((b) => b.closed)).toHaveLength(5 * 7);
      const daily = store.bars.range(symbol, '1D', { limit: 100 });
      expect(daily.map((b) => b.start)).toEqual(WEEK.map((d) => nyseCalendar.sessionOn(d)!.open));
      // The official daily bar wins over the one aggregated from minutes.
      const friday = nyseCalendar.sessionOn('2025-03-14')!;
      const official = dailyBar(symbol, friday, HORIZON, Date.parse('2025-03-14T04:00:00Z'))!;
      expect(daily.at(-1)).toMatchObject({
        open: official.o,
        high: official.h,
        volume: official.v,
        closed: true,
      });
    }
  } finally {
    store.close();
  }
}

describe('trm backfill', () => {
  it('fetches a range with progress lines and stores every timeframe', async () => {
    const trm = runTrm([...args, '--db', db], env());
    expect(await trm.exited, trm.stderr()).toBe(0);
    const out = trm.stdout();
    expect(out).toMatch(/^Backfilling SPY, QQQ 1Min \(iex feed\) from 2025-03-10 to 2025-03-14 into /);
    expect(out).toMatch(/SPY 1Min: through 2025-03-11 \d\d:\d\d ET, 500 minute bars \d+%/);
    expect(out).toMatch(/QQQ 1Min: through 2025-03-14 15:59 ET, 1,950 minute bars \(done\) 100%/);
    expect(out).toMatch(/Done: 3,900 minute bars and 10 daily bars written\./);
    expectWeekStored();
    // The same range again has nothing to do.
    const again = runTrm([...args, '--db', db], env());
    expect(await again.exited).toBe(0);
    expect(again.stdout()).toMatch(/already backfilled; --restart fetches it again/);
    expect(again.stdout()).toMatch(/Done: 0 minute bars and 0 daily bars written; SPY, QQQ already done\./);
  });

  it('resumes an interrupted backfill where it stopped', async () => {
    server.hangBarsAfter(2); // two pages of SPY (1,000 minutes), then the network goes quiet
    const first = runTrm([...args, '--db', db], env());
    await first.waitFor(/through 2025-03-12 \d\d:\d\d ET, 1,000 minute bars/);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(130);
    const before = server.requests.filter((r) => r.path === '/v2/stocks/bars').length;
    expect(first.stdout()).toMatch(
      /SIGTERM: stopped\. What was fetched is saved; run the same command again to resume/,
    );

    server.hangBarsAfter(Infinity);
    const second = runTrm([...args, '--db', db], env());
    expect(await second.exited, second.stderr()).toBe(0);
    expect(second.stdout()).toMatch(
      /SPY 1Min: through 2025-03-12 \d\d:\d\d ET, 1,000 minute bars \(resuming/,
    );
    const resumedAt = server.requests.filter((r) => r.path === '/v2/stocks/bars')[before]!;
    expect(resumedAt.query.start, 'the second run starts at the session of the last written minute').toBe(
      '2025-03-12T13:30:00.000Z',
    );
    expectWeekStored();
  });

  it('fetches daily bars alone with --timeframe 1Day', async () => {
    const trm = runTrm([...args, '--timeframe', '1Day', '--db', db], env());
    expect(await trm.exited, trm.stderr()).toBe(0);
    const store = openStore(db);
    try {
      expect(store.bars.range('SPY', '1D', { limit: 100 })).toHaveLength(5);
      expect(store.bars.range('SPY', '1m', { limit: 100 })).toHaveLength(0);
    } finally {
      store.close();
    }
  });

  it('says plainly what is wrong with a range in the future or missing keys', async () => {
    const future = runTrm(['backfill', '--symbols', 'SPY', '--from', '2099-01-05', '--db', db], env());
    expect(await future.exited).toBe(2);
    expect(future.stderr()).toMatch(/no trading session has happened between 2099-01-05 and now/);
    const noKeys = runTrm([...args, '--db', db], { ...env(), APCA_API_KEY_ID: '', APCA_API_SECRET_KEY: '' });
    expect(await noKeys.exited).toBe(2);
    expect(noKeys.stderr()).toMatch(
      /trm backfill needs Alpaca API keys: set APCA_API_KEY_ID and APCA_API_SECRET_KEY/,
    );
  });

  it('says plainly that Alpaca cannot be reached, with the code for support last', async () => {
    const trm = runTrm([...args, '--db', db], {
      ...env(),
      TRM_ALPACA_DATA_URL: 'http://nonexistent.invalid',
    });
    expect(await trm.exited).toBe(2);
    expect(trm.stderr()).toMatch(
      /^trm: cannot reach Alpaca at nonexistent\.invalid for market data \(no internet connection, or blocked by a firewall\?\)\. What was fetched is saved; run the same command again to resume\. \[(ENOTFOUND|EAI_AGAIN)\]$/m,
    );
    expect(trm.stderr()).not.toMatch(/interceptors|fetch failed/);
  });

  it('never prints the keys, even when Alpaca echoes them in an error', async () => {
    server.forbidRest(true);
    const trm = runTrm([...args, '--db', db], env());
    expect(await trm.exited).toBe(2);
    expect(trm.stderr()).toMatch(/HTTP 403: forbidden for key \[redacted\]/);
    for (const text of [trm.stdout(), trm.stderr()]) {
      expect(text).not.toContain(TEST_KEYS.keyId);
      expect(text).not.toContain(TEST_KEYS.secret);
    }
  });
});
