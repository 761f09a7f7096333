/**
 * The trading half of the loopback Alpaca server (server.ts mounts it on the same HTTP port): enough of
 * Alpaca's Trading API v2 for the Alpaca broker's tests, with fills scripted by the test.
 *
 * REST (APCA-API-KEY-ID / APCA-API-SECRET-KEY checked, 401 `{"message":"unauthorized."}` otherwise):
 * - POST /v2/orders (422 `client_order_id must be unique` on a reused client_order_id), GET /v2/orders
 *   (?status=open|closed|all), GET /v2/orders/{id}, GET /v2/orders:by_client_order_id?client_order_id=,
 *   DELETE /v2/orders/{id} (204; 422 when the order is no longer cancelable), PATCH /v2/orders/{id}
 *   (a replacement order with `replaces`; the old one ends `replaced`).
 * - GET /v2/account, GET /v2/positions, GET /v2/account/activities/FILL (?after, ?direction,
 *   ?page_size, ?page_token).
 * - GET /v2/assets (?status=active|inactive, ?asset_class=us_equity|crypto): `assets` (a test may replace
 *   them, or set `assetsStatus` to answer with an HTTP error).
 * Wire shapes follow docs.alpaca.markets (Orders, Account, Positions, Account activities): quantities and
 * prices are strings, times RFC 3339.
 *
 * Stream at /stream (docs: "Websocket Streaming"): `{"action":"auth","key","secret"}` (or the older
 * `{"action":"authenticate","data":{"key_id","secret_key"}}`) → `{"stream":"authorization","data":
 * {"status":"authorized"|"unauthorized","action":"authenticate"}}`; `{"action":"listen","data":{"streams":
 * ["trade_updates"]}}` → `{"stream":"listening",...}`; then `{"stream":"trade_updates","data":{"event",
 * "order",...}}`. Like Alpaca's paper host, it sends binary frames.
 *
 * Test hooks: fill / cancel / expire / reject an order as Alpaca would, repeat the last event, drop the
 * stream, answer the next order POST with a cut connection after creating the order (a crash between
 * sending and hearing back).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface WireTradingOrder {
  id: string;
  client_order_id: string;
  created_at: string;
  updated_at: string;
  submitted_at: string;
  filled_at: string | null;
  canceled_at: string | null;
  expired_at: string | null;
  replaced_at: string | null;
  replaced_by: string | null;
  replaces: string | null;
  asset_class: 'us_equity';
  symbol: string;
  qty: string;
  filled_qty: string;
  filled_avg_price: string | null;
  order_class: '';
  order_type: string;
  type: string;
  side: 'buy' | 'sell';
  time_in_force: string;
  limit_price: string | null;
  stop_price: string | null;
  status: string;
  extended_hours: boolean;
}

export interface WireAsset {
  id: string;
  class: 'us_equity' | 'crypto';
  exchange: string;
  symbol: string;
  name: string;
  status: 'active' | 'inactive';
  tradable: boolean;
}

function asset(
  symbol: string,
  name: string,
  extra: Partial<Pick<WireAsset, 'status' | 'class'>> = {},
): WireAsset {
  return {
    id: `asset-${symbol}`,
    class: 'us_equity',
    exchange: 'NYSE',
    symbol,
    name,
    status: 'active',
    tradable: true,
    ...extra,
  };
}

interface WireActivity {
  id: string;
  activity_type: 'FILL';
  transaction_time: string;
  type: 'fill' | 'partial_fill';
  price: string;
  qty: string;
  side: 'buy' | 'sell';
  symbol: string;
  leaves_qty: string;
  order_id: string;
  cum_qty: string;
  order_status: string;
}

interface StreamClient {
  ws: WebSocket;
  authed: boolean;
  listening: boolean;
}

/** A request the trading API received (method, path, parsed JSON body if any). */
export interface TradingRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

const TERMINAL = new Set(['filled', 'canceled', 'expired', 'replaced', 'rejected']);
const TRADING_PATH =
  /^\/v2\/(orders|orders:by_client_order_id|orders\/[^/]+|account|positions|account\/activities\/FILL|assets)$/;

const iso = (ms: number): string => new Date(ms).toISOString();
/** A JSON field as text (strings and numbers as given; anything else: the fallback). */
const str = (v: unknown, fallback: string): string =>
  typeof v === 'string' || typeof v === 'number' ? String(v) : fallback;
const money = (n: number): string => String(Math.round(n * 1e6) / 1e6);

export class AlpacaTradingFake {
  readonly accountNumber = 'PA3TESTACCT1';
  /** Every trading request, in arrival order. */
  readonly requests: TradingRequest[] = [];
  /** Every stream message received (auth secrets included: tests only). */
  readonly received: unknown[] = [];
  /** Stream connections accepted so far. */
  streamConnections = 0;
  /** Cash, dollars. */
  cash = 100_000;
  /** The asset list GET /v2/assets filters (Alpaca's Assets entity, the fields symbol search reads and a few more). */
  assets: WireAsset[] = [
    asset('AAPL', 'Apple Inc. Common Stock'),
    asset('BRK.B', 'Berkshire Hathaway Inc. Class B'),
    asset('SPY', 'SPDR S&P 500 ETF Trust'),
    asset('ZZZQ', 'Delisted Example Corp', { status: 'inactive' }),
    asset('BTC/USD', 'Bitcoin / US Dollar', { class: 'crypto' }),
  ];
  /** When set, GET /v2/assets answers with this HTTP status and Alpaca's error body. */
  assetsStatus: number | null = null;

  private readonly orders = new Map<string, WireTradingOrder>();
  private readonly activities: WireActivity[] = [];
  private readonly clients = new Set<StreamClient>();
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private cutNextOrderReply: 'after-creating' | 'before-creating' | null = null;
  /** False: a DELETE leaves the order pending_cancel until `cancel` is called. */
  autoCancel = true;
  /** Clock of the fake (epoch ms); defaults to the wall clock. */
  now: () => number = () => Date.now();
  private activitySeq = 0;
  private lastFrame: object | null = null;

  constructor(private readonly keys: { keyId: string; secret: string }) {}

  /** Whether `pathname` belongs to the trading API. */
  handles(pathname: string): boolean {
    return TRADING_PATH.test(pathname);
  }

  // ---- test hooks ----

  /** The orders the server holds, oldest first. */
  allOrders(): WireTradingOrder[] {
    return [...this.orders.values()].map((o) => ({ ...o }));
  }

  /** The order with this id or client order id. @throws when there is none. */
  order(idOrClientId: string): WireTradingOrder {
    const found =
      this.orders.get(idOrClientId) ??
      [...this.orders.values()].find((o) => o.client_order_id === idOrClientId);
    if (!found) throw new Error(`fake Alpaca: no order ${idOrClientId}`);
    return found;
  }

  /** How many order POSTs arrived. */
  get orderPosts(): number {
    return this.requests.filter((r) => r.method === 'POST' && r.path === '/v2/orders').length;
  }

  /** The next POST /v2/orders creates the order, then the connection is cut before any reply. */
  cutNextOrderReplyAfterCreating(): void {
    this.cutNextOrderReply = 'after-creating';
  }

  /** The next POST /v2/orders is cut off before Alpaca creates anything (the request never arrived). */
  cutNextOrderPostBeforeCreating(): void {
    this.cutNextOrderReply = 'before-creating';
  }

  /** An execution of `qty` shares at `price` (partial unless it completes the order). Returns its id. */
  fill(idOrClientId: string, qty: number, price: number): string {
    const order = this.order(idOrClientId);
    if (TERMINAL.has(order.status)) throw new Error(`fake Alpaca: order ${order.id} is ${order.status}`);
    const filled = Number(order.filled_qty);
    const cum = filled + qty;
    if (cum > Number(order.qty)) throw new Error('fake Alpaca: overfill');
    const avg =
      order.filled_avg_price === null ? price : (Number(order.filled_avg_price) * filled + price * qty) / cum;
    const time = this.now();
    order.filled_qty = String(cum);
    order.filled_avg_price = money(avg);
    const done = cum === Number(order.qty);
    order.status = done ? 'filled' : 'partially_filled';
    order.updated_at = iso(time);
    if (done) order.filled_at = iso(time);
    const executionId = randomUUID();
    this.activities.push({
      id: `${iso(time).replace(/\D/g, '').slice(0, 17)}${String(++this.activitySeq).padStart(3, '0')}::${executionId}`,
      activity_type: 'FILL',
      transaction_time: iso(time),
      type: done ? 'fill' : 'partial_fill',
      price: money(price),
      qty: String(qty),
      side: order.side,
      symbol: order.symbol,
      leaves_qty: String(Number(order.qty) - cum),
      order_id: order.id,
      cum_qty: String(cum),
      order_status: order.status,
    });
    this.cash += (order.side === 'buy' ? -1 : 1) * qty * price;
    this.emit(done ? 'fill' : 'partial_fill', order, {
      execution_id: executionId,
      price: money(price),
      qty: String(qty),
      position_qty: String(this.positionQty(order.symbol)),
      timestamp: iso(time),
    });
    return executionId;
  }

  /** Alpaca cancels the order (asked or on its own): status canceled, a `canceled` event. */
  cancel(idOrClientId: string): void {
    this.end(idOrClientId, 'canceled', 'canceled_at');
  }

  /** The order expires (a day order at the close): status expired, an `expired` event. */
  expire(idOrClientId: string): void {
    this.end(idOrClientId, 'expired', 'expired_at');
  }

  /** Alpaca rejects the order: status rejected, a `rejected` event. */
  reject(idOrClientId: string): void {
    this.end(idOrClientId, 'rejected', null);
  }

  /** Every trade_updates socket dies at once (no close frame), as when a network path breaks. */
  dropStream(): void {
    for (const client of this.clients) client.ws.terminate();
  }

  /** Authenticated trade_updates sockets listening now. */
  get listeners(): number {
    return [...this.clients].filter((c) => c.listening).length;
  }

  close(): void {
    for (const client of this.clients) client.ws.terminate();
    this.wss.close();
  }

  // ---- stream ----

  onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.streamConnections++;
      const client: StreamClient = { ws, authed: false, listening: false };
      this.clients.add(client);
      ws.on('close', () => this.clients.delete(client));
      ws.on('message', (data) => this.onStreamMessage(client, data as Buffer));
    });
  }

  private onStreamMessage(client: StreamClient, data: Buffer): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
    } catch {
      this.send(client, { stream: 'error', data: { error_message: 'invalid syntax' } });
      return;
    }
    this.received.push(message);
    const inner = (message.data ?? {}) as Record<string, unknown>;
    if (message.action === 'auth' || message.action === 'authenticate') {
      const key = message.action === 'auth' ? message.key : inner.key_id;
      const secret = message.action === 'auth' ? message.secret : inner.secret_key;
      const ok = key === this.keys.keyId && secret === this.keys.secret;
      client.authed = ok;
      this.send(client, {
        stream: 'authorization',
        data: { status: ok ? 'authorized' : 'unauthorized', action: 'authenticate' },
      });
      if (!ok) client.ws.close();
      return;
    }
    if (message.action === 'listen') {
      if (!client.authed) {
        this.send(client, { stream: 'authorization', data: { status: 'unauthorized', action: 'listen' } });
        return;
      }
      const streams = Array.isArray(inner.streams) ? inner.streams.filter((s) => s === 'trade_updates') : [];
      client.listening = streams.length > 0;
      this.send(client, { stream: 'listening', data: { streams } });
    }
  }

  private send(client: StreamClient, frame: object): void {
    if (client.ws.readyState !== client.ws.OPEN) return;
    client.ws.send(Buffer.from(JSON.stringify(frame)), { binary: true });
  }

  private emit(event: string, order: WireTradingOrder, extra: Record<string, unknown> = {}): void {
    const frame = {
      stream: 'trade_updates',
      data: { event, timestamp: iso(this.now()), ...extra, order: { ...order } },
    };
    this.lastFrame = frame;
    for (const client of this.clients) if (client.listening) this.send(client, frame);
  }

  /** Sends the last trade_updates frame again (Alpaca may repeat an event, e.g. around a reconnect). */
  repeatLastEvent(): void {
    const frame = this.lastFrame;
    if (!frame) throw new Error('fake Alpaca: no event sent yet');
    for (const client of this.clients) if (client.listening) this.send(client, frame);
  }

  private end(idOrClientId: string, status: string, stamp: keyof WireTradingOrder | null): void {
    const order = this.order(idOrClientId);
    if (TERMINAL.has(order.status)) throw new Error(`fake Alpaca: order ${order.id} is ${order.status}`);
    order.status = status;
    order.updated_at = iso(this.now());
    if (stamp) (order as unknown as Record<string, unknown>)[stamp] = order.updated_at;
    this.emit(status, order);
  }

  private positionQty(symbol: string): number {
    let qty = 0;
    for (const a of this.activities)
      if (a.symbol === symbol) qty += (a.side === 'buy' ? 1 : -1) * Number(a.qty);
    return qty;
  }

  // ---- REST ----

  async onRequest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ method, path: url.pathname, query, body });
    const json = (status: number, payload: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (
      req.headers['apca-api-key-id'] !== this.keys.keyId ||
      req.headers['apca-api-secret-key'] !== this.keys.secret
    ) {
      json(401, { message: 'unauthorized.' });
      return;
    }
    const path = url.pathname;
    if (path === '/v2/account') {
      json(200, {
        id: 'acct-0001',
        account_number: this.accountNumber,
        status: 'ACTIVE',
        currency: 'USD',
        cash: money(this.cash),
        buying_power: money(this.cash * 2),
        equity: money(this.cash),
        portfolio_value: money(this.cash),
      });
      return;
    }
    if (path === '/v2/assets') {
      if (this.assetsStatus !== null) {
        json(this.assetsStatus, { code: 50010000, message: 'internal server error occurred' });
        return;
      }
      json(
        200,
        this.assets.filter(
          (a) =>
            (query.status === undefined || a.status === query.status) &&
            (query.asset_class === undefined || a.class === query.asset_class),
        ),
      );
      return;
    }
    if (path === '/v2/positions') {
      json(200, this.positions());
      return;
    }
    if (path === '/v2/account/activities/FILL') {
      json(200, this.activityPage(query));
      return;
    }
    if (path === '/v2/orders:by_client_order_id') {
      const found = [...this.orders.values()].find((o) => o.client_order_id === query.client_order_id);
      if (found) json(200, found);
      else json(404, { code: 40410000, message: 'order not found' });
      return;
    }
    if (path === '/v2/orders' && method === 'POST') {
      this.post(body, res, json);
      return;
    }
    if (path === '/v2/orders' && method === 'GET') {
      const status = query.status ?? 'open';
      const list = [...this.orders.values()]
        .filter((o) => status === 'all' || (status === 'open') !== TERMINAL.has(o.status))
        .reverse()
        .slice(0, Number(query.limit ?? 50));
      json(200, list);
      return;
    }
    const id = /^\/v2\/orders\/([^/]+)$/.exec(path)?.[1];
    const order = id ? this.orders.get(decodeURIComponent(id)) : undefined;
    if (!order) {
      json(404, { code: 40410000, message: 'order not found' });
      return;
    }
    if (method === 'GET') {
      json(200, order);
    } else if (method === 'DELETE') {
      if (TERMINAL.has(order.status) || order.status === 'pending_cancel') {
        json(422, { code: 42210000, message: `order is not cancelable (status ${order.status})` });
        return;
      }
      order.status = 'pending_cancel';
      order.updated_at = iso(this.now());
      res.writeHead(204);
      res.end();
      this.emit('pending_cancel', order);
      if (this.autoCancel) setImmediate(() => order.status === 'pending_cancel' && this.cancel(order.id));
    } else if (method === 'PATCH') {
      this.patch(order, body, json);
    } else {
      json(405, { message: 'method not allowed' });
    }
  }

  private post(body: unknown, res: ServerResponse, json: (status: number, payload: unknown) => void): void {
    const b = (body ?? {}) as Record<string, unknown>;
    if (this.cutNextOrderReply === 'before-creating') {
      this.cutNextOrderReply = null;
      res.socket?.destroy();
      return;
    }
    const cid = typeof b.client_order_id === 'string' ? b.client_order_id : randomUUID();
    if ([...this.orders.values()].some((o) => o.client_order_id === cid)) {
      json(422, { code: 40010001, message: 'client_order_id must be unique' });
      return;
    }
    const qty = Number(b.qty);
    if (!Number.isFinite(qty) || qty <= 0 || typeof b.symbol !== 'string') {
      json(422, { code: 40010001, message: 'qty must be > 0' });
      return;
    }
    const time = iso(this.now());
    const order: WireTradingOrder = {
      id: randomUUID(),
      client_order_id: cid,
      created_at: time,
      updated_at: time,
      submitted_at: time,
      filled_at: null,
      canceled_at: null,
      expired_at: null,
      replaced_at: null,
      replaced_by: null,
      replaces: null,
      asset_class: 'us_equity',
      symbol: b.symbol,
      qty: String(qty),
      filled_qty: '0',
      filled_avg_price: null,
      order_class: '',
      order_type: str(b.type, 'market'),
      type: str(b.type, 'market'),
      side: b.side === 'sell' ? 'sell' : 'buy',
      time_in_force: str(b.time_in_force, 'day'),
      limit_price: b.limit_price === undefined ? null : str(b.limit_price, ''),
      stop_price: b.stop_price === undefined ? null : str(b.stop_price, ''),
      status: 'new',
      extended_hours: false,
    };
    this.orders.set(order.id, order);
    if (this.cutNextOrderReply === 'after-creating') {
      this.cutNextOrderReply = null;
      res.socket?.destroy();
    } else {
      json(200, order);
    }
    this.emit('new', order);
  }

  private patch(
    old: WireTradingOrder,
    body: unknown,
    json: (status: number, payload: unknown) => void,
  ): void {
    const b = (body ?? {}) as Record<string, unknown>;
    if (old.status !== 'new' && old.status !== 'partially_filled') {
      json(422, { code: 42210000, message: `order is not replaceable (status ${old.status})` });
      return;
    }
    const cid = typeof b.client_order_id === 'string' ? b.client_order_id : randomUUID();
    if ([...this.orders.values()].some((o) => o.client_order_id === cid)) {
      json(422, { code: 40010001, message: 'client_order_id must be unique' });
      return;
    }
    const time = iso(this.now());
    const next: WireTradingOrder = {
      ...old,
      id: randomUUID(),
      client_order_id: cid,
      created_at: time,
      updated_at: time,
      submitted_at: time,
      replaces: old.id,
      replaced_by: null,
      qty: b.qty === undefined ? String(Number(old.qty) - Number(old.filled_qty)) : str(b.qty, ''),
      filled_qty: '0',
      filled_avg_price: null,
      limit_price: b.limit_price === undefined ? old.limit_price : str(b.limit_price, ''),
      stop_price: b.stop_price === undefined ? old.stop_price : str(b.stop_price, ''),
      status: 'new',
    };
    old.status = 'replaced';
    old.replaced_by = next.id;
    old.replaced_at = time;
    old.updated_at = time;
    this.orders.set(next.id, next);
    json(200, next);
    this.emit('replaced', old);
    this.emit('new', next);
  }

  private positions(): object[] {
    const bySymbol = new Map<string, { qty: number; cost: number }>();
    for (const a of this.activities) {
      const p = bySymbol.get(a.symbol) ?? { qty: 0, cost: 0 };
      const signed = (a.side === 'buy' ? 1 : -1) * Number(a.qty);
      // Average cost: adding moves the average, reducing keeps it (flips not needed by the tests).
      if (p.qty === 0 || Math.sign(p.qty) === Math.sign(signed)) p.cost += signed * Number(a.price);
      else p.cost += (signed * p.cost) / p.qty;
      p.qty += signed;
      bySymbol.set(a.symbol, p);
    }
    return [...bySymbol]
      .filter(([, p]) => p.qty !== 0)
      .map(([symbol, p]) => ({
        symbol,
        asset_class: 'us_equity',
        qty: String(p.qty),
        side: p.qty > 0 ? 'long' : 'short',
        avg_entry_price: money(p.cost / p.qty),
      }));
  }

  private activityPage(query: Record<string, string>): WireActivity[] {
    const after = query.after ? Date.parse(query.after) : -Infinity;
    let list = this.activities.filter((a) => Date.parse(a.transaction_time) > after);
    if (query.direction !== 'asc') list = list.reverse();
    if (query.page_token) {
      const at = list.findIndex((a) => a.id === query.page_token);
      list = at >= 0 ? list.slice(at + 1) : list;
    }
    return list.slice(0, Number(query.page_size ?? 100));
  }
}
