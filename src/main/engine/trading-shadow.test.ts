/**
 * Paper mode's shadow in the trading service (TradingParts.shadow): it gets the same market data and,
 * after the real broker accepted them, the same orders (client order id, market time), cancels and
 * replaces; it never slows or fails the real call, never announces anything, and its failures are only
 * logged. The end-to-end path (paper mode at the loopback Alpaca, `trm divergence`) is in
 * cli/divergence.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { Order, OrderRequest } from '../../shared/domain';
import { nyseCalendar } from '../core/calendar';
import { emptyPortfolio } from '../core/trading/portfolio';
import { BrokerError, type Broker } from '../broker/broker';
import { DemoBroker } from '../broker/demo/demo-broker';
import { createMemoryLogger } from '../platform/log';
import { manualTimers } from '../test-support/manual-timers';
import { MemoryJournal } from '../test-support/memory-journal';
import { TopicBus } from './bus';
import type { EngineTopics } from './topics';
import { TradingService, type TradingSettings } from './trading-service';

/** Wednesday 2025-03-05, 10:00 New York: inside a regular session. */
const T0 = Date.UTC(2025, 2, 5, 15, 0);

class MemorySettings implements TradingSettings {
  private readonly values = new Map<string, unknown>();
  get<T>(key: string, schema: z.ZodType<T>): T | undefined {
    const parsed = schema.safeParse(this.values.get(key));
    return parsed.success ? parsed.data : undefined;
  }
  set(key: string, value: unknown): void {
    this.values.set(key, value);
  }
}

const demoBroker = (journal: MemoryJournal, account: 'demo' | 'alpaca-paper-shadow'): DemoBroker =>
  new DemoBroker({
    journal,
    account,
    sessionClose: (t) => nyseCalendar.sessionOnOrAfter(t).close,
    // Told apart from the real broker's orders by their ids.
    ...(account === 'demo' ? {} : { idPrefix: 'S-' }),
  });

async function desk(shadow: Broker) {
  const journal = new MemoryJournal();
  // The "paper" broker here is a demo broker too: what matters is what reaches the shadow.
  const broker = demoBroker(journal, 'demo');
  const bus = new TopicBus<EngineTopics>((_topic, error) => {
    throw error;
  });
  const log = createMemoryLogger();
  const service = new TradingService({
    broker,
    shadow,
    settings: new MemorySettings(),
    account: 'alpaca-paper',
    following: 'confirmed',
    mode: 'paper',
    bus,
    timers: manualTimers(T0),
    log,
    calendar: nyseCalendar,
    knownSymbol: () => true,
    latestPrediction: () => null,
  });
  service.start();
  await service.idle();
  await service.shadowIdle();
  const trade = (price: number, time: number, size = 1000): void => {
    bus.publish('market.time', time);
    bus.publish('market.trade', { symbol: 'SPY', price, size, time });
  };
  trade(500, T0);
  return { service, broker, journal, log, trade };
}

const request = (r: Partial<OrderRequest> & Pick<OrderRequest, 'clientOrderId'>): OrderRequest => ({
  symbol: 'SPY',
  side: 'buy',
  qty: 10,
  type: 'market',
  tif: 'day',
  ...r,
});

describe('the shadow broker of paper mode', () => {
  it('gets every accepted order, cancel and replace with the same ids and market time, and fills on the same trades', async () => {
    const journal = new MemoryJournal();
    const shadow = demoBroker(journal, 'alpaca-paper-shadow');
    const d = await desk(shadow);
    const announced: Order[] = [];
    d.service.events['orders.changed']({}, ({ orders }) => announced.push(...orders));
    await d.service.handlers['orders.place'](request({ clientOrderId: 'm' }));
    const limit = await d.service.handlers['orders.place'](
      request({ clientOrderId: 'l', type: 'limit', limitPrice: 495 }),
    );
    const replaced = await d.service.handlers['orders.replace']({
      id: limit.order!.id,
      clientOrderId: 'l2',
      limitPrice: 496,
    });
    await d.service.handlers['orders.cancel']({ id: replaced.order!.id });
    await d.service.shadowIdle();
    d.trade(500.5, T0 + 1000);
    const byClient = new Map(shadow.orders({ open: false, limit: 10 }).map((o) => [o.clientOrderId, o]));
    // The print plus the demo fill model's 2 bps: a market order crosses the spread.
    expect(byClient.get('m')).toMatchObject({ status: 'filled', submittedAt: T0 });
    expect(byClient.get('m')!.avgFillPrice).toBeCloseTo(500.5 * 1.0002, 9);
    expect(byClient.get('l')).toMatchObject({ status: 'replaced', limitPrice: 495 });
    expect(byClient.get('l2')).toMatchObject({ status: 'canceled', limitPrice: 496 });
    // Journaled under its own account; nothing of it announced (the orders announced are the broker's).
    expect(journal.load('alpaca-paper-shadow').fills).toHaveLength(1);
    expect(announced.length).toBeGreaterThan(0);
    expect(announced.filter((o) => o.id.startsWith('S-'))).toEqual([]);
    expect((await d.service.handlers['orders.list']({ status: 'all', limit: 10 })).map((o) => o.id)).toEqual(
      d.broker.orders({ open: false, limit: 10 }).map((o) => o.id),
    );
    const executions = await d.service.handlers['trading.shadowExecutions']({ limit: 10 });
    expect(executions.shadow.orders.map((o) => o.clientOrderId).sort()).toEqual(['l', 'l2', 'm']);
    expect(executions.shadow.fills.map((f) => f.price)).toEqual([500.5 * 1.0002]);
  });

  it('never fails, slows or blocks the real order: a failing or hanging shadow is only logged', async () => {
    let hang = false;
    const failing: Broker = {
      kind: 'demo',
      accountLabel: 'failing shadow',
      start: () => Promise.resolve(),
      stop: () => {},
      submit: () =>
        hang ? new Promise<Order>(() => {}) : Promise.reject(new BrokerError('the shadow journal is full')),
      cancel: () => Promise.reject(new BrokerError('no')),
      replace: () => Promise.reject(new BrokerError('no')),
      orders: () => [],
      fills: () => [],
      portfolio: () => emptyPortfolio(0),
      onTrade: () => {
        throw new Error('the shadow choked on a trade');
      },
      onBars: () => {},
      onTime: () => {},
    };
    const d = await desk(failing);
    const placed = await d.service.handlers['orders.place'](request({ clientOrderId: 'a' }));
    expect(placed.order).toMatchObject({ clientOrderId: 'a', status: 'new' });
    await d.service.shadowIdle();
    d.trade(501, T0 + 1000);
    expect(d.broker.orders({ open: false, limit: 5 })[0]).toMatchObject({ status: 'filled' });
    expect(d.log.lines.join('\n')).toMatch(/shadow submit a failed: the shadow journal is full/);
    expect(d.log.lines.join('\n')).toMatch(/shadow demo broker failed on market data: the shadow choked/);
    hang = true;
    const second = await d.service.handlers['orders.place'](request({ clientOrderId: 'b' }));
    expect(second.order).toMatchObject({ clientOrderId: 'b' });
  });
});
