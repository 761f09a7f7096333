/**
 * Alpaca's Trading API v2 over Node's fetch: orders (submit, get by id and by client order id, list,
 * cancel, replace), account, positions and FILL activities. Every reply is validated (wire.ts).
 *
 * Why fetch and not @alpacahq/alpaca-trade-api: the SDK reaches the trading endpoints only through its
 * top-level `Alpaca` client, whose REST host is fixed to Alpaca's paper or live host (config.ts), so the
 * loopback server and proxies (TRM_ALPACA_TRADING_URL) could not be used; the calls are a few plain JSON
 * requests.
 *
 * Failures are TradingRestError: `status` (HTTP status, null when no reply came), Alpaca's `message`,
 * and `plain`, the trader's words. Keys never appear in a message.
 */
import { z } from 'zod';
import { SymbolSchema, type OrderRequest } from '../../../shared/domain';
import { describeNetworkFailure, hostOf, networkFailureOf, withCode } from '../../platform/network-error';
import {
  WireAccountSchema,
  WireFillActivitySchema,
  WireOrderSchema,
  WirePositionSchema,
  type WireAccount,
  type WireFillActivity,
  type WireOrder,
  type WirePosition,
} from './wire';

/** An entry of GET /v2/assets (docs.alpaca.markets, Assets): only what symbol search reads. */
const WireAssetSchema = z.looseObject({ symbol: SymbolSchema, name: z.string().nullish() });

export type TradingFailure =
  'keys' | 'network' | 'duplicate' | 'not_found' | 'refused' | 'server' | 'bad_reply';

export class TradingRestError extends Error {
  override readonly name = 'TradingRestError';
  constructor(
    /** What a trader reads. */
    readonly plain: string,
    readonly failure: TradingFailure,
    readonly status: number | null,
    /** Alpaca's own message, when it sent one. */
    readonly alpacaMessage: string | null = null,
  ) {
    super(plain);
  }
}

export interface TradingRestOptions {
  /** Trading REST base, no trailing slash (https://paper-api.alpaca.markets). */
  baseUrl: string;
  keys: { keyId: string; secret: string };
  /** Per request, ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class AlpacaTradingRest {
  private readonly host: string;
  private readonly fetcher: typeof fetch;

  constructor(private readonly options: TradingRestOptions) {
    this.host = hostOf(options.baseUrl);
    this.fetcher = options.fetch ?? fetch;
  }

  /** POST /v2/orders with our client_order_id. @throws TradingRestError ('duplicate' on a reused id). */
  async submitOrder(request: OrderRequest): Promise<WireOrder> {
    const body: Record<string, unknown> = {
      symbol: request.symbol,
      qty: String(request.qty),
      side: request.side,
      type: request.type,
      time_in_force: request.tif,
      client_order_id: request.clientOrderId,
    };
    if (request.limitPrice !== undefined) body.limit_price = String(request.limitPrice);
    if (request.stopPrice !== undefined) body.stop_price = String(request.stopPrice);
    return this.call('POST', '/v2/orders', WireOrderSchema, body);
  }

  /** GET /v2/orders:by_client_order_id; null when Alpaca does not know the id. */
  async orderByClientId(clientOrderId: string): Promise<WireOrder | null> {
    const query = new URLSearchParams({ client_order_id: clientOrderId });
    return this.orNull(
      this.call('GET', `/v2/orders:by_client_order_id?${query.toString()}`, WireOrderSchema),
    );
  }

  /** GET /v2/orders/{id}; null when Alpaca does not know it. */
  async order(id: string): Promise<WireOrder | null> {
    return this.orNull(this.call('GET', `/v2/orders/${encodeURIComponent(id)}`, WireOrderSchema));
  }

  /** GET /v2/orders?status=open: the working orders, newest first (at most 500, Alpaca's maximum). */
  async openOrders(): Promise<WireOrder[]> {
    return this.call('GET', '/v2/orders?status=open&limit=500&nested=false', z.array(WireOrderSchema));
  }

  /** DELETE /v2/orders/{id} (Alpaca answers 204; the final `canceled` comes on the stream). */
  async cancelOrder(id: string): Promise<void> {
    await this.call('DELETE', `/v2/orders/${encodeURIComponent(id)}`, z.unknown());
  }

  /** PATCH /v2/orders/{id}: the replacement order. */
  async replaceOrder(
    id: string,
    changes: { clientOrderId: string; qty?: number; limitPrice?: number; stopPrice?: number },
  ): Promise<WireOrder> {
    const body: Record<string, unknown> = { client_order_id: changes.clientOrderId };
    if (changes.qty !== undefined) body.qty = String(changes.qty);
    if (changes.limitPrice !== undefined) body.limit_price = String(changes.limitPrice);
    if (changes.stopPrice !== undefined) body.stop_price = String(changes.stopPrice);
    return this.call('PATCH', `/v2/orders/${encodeURIComponent(id)}`, WireOrderSchema, body);
  }

  async account(): Promise<WireAccount> {
    return this.call('GET', '/v2/account', WireAccountSchema);
  }

  async positions(): Promise<WirePosition[]> {
    return this.call('GET', '/v2/positions', z.array(WirePositionSchema));
  }

  /**
   * FILL activities after `after` (epoch ms, exclusive), oldest first, every page
   * (GET /v2/account/activities/FILL, `page_token` = the last id of the previous page).
   */
  async fillsAfter(after: number): Promise<WireFillActivity[]> {
    const all: WireFillActivity[] = [];
    let token: string | null = null;
    for (let page = 0; page < 100; page++) {
      const query = new URLSearchParams({
        after: new Date(after).toISOString(),
        direction: 'asc',
        page_size: '100',
      });
      if (token) query.set('page_token', token);
      const list = await this.call(
        'GET',
        `/v2/account/activities/FILL?${query.toString()}`,
        z.array(z.unknown()),
      );
      for (const item of list) {
        const parsed = WireFillActivitySchema.safeParse(item);
        if (parsed.success) all.push(parsed.data);
      }
      if (list.length < 100) break;
      const last = list[list.length - 1] as { id?: unknown };
      if (typeof last.id !== 'string') break;
      token = last.id;
    }
    return all;
  }

  /**
   * GET /v2/assets?status=active&asset_class=us_equity: the active US equities (about 12,000), as
   * {symbol, name}; entries we cannot read (another shape, a symbol outside our pattern) are skipped.
   */
  async assets(): Promise<{ symbol: string; name: string }[]> {
    const list = await this.call(
      'GET',
      '/v2/assets?status=active&asset_class=us_equity',
      z.array(z.unknown()),
    );
    const out: { symbol: string; name: string }[] = [];
    for (const item of list) {
      const parsed = WireAssetSchema.safeParse(item);
      if (!parsed.success) continue;
      const name = parsed.data.name?.trim();
      out.push({ symbol: parsed.data.symbol, name: name ? name.slice(0, 200) : parsed.data.symbol });
    }
    return out;
  }

  private async orNull<T>(promise: Promise<T>): Promise<T | null> {
    try {
      return await promise;
    } catch (error) {
      if (error instanceof TradingRestError && error.failure === 'not_found') return null;
      throw error;
    }
  }

  private async call<T>(
    method: string,
    path: string,
    schema: z.ZodType<T>,
    body?: Record<string, unknown>,
  ): Promise<T> {
    const { keys, baseUrl, timeoutMs = 15_000 } = this.options;
    let response: Response;
    try {
      response = await this.fetcher(`${baseUrl}${path}`, {
        method,
        headers: {
          'APCA-API-KEY-ID': keys.keyId,
          'APCA-API-SECRET-KEY': keys.secret,
          Accept: 'application/json',
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      // The market-data REST and streams say the same failures in the same words (platform/network-error).
      const failure = networkFailureOf(error);
      const said = failure
        ? describeNetworkFailure(failure, this.host, { purpose: 'trading' })
        : `cannot reach Alpaca at ${this.host} (no internet connection, a firewall, or a wrong address in the settings?)`;
      throw new TradingRestError(withCode(said, failure?.code), 'network', null);
    }
    const text = await response.text().catch(() => '');
    let payload: unknown;
    try {
      payload = text ? JSON.parse(text) : null;
    } catch {
      payload = null;
    }
    if (response.ok) {
      if (response.status === 204) return schema.parse(null);
      const parsed = schema.safeParse(payload);
      if (!parsed.success) {
        throw new TradingRestError(
          `Alpaca at ${this.host} sent an answer we do not understand for ${method} ${path.split('?')[0]}: ${parsed.error.issues[0]?.message ?? 'unexpected shape'}`,
          'bad_reply',
          response.status,
        );
      }
      return parsed.data;
    }
    const alpacaMessage =
      payload && typeof (payload as { message?: unknown }).message === 'string'
        ? (payload as { message: string }).message
        : null;
    throw this.failure(response.status, alpacaMessage);
  }

  private failure(status: number, alpacaMessage: string | null): TradingRestError {
    const said = alpacaMessage ? `: ${alpacaMessage}` : '';
    // 403 is also Alpaca's answer to an order it refuses (insufficient buying power); only a bare
    // "forbidden"/"unauthorized" means the keys.
    const keys =
      status === 401 ||
      (status === 403 && (!alpacaMessage || /forbidden|unauthori[sz]ed/i.test(alpacaMessage)));
    if (keys) {
      return new TradingRestError(
        `Alpaca refused the API keys (HTTP ${status}). Check the key id and secret, and that they are ` +
          `${this.host.startsWith('paper') ? 'paper' : 'the right'} keys for this account.`,
        'keys',
        status,
        alpacaMessage,
      );
    }
    if (
      status === 422 &&
      alpacaMessage &&
      /client_order_id/i.test(alpacaMessage) &&
      /unique/i.test(alpacaMessage)
    ) {
      return new TradingRestError('the client order id was already used', 'duplicate', status, alpacaMessage);
    }
    if (status === 404)
      return new TradingRestError(
        `Alpaca does not know this order${said}`,
        'not_found',
        status,
        alpacaMessage,
      );
    if (status >= 500) {
      return new TradingRestError(
        `Alpaca had a problem answering (HTTP ${status}${said}); usually brief, try again in a moment`,
        'server',
        status,
        alpacaMessage,
      );
    }
    if (status === 429) {
      return new TradingRestError(
        'Alpaca asks us to slow down (HTTP 429 too many requests)',
        'server',
        status,
        alpacaMessage,
      );
    }
    return new TradingRestError(
      `Alpaca refused${said || ` (HTTP ${status})`}`,
      'refused',
      status,
      alpacaMessage,
    );
  }
}
