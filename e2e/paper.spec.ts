/**
 * Paper mode end to end: `trm web --mode paper` with Alpaca keys in the environment, against the
 * loopback Alpaca server (TRM_ALPACA_* pointing at it), opened in Chromium. The keys must reach
 * neither the page (DOM, storage) nor any WebSocket frame in either direction, nor the process output;
 * and the charts draw the history the feed caught up on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { AlpacaTestServer } from '../src/main/test-support/alpaca-server/server';
import { WorkstationPage } from './workstation';

const KEYS = { keyId: 'PKE2EPAPERKEY0001', secret: 'e2ePaperSecret0123456789abcdefXYZ' };

let server: AlpacaTestServer;
let child: ChildProcess;
let dir: string;
let url: string;
let output = '';

test.beforeAll(async () => {
  // The server's history follows the wall clock and streams each minute as it closes (in session).
  server = await AlpacaTestServer.start({ keys: KEYS, horizon: 'wall', live: true });
  dir = mkdtempSync(join(tmpdir(), 'trm-e2e-paper-'));
  child = spawn(
    process.execPath,
    ['bin/trm.mjs', 'web', '--mode', 'paper', '--port', '0', '--db', join(dir, 'market.sqlite')],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...server.env(), TRM_DATA_DIR: dir } },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`trm web printed no address in 60 s:\n${output}`)),
      60_000,
    );
    child.stdout?.on('data', () => {
      const match = /running at (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`trm web exited with ${code}:\n${output}`));
    });
  });
});

test.afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
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
  await page.goto(url);
  await expect(page.locator('[data-connection-state="open"]')).toHaveCount(1);
  // Caught up on the last sessions: live while the market is open, closed otherwise.
  await expect(page.getByTestId('status-feed')).toContainText(/live|closed/i, { timeout: 60_000 });
  for (const timeframe of ['1m', '1D']) {
    const pane = ui.pane(timeframe);
    await expect(ui.legend(pane)).toHaveAttribute('data-symbol', 'SPY');
    await expect.poll(() => ui.barCount(pane), { message: `${timeframe} pane has bars` }).toBeGreaterThan(5);
    await expect
      .poll(
        async () => {
          const { up, down } = await ui.candlePixels(pane);
          return Math.min(up, down);
        },
        { message: `${timeframe} pane draws up and down candles` },
      )
      .toBeGreaterThan(50);
  }

  // Ask for the keys' status over a WebSocket of the page itself, as the settings panel does.
  const status = await page.evaluate(async () => {
    const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
    const ws = new WebSocket(`ws://${location.host}/ws?token=${encodeURIComponent(token)}`);
    await new Promise((resolve) => ws.addEventListener('open', resolve, { once: true }));
    const reply = new Promise<string>((resolve) =>
      ws.addEventListener('message', (event) => resolve(String(event.data)), { once: true }),
    );
    ws.send(JSON.stringify({ t: 'call', id: 1, method: 'settings.keysStatus', params: {} }));
    const text = await reply;
    ws.close();
    return text;
  });
  expect(status).toContain('"source":"environment"');
  expect(status).toContain(`"keyIdHint":"${KEYS.keyId.slice(0, 4)}…"`);

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
    expect(output, 'the process output carries no key').not.toContain(secret);
  }
});
