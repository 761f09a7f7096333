/**
 * Alpaca REST through the SDK's generated API classes (built with `Configuration({ basePath })`, so any
 * host works), with our own retry: the SDK's would sleep on the wall clock, ours waits on the injected
 * timers, so tests drive it and a stop cancels it.
 *
 * - 429: wait what Retry-After says (or X-RateLimit-Reset), else back off 1 s, 2 s, 4 s... (at most
 *   a minute), then retry; at most `maxAttempts` tries in all.
 * - 5xx and network errors: the same backoff, at most 4 tries.
 * - 401/403 and other 4xx: no retry; an AlpacaRestError that says what to do.
 * Network errors (the SDK's FetchError around fetch's) are said in plain words (network-error.ts): "cannot
 * reach Alpaca at data.alpaca.markets for market data (no internet connection, or blocked by a
 * firewall?) [ENOTFOUND]", never the SDK's "the interceptors did not return an alternative response".
 * Responses are validated against schema.ts before anyone sees them.
 */
import { errors, marketData, trading } from '@alpacahq/alpaca-trade-api';
import type { AlpacaKeys } from '../../../shared/domain';
import type { Timers } from '../../platform/clock';
import { RECONNECT_BACKOFF, backoffDelay } from './backoff';
import { describeNetworkFailure, hostOf, networkFailureOf, withCode } from '../../platform/network-error';
import {
  AlpacaBarsPageSchema,
  AlpacaCalendarSchema,
  type AlpacaCalendarDay,
  type AlpacaRestBar,
} from './schema';

export type AlpacaRestFailure =
  'auth' | 'forbidden' | 'rate-limit' | 'server' | 'network' | 'bad-request' | 'bad-response';

/**
 * A failed Alpaca request. `message` is `plain` with the technical code, when there is one, in brackets
 * at its end ("... (no internet connection, or blocked by a firewall?) [ENOTFOUND]").
 */
export class AlpacaRestError extends Error {
  override readonly name = 'AlpacaRestError';
  constructor(
    /** What happened and what to do, in plain words. */
    readonly plain: string,
    readonly failure: AlpacaRestFailure,
    readonly status?: number,
    /** The system's or library's code (ENOTFOUND, ECONNREFUSED...), for support; null when none. */
    readonly technical: string | null = null,
  ) {
    super(withCode(plain, technical));
  }
}

/** Thrown when a request is cancelled through its AbortSignal (a stop or a dropped connection). */
export class AbortedError extends Error {
  override readonly name = 'AbortedError';
  constructor() {
    super('cancelled');
  }
}

export interface BarsQuery {
  symbols: readonly string[];
  timeframe: '1Min' | '1Day';
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, inclusive (Alpaca's `end`). */
  end: number;
  feed: 'iex' | 'sip';
  pageToken?: string | undefined;
  /** Bars per page (Alpaca allows up to 10,000). */
  limit?: number;
}

export interface BarsPage {
  /** Per symbol, oldest first, as sent (validated shape; map with mapper.ts). */
  bars: Map<string, AlpacaRestBar[]>;
  nextPageToken: string | null;
}

export interface AlpacaRestOptions {
  dataUrl: string;
  tradingUrl: string;
  /** The keys to send; asked on every request, so saved keys take effect at once. */
  keys: () => AlpacaKeys;
  timers: Timers;
  /** Called before each wait for a rate limit, with the wait in ms. */
  onRateLimited?: (waitMs: number, attempt: number) => void;
  maxAttempts?: number;
  /** Per-request time limit, ms (default 30 s). */
  timeoutMs?: number;
  random?: () => number;
}

const SERVER_ATTEMPTS = 4;

/** Resolves after `ms` on `timers`; rejects with AbortedError as soon as `signal` aborts. */
export function waitFor(timers: Timers, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortedError());
      return;
    }
    const onAbort = (): void => {
      timers.clearTimeout(handle);
      reject(new AbortedError());
    };
    const handle = timers.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class AlpacaRest {
  private readonly maxAttempts: number;
  private readonly random: () => number;

  constructor(private readonly options: AlpacaRestOptions) {
    this.maxAttempts = options.maxAttempts ?? 8;
    this.random = options.random ?? Math.random;
  }

  /** One page of GET /v2/stocks/bars (sorted by symbol, then time). */
  async barsPage(query: BarsQuery, signal?: AbortSignal): Promise<BarsPage> {
    const json = await this.call('market data', this.options.dataUrl, signal, async (init) => {
      const api = new marketData.StockApi(this.configuration(marketData.Configuration, this.options.dataUrl));
      const response = await api.stockBarsRaw(
        {
          symbols: query.symbols.join(','),
          timeframe: query.timeframe,
          start: new Date(query.start),
          end: new Date(query.end),
          limit: query.limit ?? 10_000,
          adjustment: 'raw',
          feed: query.feed,
          sort: 'asc',
          ...(query.pageToken ? { pageToken: query.pageToken } : {}),
        },
        init,
      );
      return await response.raw.json();
    });
    const parsed = AlpacaBarsPageSchema.safeParse(json);
    if (!parsed.success) {
      throw new AlpacaRestError(
        `Alpaca sent bars in an unexpected shape (${parsed.error.issues[0]?.message ?? 'invalid'})`,
        'bad-response',
      );
    }
    const bars = new Map<string, AlpacaRestBar[]>();
    for (const [symbol, list] of Object.entries(parsed.data.bars ?? {})) bars.set(symbol, list ?? []);
    return { bars, nextPageToken: parsed.data.next_page_token || null };
  }

  /** GET /v2/calendar for dates `start`..`end` (YYYY-MM-DD, inclusive): the open days only. */
  async calendar(start: string, end: string, signal?: AbortSignal): Promise<AlpacaCalendarDay[]> {
    const json = await this.call('the market calendar', this.options.tradingUrl, signal, async (init) => {
      const api = new trading.CalendarApi(this.configuration(trading.Configuration, this.options.tradingUrl));
      const response = await api.legacyCalendarRaw(
        { start: new Date(`${start}T00:00:00Z`), end: new Date(`${end}T00:00:00Z`) },
        init,
      );
      return await response.raw.json();
    });
    const parsed = AlpacaCalendarSchema.safeParse(json);
    if (!parsed.success) {
      throw new AlpacaRestError(
        `Alpaca sent its calendar in an unexpected shape (${parsed.error.issues[0]?.message ?? 'invalid'})`,
        'bad-response',
      );
    }
    return parsed.data;
  }

  /**
   * One request to the market-data host with this client's keys, retries and plain-words errors (what
   * the other market-data endpoints need, e.g. news-rest.ts): `request` makes the call with the SDK
   * API class it builds on `configuration` and returns the parsed JSON, unvalidated (the caller
   * validates it). `what` names the data in messages ("news"). Throws AlpacaRestError or AbortedError.
   */
  async marketDataJson(
    what: string,
    request: (configuration: marketData.Configuration, init: RequestInit) => Promise<unknown>,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const { dataUrl } = this.options;
    return await this.call(what, dataUrl, signal, (init) =>
      request(this.configuration(marketData.Configuration, dataUrl), init),
    );
  }

  private configuration<C>(
    Kind: new (parameters: { basePath: string; keyId: string; secret: string; timeoutMs: number }) => C,
    basePath: string,
  ): C {
    const { keyId, secret } = this.options.keys();
    return new Kind({ basePath, keyId, secret, timeoutMs: this.options.timeoutMs ?? 30_000 });
  }

  private async call<T>(
    what: string,
    baseUrl: string,
    signal: AbortSignal | undefined,
    request: (init: RequestInit) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new AbortedError();
      let failure: AlpacaRestError;
      let waitMs: number | undefined;
      try {
        return await request(signal ? { signal } : {});
      } catch (error) {
        if (signal?.aborted) throw new AbortedError();
        failure = explain(error, what, hostOf(baseUrl), this.options.timeoutMs ?? 30_000);
        if (error instanceof errors.ApiError) waitMs = error.retryAfterMs;
      }
      const attempts = failure.failure === 'rate-limit' ? this.maxAttempts : SERVER_ATTEMPTS;
      const retryable =
        failure.failure === 'rate-limit' || failure.failure === 'server' || failure.failure === 'network';
      if (!retryable || attempt + 1 >= attempts) throw failure;
      const delay =
        failure.failure === 'rate-limit' && waitMs !== undefined
          ? waitMs
          : backoffDelay(attempt, RECONNECT_BACKOFF, () => 0.5 + this.random() / 2);
      if (failure.failure === 'rate-limit') this.options.onRateLimited?.(delay, attempt + 1);
      await waitFor(this.options.timers, delay, signal);
    }
  }
}

/** An SDK error as an AlpacaRestError whose message says what happened and what to do. */
function explain(error: unknown, what: string, host: string, timeoutMs: number): AlpacaRestError {
  if (error instanceof errors.ApiError) {
    const detail = error.message ? `: ${error.message}` : '';
    switch (error.status) {
      case 401:
        return new AlpacaRestError(
          `Alpaca did not accept the API keys for ${what} (HTTP 401${detail}). Check APCA_API_KEY_ID and APCA_API_SECRET_KEY, or save new keys under Broker keys in the window.`,
          'auth',
          401,
        );
      case 403:
        return new AlpacaRestError(
          `Alpaca refused ${what} (HTTP 403${detail}). Check the keys and that your plan includes this data; the free plan has the iex feed (--feed iex).`,
          'forbidden',
          403,
        );
      case 429:
        return new AlpacaRestError(
          `Alpaca's rate limit was reached for ${what} (HTTP 429)`,
          'rate-limit',
          429,
        );
      default:
        if (error.status >= 500) {
          return new AlpacaRestError(
            `Alpaca had a server error for ${what} (HTTP ${error.status}${detail})`,
            'server',
            error.status,
          );
        }
        return new AlpacaRestError(
          `Alpaca rejected the request for ${what} (HTTP ${error.status}${detail})`,
          'bad-request',
          error.status,
        );
    }
  }
  if (error instanceof SyntaxError) {
    return new AlpacaRestError(
      `Alpaca sent ${what} as something other than JSON (${error.message})`,
      'bad-response',
    );
  }
  const network = networkFailureOf(error);
  if (network?.kind === 'timeout') {
    return new AlpacaRestError(
      `no answer from Alpaca at ${host} for ${what} within ${timeoutMs < 1_000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`} (a slow or blocked network connection, or a firewall?)`,
      'network',
      undefined,
      network.code,
    );
  }
  if (network) {
    // A reset comes after the connection was made: the request was under way when it was cut.
    const wasOpen = network.kind === 'reset';
    return new AlpacaRestError(
      describeNetworkFailure(network, host, { purpose: what, wasOpen }),
      'network',
      undefined,
      network.code,
    );
  }
  return new AlpacaRestError(
    `cannot reach Alpaca at ${host} for ${what} (${innermostMessage(error)}); check the network connection`,
    'network',
  );
}

/** The message of the deepest cause: the wrappers' ("fetch failed", the SDK's) say least. */
function innermostMessage(error: unknown): string {
  let current = error;
  for (let depth = 0; depth < 10 && current instanceof Error && current.cause instanceof Error; depth++)
    current = current.cause;
  return current instanceof Error ? current.message || current.name : String(current);
}
