/**
 * The trading wiring of replay, paper and live: a replay trades through the demo broker with its journal in
 * the market database (the run's own account, replay:<run start>, kept after the scratch store is gone)
 * and a seek back cancels the working orders; paper and live trade at Alpaca (the loopback server), live
 * only once armed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bar, OrderRequest } from '../../shared/domain';
import { nyseCalendar, type Session } from '../core/calendar';
import type { Engine } from '../engine/kernel';
import { replayAccount } from '../core/trading/replay-account';
import { createMemoryLogger } from '../platform/log';
import { openStore } from '../store/store';
import { AlpacaTestServer } from '../test-support/alpaca-server/server';
import { manualTimers } from '../test-support/manual-timers';
import { createModeEngine } from '.';
import { createReplayEngine } from './replay';
import { spySessionMinutes } from './test-fixtures/replay-run';

const MINUTE = 60_000;
const SESSIONS: Session[] = ['2025-03-11', '2025-03-12', '2025-03-13'].map((d) => nyseCalendar.sessionOn(d)!);
const KEYS = { keyId: 'PKTRADEMODES0001', secret: 'tradeModesSecret0123456789ab' };

let dir: string;
const engines: Engine[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-trading-modes-'));
});
afterEach(() => {
  for (const engine of engines.splice(0)) engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

const order = (request: Partial<OrderRequest> & Pick<OrderRequest, 'clientOrderId'>): OrderRequest => ({
  symbol: 'SPY',
  side: 'buy',
  qty: 10,
  type: 'market',
  tif: 'day',
  ...request,
});

describe('trading in replay mode', () => {
  it('fills against the replayed bars, journals in the market database, and cancels working orders on a seek back', async () => {
    const db = join(dir, 'market.sqlite');
    const source = openStore(db);
    for (const session of SESSIONS) source.bars.upsert(spySessionMinutes(session));
    source.close();
    const timers = manualTimers();
    const account = replayAccount(timers.now());
    const engine = createReplayEngine({
      dbPath: db,
      speed: 60,
      timers,
      log: createMemoryLogger(),
      from: Date.parse('2025-03-13T00:00:00Z'),
      to: Date.parse('2025-03-13T00:00:00Z'),
    });
    engines.push(engine);
    engine.start();
    timers.drain();
    await engine.trading!.idle();
    const { handlers } = engine.service;
    expect(await handlers['trading.status']({})).toMatchObject({
      broker: 'demo',
      account: 'Replay account',
      following: { automatic: true },
    });
    const thu = SESSIONS[2]!;
    await Promise.resolve(handlers['replay.control']({ action: 'play' }));
    timers.advance(3_000);
    const placed = await handlers['orders.place'](order({ clientOrderId: 'replay-buy' }));
    expect(placed.denial).toBeNull();
    timers.advance(3_000);
    expect((await handlers['orders.list']({ status: 'all', limit: 5 }))[0]).toMatchObject({
      clientOrderId: 'replay-buy',
      status: 'filled',
    });
    const working = await handlers['orders.place'](
      order({ clientOrderId: 'replay-limit', type: 'limit', limitPrice: 460 }),
    );
    expect(working.order?.status).toBe('new');
    await Promise.resolve(handlers['replay.control']({ action: 'seek', time: thu.open + MINUTE }));
    timers.drain();
    await engine.trading!.idle();
    const canceled = (await handlers['orders.list']({ status: 'all', limit: 5 })).find(
      (o) => o.clientOrderId === 'replay-limit',
    );
    expect(canceled).toMatchObject({ status: 'canceled', reason: 'the replay moved back in time' });
    engine.stop();

    const market = openStore(db);
    try {
      // The run's own account, keyed by its start.
      expect(market.trading.accounts()).toEqual([account]);
      const journal = market.trading.load(account);
      expect(journal.orders.map((o) => [o.clientOrderId, o.status])).toEqual([
        ['replay-buy', 'filled'],
        ['replay-limit', 'canceled'],
      ]);
      expect(journal.fills.reduce((n, f) => n + f.qty, 0)).toBe(10);
    } finally {
      market.close();
    }
  });
});

describe('trading in paper and live modes', () => {
  it('paper trades at the Alpaca account; live refuses every order until armed, and forgets arming on restart', async () => {
    const server = await AlpacaTestServer.start({ keys: KEYS, horizon: 'wall' });
    const env = server.env();
    try {
      const paper = createModeEngine({ mode: 'paper', dataDir: dir, env, log: createMemoryLogger() });
      engines.push(paper);
      let priced: Bar | null = null;
      paper.bus.subscribe('market.bars', (bars) => (priced ??= bars[0] ?? null));
      paper.start();
      await paper.trading!.idle();
      expect(await paper.service.handlers['trading.status']({})).toMatchObject({
        broker: 'paper',
        connected: true,
        liveArmed: false,
        following: { enabled: false, automatic: false },
      });
      for (let i = 0; i < 400 && priced === null; i++) await new Promise((r) => setTimeout(r, 5));
      const symbol = (priced as Bar | null)!.symbol;
      const placed = await paper.service.handlers['orders.place'](
        order({ clientOrderId: 'paper-1', symbol, qty: 1 }),
      );
      expect(placed.denial).toBeNull();
      expect(placed.order).toMatchObject({ clientOrderId: 'paper-1', symbol, qty: 1 });
      expect(server.trading.allOrders().map((o) => o.client_order_id)).toEqual(['paper-1']);
      paper.stop();

      const live = createModeEngine({ mode: 'live', dataDir: dir, env, log: createMemoryLogger() });
      engines.push(live);
      live.start();
      await live.trading!.idle();
      const refused = await live.service.handlers['orders.place'](order({ clientOrderId: 'live-1' }));
      expect(refused).toMatchObject({ order: null, denial: { rule: 'live_not_armed' } });
      const armed = await live.service.handlers['trading.armLive']({ confirmation: 'TRADE LIVE' });
      expect(armed).toMatchObject({ broker: 'live', liveArmed: true });
      live.stop();

      const again = createModeEngine({ mode: 'live', dataDir: dir, env, log: createMemoryLogger() });
      engines.push(again);
      again.start();
      await again.trading!.idle();
      expect((await again.service.handlers['trading.status']({})).liveArmed).toBe(false);
      again.stop();
    } finally {
      await server.close();
    }
  });
});
