/**
 * Each replay run trades a fresh account of its own in the market database: a second run neither holds
 * what the first bought nor inherits its strategy following, the first run's journal is kept, and
 * `trm orders` / `trm positions` with no workstation running read the newest run and say which.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Order, PortfolioSnapshot } from '../../shared/domain';
import { isReplayAccount } from '../core/trading/replay-account';
import type { Engine } from '../engine/kernel';
import { openStore } from '../store/store';
import { runCaptured } from '../test-support/captured-cli';
import { main } from '../cli/index';
import { spyMinutes, startReplay as startReplayRun } from './test-fixtures/replay-run';

const DATES = ['2025-03-11', '2025-03-12', '2025-03-13'];
/** Wall time of the first run's start, and of the second's an hour later. */
const FIRST_RUN = Date.UTC(2026, 10, 30, 18, 23, 43, 512);
const HOUR = 3_600_000;

let dir: string;
const engines: Engine[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-replay-accounts-'));
});
afterEach(() => {
  for (const engine of engines.splice(0)) engine.stop();
  process.exitCode = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** A replay run, kept for stopping after the test. */
async function startReplay(db: string, date: string, runStart: number) {
  const run = await startReplayRun(db, date, runStart);
  engines.push(run.engine);
  return run;
}

function replayAccounts(db: string): string[] {
  const market = openStore(db);
  try {
    return market.trading.accounts().filter(isReplayAccount);
  } finally {
    market.close();
  }
}

describe('replay trading accounts', () => {
  it('gives each run a fresh account, keeps the earlier run journal, and the CLI reads the newest', async () => {
    const db = join(dir, 'market.sqlite');
    const source = openStore(db);
    for (const date of DATES) source.bars.upsert(spyMinutes(date));
    source.close();

    // Run 1 (March 13th): buys 10 SPY and turns strategy following on.
    const first = await startReplay(db, '2025-03-13', FIRST_RUN);
    await Promise.resolve(first.handlers['replay.control']({ action: 'play' }));
    first.timers.advance(3_000);
    const buy = { symbol: 'SPY', side: 'buy', qty: 10, type: 'market', tif: 'day' } as const;
    expect((await first.handlers['orders.place']({ ...buy, clientOrderId: 'first-buy' })).denial).toBeNull();
    first.timers.advance(3_000);
    expect((await first.handlers['trading.portfolio']({})).positions).toMatchObject([
      { symbol: 'SPY', qty: 10 },
    ]);
    expect((await first.handlers['strategy.setFollow']({ enabled: true })).following.enabled).toBe(true);
    first.engine.stop();
    const [firstAccount] = replayAccounts(db);
    expect(firstAccount).toBe('replay:2026-11-30T18:23:43Z');

    // Run 2 (an earlier day, an hour later): a fresh $100,000 account, nothing held, following off.
    const second = await startReplay(db, '2025-03-12', FIRST_RUN + HOUR);
    const fresh = await second.handlers['trading.portfolio']({});
    expect(fresh.positions).toEqual([]);
    expect(fresh.account).toMatchObject({ cash: 100_000, equity: 100_000, realizedPnl: 0 });
    expect(await second.handlers['orders.list']({ status: 'all', limit: 10 })).toEqual([]);
    expect((await second.handlers['trading.status']({})).following).toEqual({
      enabled: false,
      automatic: true,
    });
    second.engine.stop();

    const accounts = replayAccounts(db);
    expect(accounts).toEqual(['replay:2026-11-30T18:23:43Z', 'replay:2026-11-30T19:23:43Z']);
    const market = openStore(db);
    try {
      // The first run's journal is still there, whole; the second's holds only its deposit.
      const kept = market.trading.load(firstAccount!);
      expect(kept.orders.map((o) => [o.clientOrderId, o.status])).toEqual([['first-buy', 'filled']]);
      expect(kept.fills.reduce((n, f) => n + f.qty, 0)).toBe(10);
      const newer = market.trading.load(accounts[1]!);
      expect(newer.orders).toEqual([]);
      expect(newer.cash.map((c) => c.amount)).toEqual([100_000]);
    } finally {
      market.close();
    }

    // No workstation running: the newest run is read, named on stderr, with how to pick the other.
    const orders = await runCaptured(main, ['orders', '--status', 'all', '--db', db, '--json']);
    expect(orders.exitCode ?? 0).toBe(0);
    expect(JSON.parse(orders.stdout)).toEqual([]);
    expect(orders.stderr).toBe(
      `trm orders: 2 replay runs in ${db} (each trades an account of its own); reading the newest, ` +
        'replay:2026-11-30T19:23:43Z. Pick another with --account NAME:\n' +
        '  replay:2026-11-30T19:23:43Z (newest)\n' +
        '  replay:2026-11-30T18:23:43Z\n' +
        `no workstation is running; read from the journal in ${db} (account replay:2026-11-30T19:23:43Z)\n`,
    );
    const picked = await runCaptured(main, ['positions', '--db', db, '--account', firstAccount!, '--json']);
    expect(picked.exitCode ?? 0).toBe(0);
    expect(picked.stderr).toBe(
      `no workstation is running; read from the journal in ${db} (account ${firstAccount})\n`,
    );
    const snapshot = JSON.parse(picked.stdout) as PortfolioSnapshot;
    expect(snapshot.positions).toMatchObject([{ symbol: 'SPY', qty: 10 }]);
    const firstOrders = await runCaptured(main, ['orders', '--status', 'all', '--db', db, '--account', firstAccount!, '--json']); // prettier-ignore
    expect((JSON.parse(firstOrders.stdout) as Order[]).map((o) => o.clientOrderId)).toEqual(['first-buy']);
  });

  it('gives a run started in the same second as the last one an account of its own', async () => {
    const db = join(dir, 'market.sqlite');
    const source = openStore(db);
    source.bars.upsert(spyMinutes('2025-03-13'));
    source.close();
    for (let run = 0; run < 2; run++) (await startReplay(db, '2025-03-13', FIRST_RUN)).engine.stop();
    expect(replayAccounts(db)).toEqual(['replay:2026-11-30T18:23:43Z', 'replay:2026-11-30T18:23:44Z']);
  });
});
