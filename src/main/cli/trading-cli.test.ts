/**
 * The trading commands against a real workstation: the demo engine (createModeEngine, as `trm web` starts
 * it, on a temp data folder, its wall time driven by the test) served on a loopback WebSocket with its
 * runtime file beside the demo database. A trader places, sees filled and cancels orders, is refused by
 * the risk engine by name, trips the kill switch, and after the workstation stops reads the same orders
 * and positions from the journal.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Order, PlaceOrderResult, PortfolioSnapshot, TradingStatus } from '../../shared/domain';
import type { Engine } from '../engine/kernel';
import { createModeEngine } from '../modes';
import { createMemoryLogger } from '../platform/log';
import { journalDbPath } from '../platform/runtime-file';
import { runCaptured } from '../test-support/captured-cli';
import { manualTimers, type ManualTimers } from '../test-support/manual-timers';
import { main } from './index';
import { serveWorkstation, type RunningWorkstation } from './test-fixtures/running-workstation';

const FRIDAY_10AM = Date.UTC(2025, 2, 14, 14, 0); // 10:00 New York

let dir: string;
let db: string;
let timers: ManualTimers;
let engine: Engine;
let workstation: RunningWorkstation;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trm-trading-cli-'));
  timers = manualTimers(FRIDAY_10AM);
  engine = createModeEngine({
    mode: 'demo',
    dataDir: dir,
    seed: 7,
    speed: 60,
    start: FRIDAY_10AM,
    news: false,
    timers,
    log: createMemoryLogger(),
  });
  engine.start();
  timers.drain();
  db = journalDbPath({ mode: 'demo', dataDir: dir });
  workstation = await serveWorkstation(engine.service, db, 'demo');
}, 60_000);

afterAll(async () => {
  await workstation.stop();
  engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  process.exitCode = undefined;
});

const trm = (...args: string[]) => runCaptured(main, [...args, '--db', db]);

/** Market time passes: at speed 60 a wall second is a market minute, so bars close and orders fill. */
function marketMinutes(n: number): void {
  for (let i = 0; i < n; i++) {
    timers.advance(1000);
    timers.drain();
  }
}

async function orders(status: 'open' | 'all'): Promise<Order[]> {
  const out = await trm('orders', '--status', status, '--json');
  expect(out.exitCode ?? 0, out.stderr).toBe(0);
  return JSON.parse(out.stdout) as Order[];
}

describe('trm against a running demo workstation', () => {
  it('places a market order that fills, and shows it in orders and positions', async () => {
    const placed = await trm('order', 'place', '--symbol', 'SPY', '--side', 'buy', '--qty', '10', '--json');
    expect(placed.exitCode ?? 0, placed.stderr).toBe(0);
    const { order } = JSON.parse(placed.stdout) as PlaceOrderResult;
    expect(order).toMatchObject({ symbol: 'SPY', side: 'buy', qty: 10, type: 'market', tif: 'day' });
    expect(placed.stderr).toContain(`--client-order-id ${order!.clientOrderId}`);

    marketMinutes(3);
    const all = await orders('all');
    expect(all[0]).toMatchObject({ id: order!.id, status: 'filled', filledQty: 10 });

    const positions = await trm('positions', '--json');
    const snapshot = JSON.parse(positions.stdout) as PortfolioSnapshot;
    expect(snapshot.positions.find((p) => p.symbol === 'SPY')).toMatchObject({ qty: 10 });
    // Money in cents: no 3.8699999999998636.
    const money = [
      ...Object.values(snapshot.account),
      ...snapshot.positions.flatMap((p) => [p.realizedPnl, p.unrealizedPnl ?? 0]),
    ];
    for (const value of money) expect(Math.round(value * 100) / 100).toBe(value);
    const text = await trm('positions');
    expect(text.stdout).toMatch(/^SYMBOL\s+QTY\s+AVG PRICE\s+LAST\s+UNREALIZED\s+REALIZED\nSPY\s+10\s/);
    expect(text.stdout).toMatch(/\nAccount: cash [\d,.]+, equity [\d,.]+, .*day P&L -?[\d,.]+\n/);
  });

  it('exits 3 naming price_band for a limit far from the last price', async () => {
    const args = ['order', 'place', '--symbol', 'QQQ', '--side', 'buy', '--qty', '1', '--type', 'limit'];
    const far = await trm(...args, '--limit-price', '1');
    expect(far.exitCode).toBe(3);
    expect(far.stderr).toMatch(/^price_band: /m);
  });

  it('places a limit order once however often it is retried, and cancels it by its client order id', async () => {
    const last = (JSON.parse((await trm('positions', '--json')).stdout) as PortfolioSnapshot).positions.find(
      (p) => p.symbol === 'SPY',
    )!.marketPrice!;
    const limit = (Math.round(last * 0.95 * 100) / 100).toFixed(2);
    const place = ['order', 'place', '--symbol', 'SPY', '--side', 'buy', '--qty', '2', '--type', 'limit'];
    const args = [...place, '--limit-price', limit, '--tif', 'gtc', '--client-order-id', 'cli-limit-1'];
    const first = await trm(...args);
    expect(first.exitCode ?? 0, first.stderr).toBe(0);
    const again = await trm(...args);
    expect(again.exitCode ?? 0, again.stderr).toBe(0);
    const open = await orders('open');
    expect(open.filter((o) => o.clientOrderId === 'cli-limit-1')).toHaveLength(1);

    const cancel = await trm('order', 'cancel', 'cli-limit-1');
    expect(cancel.exitCode ?? 0, cancel.stderr).toBe(0);
    expect(cancel.stdout).toMatch(/: buy 2 SPY limit [\d,.]+ gtc: (pending_cancel|canceled)/);
    marketMinutes(1);
    expect((await orders('open')).filter((o) => o.clientOrderId === 'cli-limit-1')).toHaveLength(0);
    const twice = await trm('order', 'cancel', 'cli-limit-1');
    expect(twice.exitCode ?? 0, twice.stderr).toBe(0);
    expect(twice.stdout).toMatch(/^Order \S+: buy 2 SPY limit [\d,.]+ gtc is already cancelled\n$/);

    // The same id for a different order: refused, naming the order the id belongs to.
    const other = ['order', 'place', '--symbol', 'SPY', '--side', 'sell', '--qty', '9'];
    const reused = await trm(...other, '--client-order-id', 'cli-limit-1');
    expect(reused.exitCode).toBe(2);
    expect(reused.stderr).toBe(
      `trm order place: client order id cli-limit-1 is already buy 2 SPY limit ${limit} gtc ` +
        `(${open.find((o) => o.clientOrderId === 'cli-limit-1')!.id}); use a new id\n`,
    );

    const unknown = await trm('order', 'cancel', 'no-such-order');
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toMatch(/^trm order cancel: .*no-such-order/);
  });

  it('exits 3 naming the rule when the risk engine refuses, and after the kill switch', async () => {
    const big = await trm('order', 'place', '--symbol', 'SPY', '--side', 'buy', '--qty', '1000');
    expect(big.exitCode).toBe(3);
    expect(big.stderr).toMatch(/^max_order_notional: \d.*25,?000/m); // the rule named once

    const on = await trm('kill-switch', 'on', '--json');
    expect(on.exitCode ?? 0, on.stderr).toBe(0);
    expect((JSON.parse(on.stdout) as TradingStatus).tradingState).toBe('halted');
    const halted = await trm('order', 'place', '--symbol', 'SPY', '--side', 'buy', '--qty', '1');
    expect(halted.exitCode).toBe(3);
    expect(halted.stderr).toMatch(/^trading_state: /m);

    const seen = await trm('kill-switch');
    expect(seen.exitCode ?? 0, seen.stderr).toBe(0);
    expect(seen.stdout).toBe('Kill switch on.\nTrading: halted (the kill switch is on); Demo account\n');
    expect((await trm('kill-switch', 'status')).stdout).toBe(seen.stdout);
    expect((await trm('positions')).stdout).toContain(
      '\nTrading: halted (the kill switch is on); Demo account\n',
    );

    const off = await trm('kill-switch', 'off');
    expect(off.exitCode ?? 0, off.stderr).toBe(0);
    expect(off.stdout).toMatch(/^Kill switch off\.\nTrading: active/);
    expect((await trm('kill-switch', 'status')).stdout).toBe(
      'Kill switch off.\nTrading: active; Demo account\n',
    );
  });

  it('trm limits shows the limits in force, sets the ones given, keeps the rest, and the risk engine uses them', async () => {
    const shown = await trm('limits');
    expect(shown.exitCode ?? 0, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^Risk limits in force \(Demo account\):\nRULE\s+LIMIT\s+SET WITH\n/);
    expect(shown.stdout).toMatch(/\nmax_order_notional\s+\$25,000\.00\s+--max-order-notional\n/);
    expect(shown.stdout).toMatch(/\nprice_band\s+10 %\s+--price-band\n/);

    const set = await trm('limits', '--max-order-notional', '1000', '--price-band', '5%', '--json');
    expect(set.exitCode ?? 0, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({
      maxOrderNotional: 1000,
      maxPositionNotional: 50_000,
      maxGrossExposure: 100_000,
      maxDailyLoss: 2000,
      maxOrdersPerMinute: 60,
      priceBand: 0.05,
    });
    const big = await trm('order', 'place', '--symbol', 'SPY', '--side', 'buy', '--qty', '10');
    expect(big.exitCode).toBe(3);
    expect(big.stderr).toMatch(/^max_order_notional: .*\$1,000 limit/m);

    const text = await trm('limits', '--max-order-notional', '25000');
    expect(text.stdout).toMatch(/^Risk limits set \(Demo account\); 1 changed:\n/);
    expect(text.stdout).toMatch(
      /\nmax_order_notional\s+\$25,000\.00\s+--max-order-notional {2}\(changed\)\n/,
    );
    expect(text.stdout).toMatch(/\nprice_band\s+5 %\s+--price-band\n/);
    await trm('limits', '--price-band', '0.1');

    const bad = await trm('limits', '--max-daily-loss', '-5');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--max-daily-loss must be dollars above 0/);
  });

  it('refuses malformed input at the contract with exit 2, before the workstation sees it', async () => {
    const before = await orders('all');
    for (const qty of ['0', '1e12', 'abc', '2.5', '-3']) {
      const out = await trm('order', 'place', '--symbol', 'SPY', '--side', 'buy', '--qty', qty);
      expect(out.exitCode).toBe(2);
      expect(out.stderr).toBe(
        `trm order place: --qty: a whole number of shares from 1 to 1,000,000 (not "${qty}")\n`,
      );
    }
    expect(await orders('all')).toEqual(before);
  });

  it('after the workstation stops, reads the same orders and positions from the journal', async () => {
    const online = await orders('all');
    const portfolio = JSON.parse((await trm('positions', '--json')).stdout) as PortfolioSnapshot;
    await workstation.stop();
    engine.stop();
    expect(existsSync(`${db}.runtime.json`)).toBe(false);

    const offline = await trm('orders', '--status', 'all', '--json');
    expect(offline.stderr).toBe(`no workstation is running; read from the journal in ${db} (account demo)\n`);
    expect(JSON.parse(offline.stdout)).toEqual(online);
    const positions = JSON.parse((await trm('positions', '--json')).stdout) as PortfolioSnapshot;
    expect(positions.positions.map((p) => [p.symbol, p.qty, p.avgPrice])).toEqual(
      portfolio.positions.map((p) => [p.symbol, p.qty, p.avgPrice]),
    );
    expect(positions.account.cash).toBeCloseTo(portfolio.account.cash, 6);

    const place = await trm('order', 'place', '--symbol', 'SPY', '--side', 'buy', '--qty', '1');
    expect(place.exitCode).toBe(1);
    expect(place.stderr).toBe('trm order place: no workstation is running (start it with npm start)\n');
  });
});
