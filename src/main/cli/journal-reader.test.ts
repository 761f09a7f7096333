/**
 * Which journal `trm orders` and `trm positions` read with no workstation running when the market
 * database holds several replay runs' accounts (each replay run trades an account of its own): the newest
 * run, named on stderr with the others; mixed with other accounts, the "several journals" message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Order } from '../../shared/domain';
import { sampleOrder } from '../../shared/test-support/sample-trading';
import { openStore } from '../store/store';
import { runCaptured } from '../test-support/captured-cli';
import { main } from './index';
import { chooseJournal } from './journal-reader';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-journal-reader-'));
});
afterEach(() => {
  process.exitCode = undefined;
  delete process.env.TRM_DATA_DIR;
  rmSync(dir, { recursive: true, force: true });
});

const run = (...args: string[]) => runCaptured(main, args);
const run1 = 'replay:2026-11-29T09:00:00Z';
const run2 = 'replay:2026-11-30T18:23:43Z';

/** One order (client id `<account>-order`) in each account's journal. */
function journal(db: string, ...accounts: string[]): void {
  const store = openStore(db, { onWarning: () => {} });
  try {
    for (const account of accounts) {
      store.trading.record(account, {
        cash: [{ id: 'C-1', time: 0, amount: 100_000, reason: 'starting cash' }],
        orders: [{ ...sampleOrder({ id: 'D-1', clientOrderId: `${account}-order` }), stopTriggered: false }],
      });
    }
  } finally {
    store.close();
  }
}

const clientIds = (stdout: string) => (JSON.parse(stdout) as Order[]).map((o) => o.clientOrderId);

describe('trm orders with several replay runs in the market database', () => {
  it('reads the newest run and says which, and how to pick another', async () => {
    const db = join(dir, 'market.sqlite');
    journal(db, run2, run1);
    const out = await run('orders', '--status', 'all', '--db', db, '--json');
    expect(out.exitCode ?? 0).toBe(0);
    expect(clientIds(out.stdout)).toEqual([`${run2}-order`]);
    expect(out.stderr).toMatch(
      new RegExp(
        `^trm orders: 2 replay runs in .*market\\.sqlite .*reading the newest, ${run2}\\. ` +
          `Pick another with --account NAME:\\n {2}${run2} \\(newest\\)\\n {2}${run1}\\n` +
          `no workstation is running; read from the journal in .* \\(account ${run2}\\)\\n$`,
      ),
    );
    const older = await run('orders', '--status', 'all', '--db', db, '--account', run1, '--json');
    expect(clientIds(older.stdout)).toEqual([`${run1}-order`]);
    expect(older.stderr).not.toContain('replay runs');
    // "replay" names the newest run (the database has no account called just "replay").
    const named = await run('orders', '--status', 'all', '--db', db, '--account', 'replay', '--json');
    expect(clientIds(named.stdout)).toEqual([`${run2}-order`]);
  });

  it('lists the ten newest runs by name and counts the older ones', () => {
    const db = join(dir, 'market.sqlite');
    const runs = Array.from({ length: 12 }, (_, i) => `replay:2026-11-${String(i + 10)}T12:00:00Z`);
    journal(db, ...runs);
    const chosen = chooseJournal([db], undefined);
    try {
      expect(chosen.account).toBe('replay:2026-11-21T12:00:00Z');
      const lines = chosen.note!.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^12 replay runs in /);
      expect(lines.slice(1)).toEqual([
        '  replay:2026-11-21T12:00:00Z (newest)',
        ...runs
          .slice(2, 11)
          .reverse()
          .map((r) => `  ${r}`),
        '  … and 2 older',
      ]);
    } finally {
      chosen.reader.close();
    }
  });

  it('keeps asking for --db and --account when replay runs are mixed with other accounts', async () => {
    process.env.TRM_DATA_DIR = dir;
    journal(join(dir, 'demo.sqlite'), 'demo');
    journal(join(dir, 'market.sqlite'), run1, run2, 'alpaca-paper');
    const mixed = await run('positions');
    expect(mixed.exitCode).toBe(1);
    expect(mixed.stderr).toMatch(
      new RegExp(
        '^trm positions: no workstation is running, and several trading journals:\\n' +
          ' {2}demo in .*demo\\.sqlite\\n {2}alpaca-paper in .*market\\.sqlite\\n' +
          ` {2}${run2} in .*market\\.sqlite \\(the newest of 2 replay runs\\)\\n` +
          'choose one with --db PATH and --account NAME \\(--account replay: the newest replay run\\)\\n$',
      ),
    );
    const newest = await run('orders', '--status', 'all', '--account', 'replay', '--json');
    expect(newest.exitCode ?? 0).toBe(0);
    expect(clientIds(newest.stdout)).toEqual([`${run2}-order`]);
    expect(newest.stderr).toContain(`reading the newest, ${run2}`);
  });
});
