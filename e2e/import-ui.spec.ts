/**
 * Importing history from the window, as a trader does: the Import button opens the panel, the file
 * picker takes a CSV written here, the files go to the engine in chunks, progress shows while it runs,
 * and the report counts files imported, rows stored, rows refused and files refused apart, and lists every
 * refusal with file, line and reason; the new symbol then appears.
 * A refusal by the engine (here: the market database held by another process) is shown as sent.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { recordCalls, startWorkstation, type RunningWorkstation } from './workstation';

let dataDir: string;
let app: RunningWorkstation;

// Demo mode imports into the market database of the data folder: a folder of the test's own.
test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'trm-import-ui-'));
  app = await startWorkstation(['--speed', '60', '--seed', '7', '--start', '2025-03-14T14:00:00Z'], {
    env: { TRM_DATA_DIR: dataDir },
  });
});

test.afterAll(async () => {
  await app?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const JANUARY_2021_SESSIONS = [4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 19, 20, 21, 22, 25, 26, 27, 28, 29];

/**
 * Daily bars of ACME in Yahoo's format: the January 2021 sessions, plus a row on Martin Luther King Day
 * (the exchange was closed) and a row whose high is below its low. Returns the text and the two bad lines.
 */
function acmeFile(): { text: string; holidayLine: number; badLine: number } {
  const lines = ['Date,Open,High,Low,Close,Volume'];
  let holidayLine = 0;
  for (const day of JANUARY_2021_SESSIONS) {
    if (day === 19) {
      lines.push('2021-01-18,10.00,10.50,9.80,10.20,1000');
      holidayLine = lines.length;
    }
    const open = 10 + day / 10;
    lines.push(
      `2021-01-${String(day).padStart(2, '0')},${open.toFixed(2)},${(open + 0.5).toFixed(2)},${(open - 0.3).toFixed(2)},${(open + 0.1).toFixed(2)},${1000 + day}`,
    );
  }
  lines.push('2021-02-01,10.00,9.00,11.00,10.00,1000');
  return { text: `${lines.join('\n')}\n`, holidayLine, badLine: lines.length };
}

/** Records every phase the import panel shows, however briefly (a fast import may flash by). */
async function watchPhases(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen = new Set<string>();
    (window as unknown as { importPhases: Set<string> }).importPhases = seen;
    new MutationObserver(() => {
      const progress = document.querySelector('[data-testid=import-progress]');
      if (progress) seen.add(progress.getAttribute('data-phase') ?? '');
      if (document.querySelector('[data-testid=import-report]')) seen.add('report');
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  return () => page.evaluate(() => [...(window as unknown as { importPhases: Set<string> }).importPhases]);
}

test('a CSV chosen in the window is imported, with progress and a report of every rejection; the screen reloads', async ({
  page,
}) => {
  const { text, holidayLine, badLine } = acmeFile();
  const file = join(dataDir, 'acme.csv');
  writeFileSync(file, text);
  // A file with no price columns: refused whole.
  const notes = join(dataDir, 'notes.csv');
  writeFileSync(notes, 'topic,comment\nearnings,call on Tuesday\n');
  const calls = recordCalls(page);
  await page.goto(app.url);
  await expect(page.locator('[data-connection-state="open"]')).toHaveCount(1);
  await expect
    .poll(() => calls.filter((call) => call.method === 'market.bars').length)
    .toBeGreaterThanOrEqual(4);

  await page.getByTestId('import-button').click();
  const panel = page.getByTestId('import-panel');
  await expect(panel).toBeVisible();
  const phases = await watchPhases(page);
  await panel.getByTestId('import-file-input').setInputFiles([file, notes]);

  const report = panel.getByTestId('import-report');
  await expect(report).toBeVisible({ timeout: 60_000 });
  // Refused rows and the refused file are counted apart, not added up as "3 rejected".
  await expect(panel.getByTestId('import-summary')).toContainText(
    `1 file imported, ${JANUARY_2021_SESSIONS.length} rows stored, 2 rows refused, 1 file refused.`,
  );
  const rejections = panel.getByTestId('import-rejection');
  await expect(rejections).toHaveCount(3);
  const refusedFile = rejections.and(page.locator('[data-file="notes.csv"][data-line="0"]'));
  await expect(refusedFile, 'the refused file is listed as a whole file').toContainText('file');
  for (const line of [holidayLine, badLine]) {
    const row = rejections.and(page.locator(`[data-file="acme.csv"][data-line="${line}"]`));
    await expect(row, `line ${line} is reported`).toHaveCount(1);
    await expect(row.locator('.rejection-reason')).not.toBeEmpty();
  }
  expect(await phases(), 'the upload and the import were shown while they ran').toEqual(
    expect.arrayContaining(['sending', 'importing', 'report']),
  );

  // The symbol list and the four panes load again once the import has stored bars.
  const finished = calls.findIndex((call) => call.method === 'import.finish');
  expect(finished).toBeGreaterThan(0);
  await expect
    .poll(() => calls.slice(finished).filter((call) => call.method === 'market.symbols').length)
    .toBe(1);
  // A pane's load asks for its newest bars; the watchlist's quotes (the newest two daily bars) load again too.
  await expect
    .poll(
      () =>
        calls
          .slice(finished)
          .filter(
            (call) =>
              call.method === 'market.bars' && call.params.before === undefined && call.params.limit !== 2,
          ).length,
    )
    .toBe(4);
});

test('in demo mode the import says where the bars went and how to see them', async ({ page }) => {
  const file = join(dataDir, 'acme.csv');
  writeFileSync(file, acmeFile().text);
  await page.goto(app.url);
  await page.getByTestId('import-button').click();
  await page.getByTestId('import-file-input').setInputFiles(file);
  await expect(page.getByTestId('import-report')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('import-demo-note')).toContainText('--mode replay');
  // The demo's symbol list stays the generated market's: real and generated data never mix.
  await expect(page.getByTestId('symbol-picker').locator('option', { hasText: 'ACME' })).toHaveCount(0);
});

test('an import the engine refuses shows its message as sent', async ({ page }) => {
  const file = join(dataDir, 'spy.csv');
  writeFileSync(file, 'Date,Open,High,Low,Close,Volume\n2021-01-04,370,372,368,371,1000\n');
  // Another process holds the market database, as a second workstation would.
  const holder = new Database(join(dataDir, 'market.sqlite'));
  try {
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('BEGIN EXCLUSIVE; COMMIT');
    await page.goto(app.url);
    await page.getByTestId('import-button').click();
    await page.getByTestId('import-file-input').setInputFiles(file);
    const error = page.getByTestId('import-error');
    await expect(error).toBeVisible({ timeout: 30_000 });
    await expect(error).toContainText('is in use by another TRM Workstation process');
    await expect(page.getByTestId('import-choose'), 'the trader can try again').toBeEnabled();
  } finally {
    holder.close();
  }
});
