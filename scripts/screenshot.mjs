// `npm run screenshot`: starts the web mode on a fresh demo world, lets it run, and saves what a
// trader sees to docs/screenshot.png (the README's picture). Uses Debian's Chromium, never a download.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium.mjs';
import { root } from './ensure-built.mjs';

const dir = mkdtempSync(join(tmpdir(), 'trm-screenshot-'));
const child = spawn(
  process.execPath,
  [
    join(root, 'bin', 'trm.mjs'),
    'web',
    '--port',
    '0',
    '--db',
    join(dir, 'demo.sqlite'),
    '--speed',
    '30',
    '--start',
    '2025-03-14T14:45:00Z',
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const url = await new Promise((resolve, reject) => {
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
    const match = /running at (\S+)/.exec(output);
    if (match) resolve(match[1]);
  });
  child.once('exit', (code) => reject(new Error(`trm web exited with ${code}`)));
});
const browser = await chromium.launch(chromiumLaunchOptions);
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(url);
  await page.getByTestId('status-feed').filter({ hasText: 'live' }).waitFor({ timeout: 60_000 });
  await page.waitForTimeout(8_000);
  mkdirSync(join(root, 'docs'), { recursive: true });
  await page.screenshot({ path: join(root, 'docs', 'screenshot.png') });
  console.log('saved docs/screenshot.png');
} finally {
  await browser.close();
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
