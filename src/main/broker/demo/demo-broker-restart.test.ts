/**
 * The demo broker over the real SQLite journal (store/trading-journal.ts): a restart on the same
 * database file finds the same orders, fills, cash and holdings, and keeps working its open orders.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Trade } from '../../../shared/domain';
import { openStore, type Store } from '../../store/store';
import type { BrokerListener } from '../broker';
import { DemoBroker } from './demo-broker';

const OPEN = Date.UTC(2026, 2, 2, 14, 30);
const sessionClose = (time: number): number => Math.floor(time / 86_400_000) * 86_400_000 + 21 * 3_600_000;
const quiet: BrokerListener = { order() {}, fill() {}, connection() {} };

function trade(time: number, price: number, size = 100, symbol = 'SPY'): Trade {
  return { symbol, time, price, size };
}

let dir: string | null = null;
let store: Store | null = null;
afterEach(() => {
  store?.close();
  store = null;
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

async function brokerOn(file: string): Promise<DemoBroker> {
  store = openStore(file);
  const broker = new DemoBroker({ journal: store.trading, account: 'demo', sessionClose });
  await broker.start(quiet);
  return broker;
}

describe('DemoBroker over a SQLite journal', () => {
  it('restores orders, fills, cash and holdings exactly after a restart, and keeps filling', async () => {
    dir = mkdtempSync(join(tmpdir(), 'trm-demo-broker-'));
    const file = join(dir, 'demo.sqlite');
    const first = await brokerOn(file);
    await first.submit(
      {
        clientOrderId: 'a',
        symbol: 'SPY',
        side: 'buy',
        qty: 30,
        type: 'limit',
        limitPrice: 100.25,
        tif: 'gtc',
      },
      OPEN,
    );
    await first.submit(
      {
        clientOrderId: 'b',
        symbol: 'QQQ',
        side: 'sell',
        qty: 7,
        type: 'stop_limit',
        stopPrice: 95,
        limitPrice: 94,
        tif: 'gtc',
      },
      OPEN,
    );
    await first.submit(
      { clientOrderId: 'c', symbol: 'QQQ', side: 'buy', qty: 3, type: 'market', tif: 'ioc' },
      OPEN,
    );
    const d = await first.submit(
      { clientOrderId: 'd', symbol: 'SPY', side: 'buy', qty: 1, type: 'limit', limitPrice: 1, tif: 'gtc' },
      OPEN,
    );
    await first.cancel(d.id, OPEN + 1);
    first.onTrade(trade(OPEN + 10, 100.13, 100)); // a: 10 of 30
    first.onTrade(trade(OPEN + 11, 93.37, 100, 'QQQ')); // c fills 3; b triggers below its limit
    const before = {
      orders: first.orders({ open: false, limit: 100 }),
      fills: first.fills({ limit: 100 }),
      portfolio: first.portfolio(),
    };
    expect(before.fills).toHaveLength(2);
    first.stop();
    store!.close();

    const second = await brokerOn(file);
    expect({
      orders: second.orders({ open: false, limit: 100 }),
      fills: second.fills({ limit: 100 }),
      portfolio: second.portfolio(),
    }).toEqual(before);
    // The working orders go on: a's rest fills, b's stop stayed triggered (a limit sell now).
    second.onTrade(trade(OPEN + 20, 100, 1_000));
    second.onTrade(trade(OPEN + 21, 96, 1_000, 'QQQ')); // above the stop: fills only as a triggered order
    expect(second.orders({ open: true, limit: 10 })).toEqual([]);
    expect(second.fills({ limit: 2 }).map((f) => [f.id, f.clientOrderId, f.qty, f.price])).toEqual([
      ['F-4', 'b', 7, 96],
      ['F-3', 'a', 20, 100],
    ]);
    expect(second.portfolio().holdings.SPY?.qty).toBe(30);
    expect(second.portfolio().holdings.QQQ?.qty).toBe(3 - 7);
    expect(store!.trading.load('demo').cash).toHaveLength(1);
  });
});
