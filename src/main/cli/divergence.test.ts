/**
 * `trm divergence` over a real paper-mode engine against the loopback Alpaca server: the orders placed in
 * paper mode also run through the shadow demo broker (same client order ids, same market time); the
 * loopback account fills them at scripted prices while its feed streams trades the shadow fills against;
 * the report matches them by client order id with the expected price edges and pieces, from the running
 * workstation and from the journals once it stopped. A cancel is mirrored; live mode has no shadow.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bar, Order, OrderRequest } from '../../shared/domain';
import type { DivergenceReport } from '../core/trading/divergence';
import type { Engine } from '../engine/kernel';
import { createModeEngine } from '../modes';
import { createMemoryLogger } from '../platform/log';
import { defaultMarketDbPath } from '../platform/paths';
import { openStore } from '../store/store';
import { runCaptured } from '../test-support/captured-cli';
import { AlpacaTestServer } from '../test-support/alpaca-server/server';
import { main } from './index';
import { serveWorkstation } from './test-fixtures/running-workstation';

const KEYS = { keyId: 'PKDIVERGENCE0001', secret: 'divergenceSecret0123456789ab' };

let dir: string;
const engines: Engine[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-divergence-'));
});
afterEach(() => {
  process.exitCode = undefined;
  for (const engine of engines.splice(0)) engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

const run = (...args: string[]) => runCaptured(main, args);
const round2 = (x: number): number => Math.round(x * 100) / 100;

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A paper engine on the loopback server, started, its broker ready and its feed streaming `symbol`'s trades. */
async function paperEngine(server: AlpacaTestServer): Promise<{ engine: Engine; symbol: string }> {
  const engine = createModeEngine({
    mode: 'paper',
    dataDir: dir,
    env: server.env(),
    log: createMemoryLogger(),
  });
  engines.push(engine);
  let priced: Bar | null = null;
  engine.bus.subscribe('market.bars', (bars) => (priced ??= bars[0] ?? null));
  engine.start();
  await engine.trading!.idle();
  await until('the first bars', () => priced !== null);
  const symbol = (priced as Bar | null)!.symbol;
  await until('the trades subscription', () => server.subscriptions()?.trades.includes(symbol) ?? false);
  return { engine, symbol };
}

describe('trm divergence', () => {
  it("compares paper mode's fills with its shadow demo broker's, order by order", async () => {
    const server = await AlpacaTestServer.start({ keys: KEYS, horizon: 'wall' });
    try {
      const { engine, symbol } = await paperEngine(server);
      const { handlers } = engine.service;
      const request = (r: Partial<OrderRequest> & Pick<OrderRequest, 'clientOrderId'>): OrderRequest => ({
        symbol,
        side: 'buy',
        qty: 10,
        type: 'market',
        tif: 'day',
        ...r,
      });
      // Prices near the market's (the risk engine's price band measures limit prices from its last price).
      const preview = await handlers['orders.preview'](request({ clientOrderId: 'div-preview' }));
      const p = Math.round(preview.checkPrice! * 100) / 100;
      const market = await handlers['orders.place'](request({ clientOrderId: 'div-market' }));
      const limit = await handlers['orders.place'](
        request({ clientOrderId: 'div-limit', type: 'limit', limitPrice: p - 1 }),
      );
      const stale = await handlers['orders.place'](
        request({ clientOrderId: 'div-cancel', type: 'limit', limitPrice: round2(p * 0.95), qty: 5 }),
      );
      expect([market, limit, stale].map((r) => r.denial)).toEqual([null, null, null]);
      const replaced = await handlers['orders.replace']({
        id: stale.order!.id,
        clientOrderId: 'div-replaced',
        qty: 3,
      });
      expect(replaced.order).toMatchObject({ clientOrderId: 'div-replaced', qty: 3 });
      await handlers['orders.cancel']({ id: replaced.order!.id });
      await engine.trading!.shadowIdle();

      // The market: one print at p (the market order fills whole: 10 ≤ 10 % of 1000), then two below
      // the limit, each small enough (50, 60 shares → 5, 6 allowed) that the limit order fills in two pieces.
      const t = Date.now();
      server.publishTrade(symbol, t + 1, p, 1000);
      server.publishTrade(symbol, t + 2, round2(p - 1.5), 50);
      server.publishTrade(symbol, t + 3, round2(p - 1.3), 60);
      // The paper account's executions, scripted.
      server.trading.fill('div-market', 10, round2(p + 0.05));
      server.trading.fill('div-limit', 10, round2(p - 1.1));

      const ws = await serveWorkstation(engine.service, defaultMarketDbPath(dir), 'paper');
      let report: DivergenceReport | null = null;
      try {
        await until('both sides filled', async () => {
          const out = await run('divergence', '--db', defaultMarketDbPath(dir), '--json');
          report = JSON.parse(out.stdout) as DivergenceReport;
          return report.summary.bothFilled === 2;
        });
      } finally {
        await ws.stop();
      }
      const rows = report!.rows;
      expect(rows.map((r) => [r.clientOrderId, r.demo.status, r.paper.status])).toEqual([
        ['div-market', 'filled', 'filled'],
        ['div-limit', 'filled', 'filled'],
        ['div-cancel', 'replaced', 'replaced'],
        ['div-replaced', 'canceled', 'canceled'],
      ]);
      const [m, l, , c] = rows;
      // The demo's market buy pays the print plus its fill model's 2 bps of slippage.
      const demoPaid = p * 1.0002;
      expect(m!.demo).toMatchObject({ filledQty: 10, fills: 1, firstFillAt: t + 1 });
      expect(m!.demo.avgFillPrice).toBeCloseTo(demoPaid, 9);
      expect(m!.paper).toMatchObject({ filledQty: 10, fills: 1 });
      expect(m!.paper.avgFillPrice).toBeCloseTo(p + 0.05, 6);
      // Buy: (paper − demo) / paper, bps: the demo fill beat the paper fill (5 cents above the print).
      expect(m!.priceEdgeBps).toBeCloseTo(((p + 0.05 - demoPaid) / (p + 0.05)) * 10_000, 6);
      expect(l!.demo).toMatchObject({ filledQty: 10, fills: 2, firstFillAt: t + 2, lastFillAt: t + 3 });
      expect(l!.demo.avgFillPrice).toBeCloseTo(p - 1.4, 9);
      expect(l!.paper).toMatchObject({ filledQty: 10, fills: 1 });
      expect(l!.paper.avgFillPrice).toBeCloseTo(p - 1.1, 6);
      expect(l!.priceEdgeBps).toBeCloseTo((0.3 / (p - 1.1)) * 10_000, 6);
      expect(c).toMatchObject({ demo: { qty: 3, fills: 0 }, paper: { qty: 3 }, priceEdgeBps: null });
      expect(report!.summary).toMatchObject({ matched: 4, unmatched: 0, partialDemo: 1, partialPaper: 0 });
      // Only the paper orders went to Alpaca; the shadow is not a second account there.
      expect(server.trading.allOrders().map((o) => o.client_order_id)).toEqual([
        'div-market',
        'div-limit',
        'div-cancel',
        'div-replaced',
      ]);
      // Invisible to clients: the orders listed are the paper account's (Alpaca's ids, not the demo's).
      const listed: Order[] = await handlers['orders.list']({ status: 'all', limit: 10 });
      expect(listed.map((o) => o.id).sort()).toEqual(
        server.trading
          .allOrders()
          .map((o) => o.id)
          .sort(),
      );
      engine.stop();

      // No workstation: the journals in the market database give the same report, and the text form.
      const offline = await run('divergence', '--db', defaultMarketDbPath(dir), '--json');
      expect(offline.exitCode ?? 0).toBe(0);
      expect(offline.stderr).toContain('no workstation is running');
      expect(JSON.parse(offline.stdout)).toEqual(report);
      const text = await run('divergence', '--db', defaultMarketDbPath(dir));
      expect(text.stdout).toContain('matched orders: 4 (unmatched 0); both filled: 2');
      expect(text.stdout).toContain(`10/10 @ ${(p - 1.4).toFixed(4)}  10/10 @ ${(p - 1.1).toFixed(4)}`);
      const later = await run('divergence', '--db', defaultMarketDbPath(dir), '--since', '2999-01-01');
      expect(later.stdout).toContain('trm order place');
    } finally {
      await server.close();
    }
  }, 30_000);

  it('has no shadow in live mode, and says how to get a report', async () => {
    const server = await AlpacaTestServer.start({ keys: KEYS, horizon: 'wall' });
    try {
      const live = createModeEngine({
        mode: 'live',
        dataDir: dir,
        env: server.env(),
        log: createMemoryLogger(),
      });
      engines.push(live);
      live.start();
      await live.trading!.idle();
      const { handlers } = live.service;
      await handlers['trading.armLive']({ confirmation: 'TRADE LIVE' });
      const placed = await handlers['orders.place']({
        clientOrderId: 'live-1',
        symbol: 'SPY',
        side: 'buy',
        qty: 1,
        type: 'market',
        tif: 'day',
      });
      expect(placed.denial).toBeNull();
      await live.trading!.shadowIdle();
      await expect(handlers['trading.shadowExecutions']({ limit: 10 })).rejects.toThrow(/live mode/);
      live.stop();
      const store = openStore(defaultMarketDbPath(dir));
      try {
        expect(store.trading.accounts()).toEqual(['alpaca-live']);
      } finally {
        store.close();
      }
      const out = await run('divergence', '--db', defaultMarketDbPath(dir));
      expect(out.exitCode ?? 0).toBe(0);
      expect(out.stdout).toMatch(/No orders of paper mode's shadow .*trm order place/s);
    } finally {
      await server.close();
    }
  }, 30_000);
});
