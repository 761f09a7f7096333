/**
 * Paper mode end to end: `trm web --mode paper` with Alpaca keys in the environment, against the
 * loopback Alpaca server (TRM_ALPACA_* pointing at it), opened in Chromium. The keys must reach
 * neither the page (DOM, storage) nor any WebSocket frame in either direction, nor the process output;
 * and the charts draw the history the feed caught up on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { AlpacaTestServer } from '../src/main/test-support/alpaca-server/server';
import { keysStatus, startWorkstation, WorkstationPage, type RunningWorkstation } from './workstation';

const KEYS = { keyId: 'PKE2EPAPERKEY0001', secret: 'e2ePaperSecret0123456789abcdefXYZ' };

let server: AlpacaTestServer;
let dir: string;
let app: RunningWorkstation;

test.beforeAll(async () => {
  // The server's history follows the wall clock and streams each minute as it closes (in session).
  server = await AlpacaTestServer.start({ keys: KEYS, horizon: 'wall', live: true });
  dir = mkdtempSync(join(tmpdir(), 'trm-e2e-paper-'));
  app = await startWorkstation(['--mode', 'paper'], {
    db: join(dir, 'market.sqlite'),
    env: { ...server.env(), TRM_DATA_DIR: dir },
  });
});

test.afterAll(async () => {
  await app?.stop();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('paper mode draws Alpaca data and never lets the keys reach the browser', async ({ page }) => {
  const frames: string[] = [];
  page.on('websocket', (ws) => {
    const keep = ({ payload }: { payload: string | Buffer }) =>
      frames.push(typeof payload === 'string' ? payload : payload.toString('utf8'));
    ws.on('framesent', keep);
    ws.on('framereceived', keep);
  });
  const ui = new WorkstationPage(page);
  await page.goto(app.url);
  await expect(page.locator('[data-connection-state="open"]')).toHaveCount(1);
  // Caught up on the last sessions: live while the market is open, closed otherwise.
  await expect(page.getByTestId('status-feed')).toContainText(/live|closed/i, { timeout: 60_000 });
  // The loopback server's prices follow the wall clock: the 1m pane may show a stretch that only rises.
  await ui.expectCandlesDrawn('1m', 'SPY', true);
  await ui.expectCandlesDrawn('1D');

  // Ask for the keys' status over a WebSocket of the page itself, as the settings panel does.
  const status = await keysStatus(page);
  expect(status).toMatchObject({ source: 'environment', keyIdHint: `${KEYS.keyId.slice(0, 4)}…` });

  expect(frames.length, 'the page talked to the engine over its WebSocket').toBeGreaterThan(5);
  expect(
    frames.some((f) => f.includes('keyIdHint')),
    'a keys status crossed a WebSocket',
  ).toBe(true);
  expect(
    frames.some((f) => f.includes('alpaca iex')),
    'the status frames name the Alpaca feed',
  ).toBe(true);
  const page_ = {
    html: await page.content(),
    text: await page.evaluate(() => document.body.innerText),
    storage: await page.evaluate(
      () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    ),
  };
  for (const secret of [KEYS.keyId, KEYS.secret]) {
    expect(page_.html, 'the DOM holds no key').not.toContain(secret);
    expect(page_.text).not.toContain(secret);
    expect(page_.storage, 'browser storage holds no key').not.toContain(secret);
    expect(
      frames.filter((f) => f.includes(secret)),
      'no WebSocket frame carries a key',
    ).toEqual([]);
    expect(app.output(), 'the process output carries no key').not.toContain(secret);
  }
});
