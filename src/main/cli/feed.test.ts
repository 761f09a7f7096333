/**
 * `trm feed` as a process against the loopback Alpaca server (TRM_ALPACA_* pointing at it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nyseCalendar } from '../core/calendar';
import { TEST_KEYS } from '../market/alpaca/test-fixtures/feed-rig';
import { openStore } from '../store/store';
import { AlpacaTestServer } from '../test-support/alpaca-server/server';
import { runTrm } from './test-fixtures/run-trm';

/** Minutes closed by `now` in the last `count` sessions that opened at or before it (NYSE calendar). */
function closedMinutesOfLastSessions(count: number, now: number): number {
  let minutes = 0;
  let session = nyseCalendar.sessionOnOrBefore(now);
  for (let k = 0; k < count; k++, session = nyseCalendar.previousSession(session))
    minutes += Math.floor((Math.min(session.close, now) - session.open) / 60_000);
  return minutes;
}

let server: AlpacaTestServer;
let dir: string;
beforeEach(async () => {
  server = await AlpacaTestServer.start({ keys: TEST_KEYS, horizon: 'wall', live: true });
  dir = mkdtempSync(join(tmpdir(), 'trm-feed-'));
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('trm feed', () => {
  it('streams Alpaca into the store with a status line per change, and stops cleanly on SIGTERM', async () => {
    const db = join(dir, 'market.sqlite');
    const trm = runTrm(['feed', '--source', 'alpaca', '--symbols', 'spy,QQQ', '--feed', 'iex', '--db', db], {
      ...server.env(),
      TRM_DATA_DIR: dir,
    });
    await trm.waitFor(/ (live|closed)(: |\n)/);
    const lines = trm.stdout().split('\n');
    expect(lines[0]).toMatch(/^Streaming SPY, QQQ from Alpaca into .*market\.sqlite/);
    expect(lines.some((l) => / starting: connecting to Alpaca \(iex feed\)$/.test(l))).toBe(true);
    expect(lines.some((l) => / backfilling: catching up SPY \(1 of 2\)$/.test(l))).toBe(true);
    // The status lines are the command's output: not printed a second time as log lines on stderr.
    expect(trm.stderr()).not.toMatch(/feed alpaca iex: (starting|backfilling|live|closed)/);
    expect(trm.stderr()).not.toMatch(/catching up SPY \(1 of 2\)|connecting to Alpaca \(iex feed\)/);
    trm.child.kill('SIGTERM');
    expect(await trm.exited).toBe(0);
    expect(trm.stdout()).toMatch(/SIGTERM: stopped; every bar received is written/);
    for (const text of [trm.stdout(), trm.stderr()]) {
      expect(text).not.toContain(TEST_KEYS.keyId);
      expect(text).not.toContain(TEST_KEYS.secret);
    }

    const store = openStore(db);
    try {
      // Five sessions of minutes were caught up (the store was empty) and aggregated into every timeframe,
      // less up to a session (390 minutes, 78 five-minute bars); counted on the calendar, so that an early
      // close (the day after Thanksgiving: 210 minutes) or a session open for only minutes counts as it is.
      const minutes = closedMinutesOfLastSessions(5, Date.now());
      expect(store.bars.range('SPY', '1m', { limit: 10_000 }).length).toBeGreaterThanOrEqual(minutes - 390);
      expect(store.bars.range('QQQ', '5m', { limit: 10_000 }).length).toBeGreaterThan(minutes / 5 - 78);
      expect(store.bars.range('SPY', '1D', { limit: 1_000 }).length).toBeGreaterThan(200);
    } finally {
      store.close();
    }
  });

  it('says plainly that it cannot reach Alpaca, with one warning on stderr however often it retries', async () => {
    const trm = runTrm(['feed', '--symbols', 'SPY', '--db', join(dir, 'market.sqlite')], {
      ...server.env(),
      TRM_ALPACA_STREAM_URL: 'ws://nonexistent.invalid',
      TRM_DATA_DIR: dir,
    });
    const failure =
      / starting: cannot reach Alpaca at nonexistent\.invalid \(no internet connection, or blocked by a firewall\?\); retrying in [^;]+ \[(ENOTFOUND|EAI_AGAIN)\]$/gm;
    await trm.waitFor(new RegExp(`${failure.source}[\\s\\S]*${failure.source}`, 'm'));
    trm.child.kill('SIGTERM');
    expect(await trm.exited).toBe(0);
    expect(trm.stdout()).not.toMatch(/reconnecting|lost the connection|getaddrinfo/);
    const warnings = trm
      .stderr()
      .split('\n')
      .filter((line) => line.includes('cannot reach Alpaca'));
    expect(warnings, trm.stderr()).toHaveLength(1);
    expect(warnings[0]).toMatch(
      / WARN .*starting \(cannot reach Alpaca at nonexistent\.invalid \(no internet/,
    );
  });

  it('refuses to start without keys, saying how to give them', async () => {
    const trm = runTrm(['feed', '--symbols', 'SPY', '--db', join(dir, 'market.sqlite')], {
      TRM_DATA_DIR: dir,
      APCA_API_KEY_ID: '',
      APCA_API_SECRET_KEY: '',
      TRM_ALPACA_DATA_URL: server.dataUrl,
    });
    expect(await trm.exited).toBe(2);
    expect(trm.stderr()).toMatch(
      /paper mode needs Alpaca API keys: set APCA_API_KEY_ID and APCA_API_SECRET_KEY .* --mode demo/,
    );
    expect(server.requests).toHaveLength(0);
  });
});
