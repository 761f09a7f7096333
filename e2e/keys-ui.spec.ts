/**
 * The broker keys panel, as a trader uses it: the Broker keys button in the top bar opens it (named for
 * what it holds, not a gear that reads as general settings), it says whether keys are configured, where
 * from and how saved keys are kept (the engine's words, verbatim), checks the fields as they are typed,
 * saves and clears. The secret is never kept on the page after saving: the
 * inputs are cleared, and it appears nowhere in the page, its storage or the engine's output.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { keysStatus, startWorkstation, type RunningWorkstation } from './workstation';

const KEY_ID = 'PKUITEST00012345';
const SECRET = 'uiTestSecret0123456789abcdefGHIJ';

let dataDir: string;
let app: RunningWorkstation;

// Saved keys go to the data folder: one of the test's own, with no keys in the environment.
test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'trm-keys-ui-'));
  app = await startWorkstation(['--speed', '60', '--seed', '7', '--start', '2025-03-14T14:00:00Z'], {
    env: { TRM_DATA_DIR: dataDir, APCA_API_KEY_ID: '', APCA_API_SECRET_KEY: '' },
  });
});

test.afterAll(async () => {
  await app?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('the keys panel shows the status in the engine’s words, saves keys without keeping the secret, and clears them', async ({
  page,
}) => {
  await page.goto(app.url);
  await expect(page.locator('[data-connection-state="open"]')).toHaveCount(1);
  const gear = page.getByTestId('keys-button');
  await expect(gear, 'the button says what it opens').toHaveAccessibleName('Broker keys');
  await expect(gear).toHaveAttribute('title', /^Broker keys/);
  await gear.click();
  const panel = page.getByTestId('keys-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByRole('dialog', { name: 'Broker keys' })).toBeVisible();
  const keyId = panel.getByTestId('keys-key-id');
  const secret = panel.getByTestId('keys-secret');
  await expect(keyId, 'the first field has the focus').toBeFocused();
  await expect(secret).toHaveAttribute('type', 'password');

  const before = await keysStatus(page);
  const status = panel.getByTestId('keys-status');
  await expect(status).toHaveAttribute('data-configured', 'false');
  await expect(panel.getByTestId('keys-storage-note')).toHaveText(before.storageNote);
  expect(before.storageNote, 'web mode says who can read the saved keys').toMatch(/user/i);

  // Checked as typed, with the contract's own rules.
  await keyId.fill('PK-1');
  await expect(panel.getByTestId('keys-key-id-problem')).toHaveText('A key id has at least 8 characters');
  await secret.fill('short');
  await expect(panel.getByTestId('keys-secret-problem')).toHaveText('A secret has at least 16 characters');
  await expect(panel.getByTestId('keys-save')).toBeDisabled();

  await keyId.fill(KEY_ID);
  await secret.fill(SECRET);
  await expect(panel.getByTestId('keys-key-id-problem')).toBeEmpty();
  await panel.getByTestId('keys-save').click();
  await expect(status).toHaveAttribute('data-configured', 'true');
  await expect(status).toHaveAttribute('data-source', 'saved');
  await expect(panel.getByTestId('keys-hint')).toHaveText(`${KEY_ID.slice(0, 4)}…`);
  await expect(secret, 'the secret is not kept after saving').toHaveValue('');
  await expect(keyId).toHaveValue('');
  const after = await keysStatus(page);
  expect(after).toMatchObject({ configured: true, source: 'saved' });
  await expect(panel.getByTestId('keys-storage-note')).toHaveText(after.storageNote);

  const html = await page.content();
  const storage = await page.evaluate(
    () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
  );
  for (const text of [html, storage, app.output()]) expect(text).not.toContain(SECRET);

  // Escape closes the panel and gives the focus back to the button.
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(gear).toBeFocused();

  await gear.click();
  await expect(page.getByTestId('keys-status')).toHaveAttribute('data-configured', 'true');
  await page.getByTestId('keys-clear').click();
  await expect(page.getByTestId('keys-status')).toHaveAttribute('data-configured', 'false');
  expect((await keysStatus(page)).configured).toBe(false);
});
