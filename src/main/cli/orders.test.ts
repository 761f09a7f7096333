/**
 * `trm orders` and `trm positions`: from the running workstation when there is one (a contract service
 * here; the real engine's in trading-cli.test.ts), else read-only from the trading journal the store wrote,
 * saying so on stderr.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Fill, Order, PortfolioSnapshot } from '../../shared/domain';
import type { JournalOrder } from '../core/trading/journal';
import { sampleFill, sampleOrder, sampleTradingStatus } from '../../shared/test-support/sample-trading';
import { openStore } from '../store/store';
import { runCaptured } from '../test-support/captured-cli';
import { contractService } from '../test-support/contract-service';
import { main } from './index';
import { serveWorkstation } from './test-fixtures/running-workstation';

const T0 = Date.UTC(2025, 2, 14, 14, 30);

function order(n: number, overrides: Partial<JournalOrder> = {}): JournalOrder {
  const time = T0 + n * 60_000;
  const filled = { status: 'filled', filledQty: 10, avgFillPrice: 500 } as const;
  return {
    ...sampleOrder({
      id: `demo-${n}`,
      clientOrderId: `c-${n}`,
      ...filled,
      submittedAt: time,
      updatedAt: time,
    }),
    stopTriggered: false,
    ...overrides,
  };
}

function fill(n: number, overrides: Partial<Fill> = {}): Fill {
  const ids = { id: `f-${n}`, orderId: `demo-${n}`, clientOrderId: `c-${n}` };
  return sampleFill({ ...ids, price: 500, fee: 1, time: T0 + n * 60_000, ...overrides });
}

const plain = ({ stopTriggered: _, ...o }: JournalOrder): Order => o;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-orders-'));
});
afterEach(() => {
  process.exitCode = undefined;
  delete process.env.TRM_DATA_DIR;
  rmSync(dir, { recursive: true, force: true });
});

const run = (...args: string[]) => runCaptured(main, args);

/**
 * A demo journal as the demo broker leaves it: $100,000 deposited, 10 SPY bought at 500 and 4 sold at
 * 510 (fees $1 each), a limit order still working; the last stored SPY minute closed at 505.
 */
function writeJournal(db: string, account = 'demo'): void {
  const store = openStore(db, { onWarning: () => {} });
  try {
    store.trading.record(account, {
      cash: [{ id: 'deposit', time: T0, amount: 100_000, reason: 'starting cash' }],
      orders: [
        order(1),
        order(2, { side: 'sell', qty: 4, filledQty: 4, avgFillPrice: 510 }),
        order(3, { type: 'limit', limitPrice: 490, status: 'new', filledQty: 0, avgFillPrice: null }),
      ],
      fills: [fill(1), fill(2, { side: 'sell', qty: 4, price: 510 })],
    });
    const start = T0 + 10 * 60_000;
    store.bars.upsert([
      { symbol: 'SPY', timeframe: '1m', start, open: 504, high: 506, low: 503, close: 505, volume: 1000, closed: true },
    ]); // prettier-ignore
  } finally {
    store.close();
  }
}

describe('trm orders and trm positions with no workstation running', () => {
  it('read the journal in the database directly, and say so on stderr', async () => {
    const db = join(dir, 'demo.sqlite');
    writeJournal(db);

    const open = await run('orders', '--db', db, '--json');
    expect(open.exitCode ?? 0).toBe(0);
    expect(open.stderr).toBe(`no workstation is running; read from the journal in ${db} (account demo)\n`);
    expect(JSON.parse(open.stdout)).toEqual([plain(order(3, { type: 'limit', limitPrice: 490, status: 'new', filledQty: 0, avgFillPrice: null }))]); // prettier-ignore

    const all = await run('orders', '--status', 'all', '--db', db);
    const lines = all.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^SUBMITTED \(UTC\)\s+ID\s+SYMBOL\s+SIDE\s+QTY\s+TYPE\s+LIMIT\s+STOP\s+TIF\s+STATUS/,
    );
    expect(lines.slice(1).map((l) => l.split(/\s+/)[2])).toEqual(['demo-3', 'demo-2', 'demo-1']); // newest first
    expect(lines[1]).toMatch(/demo-3\s+SPY\s+buy\s+10\s+limit\s+490\.00\s+-\s+day\s+new\s+0\s+-$/);

    const positions = await run('positions', '--db', db, '--json');
    expect(positions.exitCode ?? 0).toBe(0);
    expect(positions.stderr).toMatch(/^no workstation is running; read from the journal in /);
    const snapshot = JSON.parse(positions.stdout) as PortfolioSnapshot;
    // Cash: 100,000 − 10·500 − 1 + 4·510 − 1 = 97,038; 6 SPY at 500 marked at 505.
    expect(snapshot.positions).toEqual([
      { symbol: 'SPY', qty: 6, avgPrice: 500, marketPrice: 505, unrealizedPnl: 30, realizedPnl: 38 },
    ]);
    expect(snapshot.account).toEqual({
      cash: 97_038,
      equity: 97_038 + 6 * 505,
      grossExposure: 3030,
      realizedPnl: 38,
      unrealizedPnl: 30,
      dayPnl: 0,
    });
    expect(snapshot.time).toBe(T0 + 10 * 60_000);

    const text = await run('positions', '--db', db);
    expect(text.stdout).toMatch(
      /^SYMBOL\s+QTY\s+AVG PRICE\s+LAST\s+UNREALIZED\s+REALIZED\nSPY\s+6\s+500\.00\s+505\.00\s+30\.00\s+38\.00\n/,
    );
    expect(text.stdout).toContain('Account: cash 97,038.00, equity 100,068.00, gross exposure 3,030.00');
    expect(text.stdout).not.toContain('day P&L'); // not known without the workstation
  });

  it('find the journal among the default databases, and ask for --db/--account when there are several', async () => {
    process.env.TRM_DATA_DIR = dir;
    const none = await run('orders');
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toMatch(/^trm orders: no workstation is running, and no trading journal in /);

    writeJournal(join(dir, 'demo.sqlite'));
    const one = await run('orders', '--status', 'all');
    expect(one.exitCode ?? 0).toBe(0);
    expect(one.stderr).toContain(join(dir, 'demo.sqlite'));

    writeJournal(join(dir, 'market.sqlite'), 'replay');
    const two = await run('positions');
    expect(two.exitCode).toBe(1);
    expect(two.stderr).toMatch(/several trading journals:\n {2}demo in .*demo\.sqlite\n {2}replay in .*market\.sqlite\nchoose one with --db PATH and --account NAME/); // prettier-ignore
    const chosen = await run('positions', '--account', 'replay', '--json');
    expect(chosen.exitCode ?? 0).toBe(0);
    expect(chosen.stderr).toContain('(account replay)');
  });
});

describe('trm positions of a broker account with no workstation running', () => {
  it('gives the positions of the journaled fills, and says the account needs the workstation', async () => {
    const db = join(dir, 'market.sqlite');
    const store = openStore(db, { onWarning: () => {} });
    store.trading.record('alpaca-paper', { orders: [order(1)], fills: [fill(1)] }); // no cash: Alpaca keeps it
    // Paper mode's shadow (demo fills for trm divergence) is not a trader's account: it is not chosen.
    store.trading.record('alpaca-paper-shadow', { orders: [order(1)], fills: [fill(1)] });
    store.close();
    const out = await run('positions', '--db', db);
    expect(out.exitCode ?? 0).toBe(0);
    expect(out.stderr).toMatch(/the journal of alpaca-paper holds no cash: .* needs the workstation\n$/);
    expect(out.stdout).toMatch(/^SYMBOL .*\nSPY\s+10\s+500\.00\s+-\s/);
    expect(out.stdout).not.toContain('Account:');
  });
});

describe('the journal of a workstation that was killed', () => {
  it('is read whole (its last writes only in the WAL), with nothing left beside the database', async () => {
    const db = join(dir, 'demo.sqlite');
    const root = resolve(fileURLToPath(import.meta.url), '../../../..');
    const script = join(dir, 'killed.ts');
    writeFileSync(
      script,
      `import { openStore } from ${JSON.stringify(join(root, 'src/main/store/store.ts'))};\n` +
        `const store = openStore(${JSON.stringify(db)});\n` +
        `store.trading.record('demo', { orders: ${JSON.stringify([order(1), order(2)])} });\n` +
        "process.kill(process.pid, 'SIGKILL');\n",
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      cwd: root,
    });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    expect(existsSync(`${db}-wal`)).toBe(true);

    const out = await run('orders', '--status', 'all', '--db', db, '--json');
    expect(out.exitCode ?? 0).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual([plain(order(2)), plain(order(1))]);
    expect(readdirSync(dir).sort()).toEqual(['demo.sqlite', 'killed.ts']);
  });
});

describe('trm orders and trm positions with a workstation running', () => {
  it('ask the workstation, and print what it answers', async () => {
    const db = join(dir, 'demo.sqlite');
    writeJournal(db); // not read: the workstation answers
    const asked: unknown[] = [];
    const snapshot: PortfolioSnapshot = {
      time: T0,
      account: { cash: 1, equity: 2, grossExposure: 3, realizedPnl: 4, unrealizedPnl: 5, dayPnl: -6.5 },
      positions: [],
    };
    const workstation = await serveWorkstation(
      contractService({
        'orders.list': (params) => {
          asked.push(params);
          return [plain(order(9))];
        },
        'trading.portfolio': () => snapshot,
        'trading.status': () =>
          sampleTradingStatus({ tradingState: 'halted', stateReason: 'the kill switch is on' }),
      }),
      db,
    );
    try {
      const orders = await run('orders', '--status', 'all', '--limit', '5', '--db', db, '--json');
      expect(orders.stderr).toBe('');
      expect(JSON.parse(orders.stdout)).toEqual([plain(order(9))]);
      expect(asked).toEqual([{ status: 'all', limit: 5 }]);
      const positions = await run('positions', '--db', db);
      expect(positions.stdout).toBe(
        'No positions.\nAccount: cash 1.00, equity 2.00, gross exposure 3.00, realized 4.00, unrealized 5.00, ' +
          'day P&L -6.50\nTrading: halted (the kill switch is on); Demo account\n' +
          'As of 2025-03-14 14:30:00Z (market time)\n',
      );
    } finally {
      await workstation.stop();
    }
  });

  it('refuse a bad --status or --limit with exit 2', async () => {
    expect((await run('orders', '--status', 'some')).exitCode).toBe(2);
    expect((await run('orders', '--limit', '0')).exitCode).toBe(2);
  });
});
