/**
 * A browser tab left open across an engine restart (issue 16): the web token is kept per data folder, so
 * the same page, never reloaded, connects again by itself and its charts and trading panel load again;
 * after `--new-token` the old page is refused and told how to start the workstation (`npm start`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { stopProcess, WorkstationPage } from './workstation';

// Friday 14 March 2025, 10:00 ET, 60 market seconds a wall second: a new 1-minute bar each second.
const DEMO_ARGS = ['--speed', '60', '--seed', '7', '--start', '2025-03-14T14:00:00Z'];

let dataDir: string;
let port: number;
let running: ChildProcess | undefined;

/** A port free now, so that both starts can ask for the same one (no fallback to another). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** Starts `trm web` on the test's data folder and port; resolves with the address it prints. */
async function startWeb(extra: string[] = []): Promise<string> {
  const child = spawn(
    process.execPath,
    ['bin/trm.mjs', 'web', '--port', String(port), ...DEMO_ARGS, ...extra],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TRM_DATA_DIR: dataDir } },
  );
  running = child;
  let output = '';
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`trm web printed no address in 60 s:\n${output}`)),
      60_000,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /running at (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`trm web exited with ${code}:\n${output}`));
    });
  });
}

async function stopWeb(): Promise<void> {
  if (running) await stopProcess(running, 'SIGTERM');
  running = undefined;
}

test.beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'trm-e2e-reconnect-'));
  port = await freePort();
});

test.afterEach(async () => {
  await stopWeb();
  rmSync(dataDir, { recursive: true, force: true });
});

test('an open page reconnects by itself after the engine restarts, and reloads its panels', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const url = await startWeb();
  const ui = new WorkstationPage(page);
  await page.goto(url);
  const connected = page.locator('body[data-connection-state="open"]');
  await expect(connected).toHaveCount(1);
  const minutes = ui.pane('1m');
  await expect.poll(() => ui.barCount(minutes), { timeout: 60_000 }).toBeGreaterThan(5);
  await expect(page.getByTestId('trading-panel')).toHaveAttribute('data-available', 'true', {
    timeout: 60_000,
  });

  await stopWeb();
  await expect(connected).toHaveCount(0);
  await expect(page.getByTestId('status-connection')).not.toHaveAttribute('data-state', 'open');
  const lastBefore = await ui.lastStart(minutes);

  // Same data folder, same port: the same address, so the page's token is still good.
  expect(await startWeb()).toBe(url);
  await expect(connected).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId('status-connection')).toHaveAttribute('data-state', 'open');
  await expect(page.getByTestId('status-connection')).toContainText(/connected/i);
  await expect(page.getByTestId('link-problem')).toHaveCount(0);
  // The chart listens again: bars newer than any it had before the restart arrive and are drawn.
  await expect
    .poll(() => ui.lastStart(minutes), { timeout: 30_000, message: 'a 1m bar newer than before the stop' })
    .toBeGreaterThan(lastBefore);
  await ui.expectCandlesDrawn('1m');
  await expect(page.getByTestId('trading-panel')).toHaveAttribute('data-available', 'true');
  await expect(page.getByTestId('blotter')).toHaveAttribute('data-loaded', 'true');
  // The trading panel listens again too: an order placed from the CLI now shows as a position.
  const position = page.locator('[data-testid=position-row][data-symbol="SPY"]');
  await expect(position).toHaveCount(0);
  const placed = spawnSync(
    process.execPath,
    [
      'bin/trm.mjs',
      'order',
      'place',
      '--symbol',
      'SPY',
      '--side',
      'buy',
      '--qty',
      '1',
      '--db',
      join(dataDir, 'demo.sqlite'),
    ],
    { encoding: 'utf8', timeout: 60_000, env: { ...process.env, TRM_DATA_DIR: dataDir } },
  );
  expect(placed.status, placed.stderr).toBe(0);
  await expect(position).toHaveCount(1, { timeout: 30_000 });
});

test('after --new-token the old page is refused and told to open the address npm start prints', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const url = await startWeb();
  await page.goto(url);
  await expect(page.locator('body[data-connection-state="open"]')).toHaveCount(1);

  await stopWeb();
  const renewed = await startWeb(['--new-token']);
  expect(renewed).not.toBe(url);

  const banner = page.getByTestId('link-problem');
  await expect(banner).toHaveAttribute('data-kind', 'token-rejected', { timeout: 30_000 });
  await expect(banner).toContainText('refused this page');
  await expect(banner).toContainText('npm start');
  await expect(page.locator('body[data-connection-state="open"]')).toHaveCount(0);
});
