/**
 * `trm order place` and `trm order cancel` as a trader runs them, in-process through the CLI's main,
 * against a workstation found through its runtime file: here a contract service that records what it is
 * asked (the real engine's behaviour is in trading-cli.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Order, OrderRequest } from '../../shared/domain';
import { pendingOrder } from '../core/trading/order-state';
import { runCaptured } from '../test-support/captured-cli';
import { contractService } from '../test-support/contract-service';
import { serveWorkstation, type RunningWorkstation } from './test-fixtures/running-workstation';
import { main } from './index';

let dir: string;
let db: string;
let workstation: RunningWorkstation | null = null;
let placed: OrderRequest[];
let cancelled: string[];

/** The order the desk answers `request` with: acknowledged at once, working. */
function orderOf(request: OrderRequest, id: string): Order {
  return { ...pendingOrder(id, request, Date.UTC(2026, 10, 30, 15)), status: 'new' };
}

/** A desk that refuses orders over $50,000 at $500 a share, like the risk engine's max_order_notional. */
const service = () =>
  contractService({
    'orders.place': (request) => {
      placed.push(request);
      if (request.qty * 500 > 50_000) {
        return {
          order: null,
          denial: {
            rule: 'max_order_notional',
            message: `max_order_notional: order notional $${request.qty * 500} is over the limit of $50,000`,
          },
        };
      }
      return { order: orderOf(request, `demo-${placed.length}`), denial: null };
    },
    'orders.list': () =>
      placed.map((request, i) => orderOf(request, `demo-${i + 1}`)).filter((o) => !cancelled.includes(o.id)),
    'orders.cancel': ({ id }) => {
      cancelled.push(id);
      const i = Number(id.replace('demo-', '')) - 1;
      return { ...orderOf(placed[i]!, id), status: 'canceled', reason: 'cancelled by the trader' };
    },
  });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trm-order-'));
  db = join(dir, 'demo.sqlite');
  placed = [];
  cancelled = [];
  workstation = await serveWorkstation(service(), db);
});

afterEach(async () => {
  process.exitCode = undefined;
  await workstation?.stop();
  workstation = null;
  rmSync(dir, { recursive: true, force: true });
});

const run = (...args: string[]) => runCaptured(main, args);

describe('trm order place', () => {
  it('places a market day order by default with a new client order id, printed so a retry can reuse it', async () => {
    const out = await run('order', 'place', '--symbol', 'spy', '--side', 'buy', '--qty', '10', '--db', db);
    expect(out.exitCode ?? 0).toBe(0);
    expect(placed).toHaveLength(1);
    const sent = placed[0]!;
    expect(sent).toMatchObject({ symbol: 'SPY', side: 'buy', qty: 10, type: 'market', tif: 'day' });
    expect(sent.clientOrderId).toMatch(/^cli-\d{8}T\d{6}Z-[0-9a-f]{8}$/);
    expect(out.stderr).toContain(`--client-order-id ${sent.clientOrderId}`);
    expect(out.stdout).toBe(
      `Order demo-1: buy 10 SPY market day: new (client order id ${sent.clientOrderId})\n`,
    );
  });

  it('sends every option as typed, and --json prints the result object', async () => {
    const out = await run(
      'order', 'place', '--symbol', 'QQQ', '--side', 'sell', '--qty', '5', '--type', 'stop_limit',
      '--stop-price', '399.5', '--limit-price', '399', '--tif', 'gtc', '--client-order-id', 'my-1',
      '--db', db, '--json',
    ); // prettier-ignore
    expect(out.exitCode ?? 0).toBe(0);
    expect(placed).toEqual([
      {
        clientOrderId: 'my-1',
        symbol: 'QQQ',
        side: 'sell',
        qty: 5,
        type: 'stop_limit',
        stopPrice: 399.5,
        limitPrice: 399,
        tif: 'gtc',
      },
    ]);
    expect(JSON.parse(out.stdout)).toEqual({ order: orderOf(placed[0]!, 'demo-1'), denial: null });
    expect(out.stderr).toBe('');
  });

  it('exits 3 with the rule and its numbers when the risk engine refuses; --json prints the denial too', async () => {
    const out = await run('order', 'place', '--symbol', 'SPY', '--side', 'buy', '--qty', '200', '--db', db);
    expect(out.exitCode).toBe(3);
    expect(out.stderr).toMatch(
      /^max_order_notional: order notional \$100000 is over the limit of \$50,000$/m,
    );
    expect(out.stdout).toBe('');

    const json = await run('order', 'place', '--symbol', 'SPY', '--side', 'buy', '--qty', '200', '--db', db, '--json'); // prettier-ignore
    expect(json.exitCode).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ order: null, denial: { rule: 'max_order_notional' } });
  });

  it.each([
    [['--qty', '0'], /--qty: a whole number of shares from 1 to 1,000,000 \(not "0"\)$/m],
    [['--qty', '1e12'], /--qty: a whole number of shares from 1 to 1,000,000 \(not "1e12"\)$/m],
    [['--qty', 'abc'], /--qty: a whole number of shares from 1 to 1,000,000 \(not "abc"\)$/m],
    [['--qty', '2.5'], /--qty: a whole number of shares from 1 to 1,000,000 \(not "2.5"\)$/m],
    [
      ['--qty', '1', '--type', 'limit', '--limit-price', 'x'],
      /--limit-price: a price in dollars above 0, at most 1,000,000 \(not "x"\)$/m,
    ],
    [['--qty', '1', '--limit-price', '10'], /--limit-price: a market order takes no limit price/],
    [['--qty', '1', '--type', 'limit'], /--limit-price: a limit order needs a limit price/],
    [['--qty', '1', '--side', 'hold'], /--side: /],
    [['--qty', '1', '--client-order-id', 'no spaces'], /--client-order-id: letters, digits/],
  ])('exits 2 naming the option for malformed input %j, and sends nothing', async (extra, message) => {
    const args = ['order', 'place', '--symbol', 'SPY', '--side', 'buy', '--db', db, ...extra];
    const out = await run(...args);
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(placed).toHaveLength(0);
  });

  it('exits 1 when no workstation is running, saying how to start one', async () => {
    const other = join(dir, 'other.sqlite');
    const out = await run('order', 'place', '--symbol', 'SPY', '--side', 'buy', '--qty', '1', '--db', other);
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toBe('trm order place: no workstation is running (start it with npm start)\n');
  });
});

describe('trm order cancel', () => {
  it('cancels by order id or by client order id', async () => {
    await run('order', 'place', '--symbol', 'SPY', '--side', 'buy', '--qty', '1', '--client-order-id', 'a', '--db', db); // prettier-ignore
    await run('order', 'place', '--symbol', 'SPY', '--side', 'buy', '--qty', '2', '--client-order-id', 'b', '--db', db); // prettier-ignore
    const byId = await run('order', 'cancel', 'demo-1', '--db', db);
    expect(byId.exitCode ?? 0).toBe(0);
    expect(byId.stdout).toBe('Order demo-1: buy 1 SPY market day: canceled (cancelled by the trader)\n');
    const byClientId = await run('order', 'cancel', 'b', '--db', db, '--json');
    expect(JSON.parse(byClientId.stdout)).toMatchObject({ id: 'demo-2', status: 'canceled' });
    expect(cancelled).toEqual(['demo-1', 'demo-2']);
  });
});
