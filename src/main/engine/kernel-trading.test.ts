/**
 * Trading through the kernel in demo mode, on a temp database: the contract's handlers place an order
 * that the demo broker fills against the generated market, cancel a working one, trip the kill switch,
 * and a restart on the same database finds everything as it was.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Fill, Order, OrderRequest } from '../../shared/domain';
import { createDemoEngine } from '../modes/demo';
import { createMemoryLogger } from '../platform/log';
import { manualTimers, type ManualTimers } from '../test-support/manual-timers';
import type { Engine } from './kernel';

const FRIDAY_10AM = Date.UTC(2025, 2, 14, 14, 0); // 10:00 New York

let dir: string;
const engines: Engine[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-kernel-trading-'));
});

afterEach(() => {
  for (const engine of engines.splice(0)) engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function demo(timers: ManualTimers): Promise<Engine> {
  const engine = createDemoEngine({
    dbPath: join(dir, 'demo.sqlite'),
    seed: 7,
    speed: 60,
    startAt: FRIDAY_10AM,
    minuteSessions: 1,
    dailySessions: 5,
    timers,
    log: createMemoryLogger(),
  });
  engines.push(engine);
  engine.start();
  timers.drain();
  await engine.trading!.idle();
  return engine;
}

function order(request: Partial<OrderRequest> & Pick<OrderRequest, 'clientOrderId'>): OrderRequest {
  return { symbol: 'SPY', side: 'buy', qty: 10, type: 'market', tif: 'day', ...request };
}

describe('trading in a demo engine', () => {
  it('places, fills, cancels and halts through the contract, and a restart finds it all as it was', async () => {
    const timers = manualTimers(FRIDAY_10AM);
    const engine = await demo(timers);
    const { handlers, events } = engine.service;
    expect(await handlers['trading.status']({})).toMatchObject({
      broker: 'demo',
      account: 'Demo account',
      tradingState: 'active',
      connected: true,
      following: { enabled: false, automatic: true },
    });
    const changed: Order[] = [];
    const fills: Fill[] = [];
    events['orders.changed']({}, ({ orders }) => changed.push(...orders));
    events['fills.new']({}, (payload) => fills.push(...payload.fills));

    timers.advance(2_000); // two generated minutes: SPY trades, the service keeps its last price
    const placed = await handlers['orders.place'](order({ clientOrderId: 'k-buy' }));
    expect(placed.denial).toBeNull();
    expect(placed.order).toMatchObject({ symbol: 'SPY', qty: 10, status: 'new' });
    timers.advance(3_000);
    expect(fills.map((f) => [f.clientOrderId, f.symbol, f.side])).toContainEqual(['k-buy', 'SPY', 'buy']);
    expect(fills.filter((f) => f.clientOrderId === 'k-buy').reduce((n, f) => n + f.qty, 0)).toBe(10);
    expect(changed.filter((o) => o.clientOrderId === 'k-buy').at(-1)?.status).toBe('filled');
    const portfolio = await handlers['trading.portfolio']({});
    expect(portfolio.positions).toMatchObject([{ symbol: 'SPY', qty: 10 }]);
    expect(portfolio.account.cash).toBeLessThan(100_000);

    const preview = await handlers['orders.preview'](
      order({ clientOrderId: 'k-limit', type: 'limit', limitPrice: 1 }),
    );
    expect(preview.denial?.rule).toBe('price_band');
    const last = portfolio.positions[0]!.marketPrice!;
    const limit = Math.round(last * 0.95 * 100) / 100;
    const working = await handlers['orders.place'](
      order({ clientOrderId: 'k-limit', type: 'limit', limitPrice: limit }),
    );
    expect(working.order?.status).toBe('new');
    expect(
      (await handlers['orders.list']({ status: 'open', limit: 10 })).map((o) => o.clientOrderId),
    ).toEqual(['k-limit']);
    const canceled = await handlers['orders.cancel']({ id: working.order!.id });
    expect(canceled.status).toBe('canceled');
    expect(await handlers['orders.list']({ status: 'open', limit: 10 })).toEqual([]);

    await handlers['trading.killSwitch']({ on: true, flatten: false });
    const refused = await handlers['orders.place'](order({ clientOrderId: 'k-after' }));
    expect(refused).toMatchObject({ order: null, denial: { rule: 'trading_state' } });
    engine.stop();

    const again = await demo(manualTimers(FRIDAY_10AM + 10_000));
    const status = await again.service.handlers['trading.status']({});
    expect(status.tradingState).toBe('halted');
    const all = await again.service.handlers['orders.list']({ status: 'all', limit: 10 });
    expect(all.map((o) => [o.clientOrderId, o.status])).toEqual([
      ['k-limit', 'canceled'],
      ['k-buy', 'filled'],
    ]);
    const restored = await again.service.handlers['trading.portfolio']({});
    expect(restored.positions.map((p) => [p.symbol, p.qty])).toEqual([['SPY', 10]]);
    expect(restored.account.cash).toBeCloseTo(portfolio.account.cash, 6);
  });
});
