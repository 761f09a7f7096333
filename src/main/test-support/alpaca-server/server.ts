/**
 * A loopback server that speaks Alpaca's documented market-data protocol, for tests (and the paper-mode
 * end-to-end test). One HTTP port serves:
 *
 * - the stock stream v2 at /v2/{iex,sip,delayed_sip}: `[{"T":"success","msg":"connected"}]` on open;
 *   `{"action":"auth"}` -> `authenticated` or error 402; `subscribe`/`unsubscribe` for trades, quotes,
 *   bars, updatedBars, dailyBars -> a `subscription` frame; frames b, u, d, t, q. msgpack when the
 *   upgrade carries `Content-Type: application/msgpack` (times as the msgpack timestamp extension,
 *   type -1), JSON otherwise (times as RFC 3339). Errors 401, 402, 403, 405, 406, 409 as Alpaca sends them.
 * - the news stream at /v1beta1/news: the same auth; `{"action":"subscribe","news":["*"]}` (or
 *   symbols) -> a `subscription` frame; frames `n` (news.ts) for `publishNews`.
 * - GET /v2/stocks/bars (1Min, 1Day; `next_page_token` pagination; APCA-API-* headers checked),
 *   GET /v2/calendar and GET /v1beta1/news (news.ts).
 * - the trading API (orders, account, positions, FILL activities) and its trade_updates stream at
 *   /stream: trading.ts, reached as `server.trading`.
 *
 * Its market is deterministic (market.ts) and has a horizon: REST serves minutes that ended by it;
 * `publishMinute` moves it and streams the minute. Faults are scripted: dropped sockets, silent sockets
 * (open, answering pings, delivering nothing), withheld pongs, refused upgrades, auth errors (402, 406,
 * 409), 429 with Retry-After, REST responses held back or hidden (history lagging the stream).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { decode, encode } from '@msgpack/msgpack';
import { WebSocketServer, type WebSocket } from 'ws';
import { nyseCalendar, type SessionCalendar } from '../../core/calendar';
import { dailyBar, minuteBar, sessionMinutes, type WireBar } from './market';
import { NewsArchive, newsFrame, subscribedTo, type WireNews } from './news';
import { AlpacaTradingFake } from './trading';

export const STREAM_CHANNELS = ['trades', 'quotes', 'bars', 'updatedBars', 'dailyBars'] as const;
export type StreamChannel = (typeof STREAM_CHANNELS)[number];
export type StockFeed = 'iex' | 'sip' | 'delayed_sip';

const MINUTE = 60_000;
const DAY = 86_400_000;

const ERROR_TEXT: Record<number, string> = {
  400: 'invalid syntax',
  401: 'not authenticated',
  402: 'auth failed',
  403: 'already authenticated',
  404: 'auth timeout',
  405: 'symbol limit exceeded',
  406: 'connection limit exceeded',
  407: 'slow client',
  409: 'insufficient subscription',
};

export interface AlpacaTestServerOptions {
  keys: { keyId: string; secret: string };
  /** Minutes that ended by this instant are history (epoch ms); 'wall' follows the wall clock. */
  horizon: number | 'wall';
  calendar?: SessionCalendar;
  /** The feeds the account's plan includes; others get 409 after auth. Default: all three. */
  feeds?: readonly StockFeed[];
  /** Authenticated connections allowed at once per endpoint, stock or news (Alpaca: 1). */
  connectionLimit?: number;
  /** Most symbols with trades or quotes (the free plan: 30). */
  tradeSymbolLimit?: number;
  /** Bars per REST page at most (a request's `limit` can lower it). */
  pageSize?: number;
  /** With a wall-clock horizon: stream each closed minute of the session as it happens. */
  live?: boolean;
}

interface Client {
  ws: WebSocket;
  codec: 'msgpack' | 'json';
  /** The stock feed, or 'news' for the news stream. */
  feed: StockFeed | 'news';
  authed: boolean;
  silent: boolean;
  subs: Record<StreamChannel, Set<string>>;
  news: Set<string>;
}

export interface RecordedRequest {
  path: string;
  query: Record<string, string>;
}

type Frame = Record<string, unknown>;

const newYorkMidnight = (date: string): number => {
  // Midnight New York is 04:00 or 05:00 UTC; find it by the offset at noon UTC of that date.
  const noon = Date.parse(`${date}T12:00:00Z`);
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/New_York',
    hour: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(new Date(noon));
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 7);
  return Date.parse(`${date}T00:00:00Z`) + (12 - hour) * 3_600_000;
};

const hhmm = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'America/New_York',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export class AlpacaTestServer {
  readonly dataUrl: string;
  readonly streamUrl: string;
  readonly tradingUrl: string;
  /** The trading API and its trade_updates stream at /stream (trading.ts), on this same port. */
  readonly trading: AlpacaTradingFake;
  /** Every REST request, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** Every stream message a client sent after decoding (auth secrets included: tests only). */
  readonly received: Frame[] = [];
  /** Upgrades accepted so far. */
  connectionsOpened = 0;
  /** Upgrades accepted so far per endpoint: the stock feed ('iex', 'sip', 'delayed_sip') or 'news'. */
  readonly connectionsByEndpoint = new Map<string, number>();

  private readonly calendar: SessionCalendar;
  private readonly clients = new Set<Client>();
  private fixedHorizon: number;
  private readonly overrides = new Map<string, WireBar>();
  private readonly calendarOverrides = new Map<string, { open: string; close: string } | null>();
  private pongsWithheld = false;
  private upgradesToRefuse = 0;
  private readonly authErrors: number[] = [];
  private rateLimited: { count: number; retryAfterSeconds: number } = { count: 0, retryAfterSeconds: 0 };
  private restGate: Promise<void> | null = null;
  private restHiddenFrom: number | null = null;
  private barsRequestsLeft = Infinity;
  private restForbidden = false;
  private tradeId = 1;
  private liveTimer: ReturnType<typeof setInterval> | null = null;
  private lastLiveMinute: number | null = null;
  private readonly newsArchive = new NewsArchive();
  private newsFramesBeforeDrop = Infinity;

  private constructor(
    private readonly options: AlpacaTestServerOptions,
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    port: number,
  ) {
    this.calendar = options.calendar ?? nyseCalendar;
    this.fixedHorizon = options.horizon === 'wall' ? 0 : options.horizon;
    this.dataUrl = `http://127.0.0.1:${port}`;
    this.streamUrl = `ws://127.0.0.1:${port}`;
    this.tradingUrl = `http://127.0.0.1:${port}`;
    this.trading = new AlpacaTradingFake(options.keys);
    if (options.live && options.horizon === 'wall') {
      this.lastLiveMinute = Math.floor(Date.now() / MINUTE) * MINUTE;
      this.liveTimer = setInterval(() => this.streamWallClock(), 1_000);
    }
  }

  static async start(options: AlpacaTestServerOptions): Promise<AlpacaTestServer> {
    const http = createServer();
    const wss = new WebSocketServer({ noServer: true, autoPong: false, perMessageDeflate: false });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const server = new AlpacaTestServer(options, http, wss, (http.address() as AddressInfo).port);
    http.on('request', (req, res) => {
      void server.onRequest(req, res);
    });
    http.on('upgrade', (req, socket, head) => server.onUpgrade(req, socket as Socket, head));
    return server;
  }

  /** The environment a workstation needs to use this server with the right keys. */
  env(): Record<string, string> {
    return {
      APCA_API_KEY_ID: this.options.keys.keyId,
      APCA_API_SECRET_KEY: this.options.keys.secret,
      TRM_ALPACA_DATA_URL: this.dataUrl,
      TRM_ALPACA_STREAM_URL: this.streamUrl,
      TRM_ALPACA_TRADING_URL: this.tradingUrl,
    };
  }

  get horizon(): number {
    return this.options.horizon === 'wall' ? Date.now() : this.fixedHorizon;
  }

  /** Authenticated connections now open. */
  get openConnections(): number {
    return [...this.clients].filter((c) => c.authed).length;
  }

  /** What the newest connection is subscribed to, per channel (sorted). */
  subscriptions(): Record<StreamChannel, string[]> | null {
    const last = [...this.clients].pop();
    if (!last) return null;
    return Object.fromEntries(STREAM_CHANNELS.map((ch) => [ch, [...last.subs[ch]].sort()])) as Record<
      StreamChannel,
      string[]
    >;
  }

  /** The minute bar the market holds for `symbol` at `start` (after any update). */
  bar(symbol: string, start: number): WireBar {
    return this.overrides.get(`${symbol}|${start}`) ?? minuteBar(symbol, start);
  }

  // ---- the market moving ----

  /** Minute `start` closed: REST knows it, and subscribers to `bars` of these symbols get a `b` frame. */
  publishMinute(start: number, symbols: readonly string[]): void {
    this.fixedHorizon = Math.max(this.fixedHorizon, start + MINUTE);
    for (const symbol of symbols)
      this.toSubscribers('bars', symbol, this.barFrame('b', symbol, this.bar(symbol, start)));
  }

  /** Moves the history horizon without streaming anything (time passing while nobody listens). */
  advanceHorizon(to: number): void {
    this.fixedHorizon = Math.max(this.fixedHorizon, to);
  }

  /** Alpaca corrects a minute (late trades): REST serves the new values; `updatedBars` subscribers get `u`. */
  updateMinute(symbol: string, start: number, change: Partial<Omit<WireBar, 't'>>): WireBar {
    const bar = { ...this.bar(symbol, start), ...change, t: start };
    this.overrides.set(`${symbol}|${start}`, bar);
    this.toSubscribers('updatedBars', symbol, this.barFrame('u', symbol, bar));
    return bar;
  }

  /** Streams the daily bar of the session on `date` (as of the horizon) to `dailyBars` subscribers. */
  publishDaily(symbol: string, date: string): void {
    const session = this.calendar.sessionOn(date);
    const bar = session ? dailyBar(symbol, session, this.horizon, newYorkMidnight(date)) : null;
    if (bar) this.toSubscribers('dailyBars', symbol, this.barFrame('d', symbol, bar));
  }

  publishTrade(symbol: string, time: number, price: number, size: number): void {
    this.toSubscribers('trades', symbol, {
      T: 't',
      S: symbol,
      i: this.tradeId++,
      x: 'V',
      p: price,
      s: size,
      t: new Date(time),
      c: ['@'],
      z: 'B',
    });
  }

  publishQuote(symbol: string, time: number, bid: number, ask: number): void {
    this.toSubscribers('quotes', symbol, {
      T: 'q',
      S: symbol,
      bx: 'V',
      bp: bid,
      bs: 3,
      ax: 'V',
      ap: ask,
      as: 2,
      t: new Date(time),
      c: ['R'],
      z: 'B',
    });
  }

  /**
   * Articles published: REST serves them from now on, and news subscribers that cover them get an `n`
   * frame each (unless a scripted drop cut the connection first).
   */
  publishNews(...articles: WireNews[]): void {
    for (const article of articles) {
      this.newsArchive.add(article);
      for (const client of this.clients) {
        if (client.feed !== 'news' || !client.authed || !subscribedTo(client.news, article)) continue;
        if (this.newsFramesBeforeDrop <= 0) {
          client.ws.terminate();
          continue;
        }
        this.send(client, [newsFrame(article)], false);
        this.newsFramesBeforeDrop--;
      }
    }
  }

  /** What the newest news connection is subscribed to (sorted), or null when none is open. */
  newsSubscription(): string[] | null {
    const last = [...this.clients].filter((c) => c.feed === 'news').pop();
    return last ? [...last.news].sort() : null;
  }

  /** Makes Alpaca's calendar say `date` is closed (null) or has other hours ("HH:MM"). */
  overrideCalendar(date: string, hours: { open: string; close: string } | null): void {
    this.calendarOverrides.set(date, hours);
  }

  // ---- faults ----

  /** Every socket dies at once (no close frame), as when a network path breaks. */
  dropAll(): void {
    for (const client of this.clients) client.ws.terminate();
  }

  /** After `count` more news frames, news sockets die (no close frame) as the next article is published. */
  dropNewsAfter(count: number): void {
    this.newsFramesBeforeDrop = count;
  }

  /** Open sockets stay open and answer pings but receive nothing more. New connections are normal. */
  silenceAll(): void {
    for (const client of this.clients) client.silent = true;
  }

  withholdPongs(on: boolean): void {
    this.pongsWithheld = on;
  }

  /** The next `count` upgrade requests get HTTP 503 instead of a WebSocket. */
  refuseUpgrades(count: number): void {
    this.upgradesToRefuse = count;
  }

  /** The next authentications get these error codes (402, 406, 409...), one per attempt. */
  failAuthWith(...codes: number[]): void {
    this.authErrors.push(...codes);
  }

  /** The next `count` REST requests get 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitNext(count: number, retryAfterSeconds: number): void {
    this.rateLimited = { count, retryAfterSeconds };
  }

  /** REST responses wait until the returned function is called. */
  holdRest(): () => void {
    let release!: () => void;
    this.restGate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.restGate = null;
      release();
    };
  }

  /** REST serves no minute starting at or after `from` (history lagging the stream); null: all. */
  hideRestFrom(from: number | null): void {
    this.restHiddenFrom = from;
  }

  /** REST answers 403 to every request (echoing the key id, as the key check does). */
  forbidRest(on: boolean): void {
    this.restForbidden = on;
  }

  /** After `count` more bars requests, bars requests never get an answer (an interrupted backfill). */
  hangBarsAfter(count: number): void {
    this.barsRequestsLeft = count;
  }

  async close(): Promise<void> {
    if (this.liveTimer) clearInterval(this.liveTimer);
    for (const client of this.clients) client.ws.terminate();
    this.wss.close();
    this.trading.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // ---- stream ----

  private onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    if (new URL(req.url ?? '/', 'http://x').pathname === '/stream') {
      this.trading.onUpgrade(req, socket, head);
      return;
    }
    const feed = /^\/v2\/(iex|sip|delayed_sip)$|^\/v1beta1\/(news)$/
      .exec(new URL(req.url ?? '/', 'http://x').pathname)
      ?.slice(1)
      .find(Boolean) as StockFeed | 'news' | undefined;
    if (!feed || this.upgradesToRefuse > 0) {
      if (feed) this.upgradesToRefuse--;
      socket.end(
        `HTTP/1.1 ${feed ? '503 Service Unavailable' : '404 Not Found'}\r\nConnection: close\r\n\r\n`,
      );
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.connectionsOpened++;
      this.connectionsByEndpoint.set(feed, (this.connectionsByEndpoint.get(feed) ?? 0) + 1);
      const client: Client = {
        ws,
        codec: req.headers['content-type'] === 'application/msgpack' ? 'msgpack' : 'json',
        feed,
        authed: false,
        silent: false,
        subs: {
          trades: new Set(),
          quotes: new Set(),
          bars: new Set(),
          updatedBars: new Set(),
          dailyBars: new Set(),
        },
        news: new Set(),
      };
      this.clients.add(client);
      ws.on('close', () => this.clients.delete(client));
      ws.on('ping', (data) => {
        if (!this.pongsWithheld) ws.pong(data);
      });
      ws.on('message', (data, isBinary) => this.onClientMessage(client, data as Buffer, isBinary));
      this.send(client, [{ T: 'success', msg: 'connected' }], true);
    });
  }

  private onClientMessage(client: Client, data: Buffer, isBinary: boolean): void {
    let message: unknown;
    try {
      message = isBinary ? decode(data) : JSON.parse(data.toString('utf8'));
    } catch {
      this.sendError(client, 400);
      return;
    }
    if (typeof message !== 'object' || message === null) {
      this.sendError(client, 400);
      return;
    }
    const frame = message as Frame;
    this.received.push(frame);
    switch (frame.action) {
      case 'auth':
        this.onAuth(client, frame);
        return;
      case 'subscribe':
      case 'unsubscribe':
        if (!client.authed) {
          this.sendError(client, 401);
          return;
        }
        this.onSubscribe(client, frame, frame.action === 'subscribe');
        return;
      default:
        this.sendError(client, 400);
    }
  }

  private onAuth(client: Client, frame: Frame): void {
    if (client.authed) {
      this.sendError(client, 403);
      return;
    }
    const scripted = this.authErrors.shift();
    const { keys } = this.options;
    // The limit is per endpoint: a news connection does not count against the stock stream's.
    const openOnEndpoint = [...this.clients].filter(
      (c) => c.authed && (c.feed === 'news') === (client.feed === 'news'),
    ).length;
    const code =
      scripted ??
      (frame.key !== keys.keyId || frame.secret !== keys.secret
        ? 402
        : openOnEndpoint >= (this.options.connectionLimit ?? 1)
          ? 406
          : client.feed !== 'news' &&
              !(this.options.feeds ?? ['iex', 'sip', 'delayed_sip']).includes(client.feed)
            ? 409
            : null);
    if (code !== null) {
      this.sendError(client, code);
      client.ws.close();
      return;
    }
    client.authed = true;
    this.send(client, [{ T: 'success', msg: 'authenticated' }], true);
  }

  private onSubscribe(client: Client, frame: Frame, add: boolean): void {
    if (client.feed === 'news') {
      const list: unknown[] = Array.isArray(frame.news) ? frame.news : [];
      for (const symbol of list) {
        if (typeof symbol !== 'string') continue;
        if (add) client.news.add(symbol);
        else client.news.delete(symbol);
      }
      this.send(client, [{ T: 'subscription', news: [...client.news] }], true);
      return;
    }
    const limit = this.options.tradeSymbolLimit ?? 30;
    let refused = false;
    for (const channel of STREAM_CHANNELS) {
      const list = frame[channel];
      if (!Array.isArray(list)) continue;
      const set = client.subs[channel];
      for (const symbol of list) {
        if (typeof symbol !== 'string') continue;
        if (!add) {
          set.delete(symbol);
        } else if ((channel === 'trades' || channel === 'quotes') && !set.has(symbol) && set.size >= limit) {
          refused = true;
        } else {
          set.add(symbol);
        }
      }
    }
    if (refused) this.sendError(client, 405);
    this.send(
      client,
      [
        {
          T: 'subscription',
          ...Object.fromEntries(STREAM_CHANNELS.map((ch) => [ch, [...client.subs[ch]]])),
          statuses: [],
          lulds: [],
          corrections: [...client.subs.trades],
          cancelErrors: [...client.subs.trades],
        },
      ],
      true,
    );
  }

  private sendError(client: Client, code: number): void {
    this.send(client, [{ T: 'error', code, msg: ERROR_TEXT[code] ?? 'error' }], true);
  }

  private barFrame(type: 'b' | 'u' | 'd', symbol: string, bar: WireBar): Frame {
    return {
      T: type,
      S: symbol,
      o: bar.o,
      h: bar.h,
      l: bar.l,
      c: bar.c,
      v: bar.v,
      t: new Date(bar.t),
      n: bar.n,
      vw: bar.vw,
    };
  }

  private toSubscribers(channel: StreamChannel, symbol: string, frame: Frame): void {
    for (const client of this.clients) {
      if (client.authed && client.subs[channel].has(symbol)) this.send(client, [frame], false);
    }
  }

  private send(client: Client, frames: Frame[], control: boolean): void {
    if ((client.silent && !control) || client.ws.readyState !== client.ws.OPEN) return;
    // msgpack encodes a Date as the timestamp extension (type -1); JSON.stringify as RFC 3339.
    client.ws.send(client.codec === 'msgpack' ? encode(frames) : JSON.stringify(frames));
  }

  private streamWallClock(): void {
    const closed = Math.floor(Date.now() / MINUTE) * MINUTE;
    if (this.lastLiveMinute === null) return;
    for (let start = this.lastLiveMinute; start < closed; start += MINUTE) {
      if (!this.calendar.sessionAt(start)) continue;
      const symbols = new Set<string>();
      for (const client of this.clients) for (const s of client.subs.bars) symbols.add(s);
      this.publishMinute(start, [...symbols]);
    }
    this.lastLiveMinute = closed;
  }

  // ---- REST ----

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ path: url.pathname, query });
    if (this.trading.handles(url.pathname)) {
      await this.trading.onRequest(req, res, url);
      return;
    }
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const { keys } = this.options;
    const keyId = req.headers['apca-api-key-id'];
    if (this.restForbidden || keyId !== keys.keyId || req.headers['apca-api-secret-key'] !== keys.secret) {
      // Echoes the key id back, as some proxies do: the workstation must redact it from what it shows.
      json(403, { message: `forbidden for key ${String(keyId)}` });
      return;
    }
    if (this.rateLimited.count > 0) {
      this.rateLimited.count--;
      json(
        429,
        { message: 'too many requests.' },
        { 'Retry-After': String(this.rateLimited.retryAfterSeconds) },
      );
      return;
    }
    if (url.pathname === '/v2/stocks/bars') {
      if (this.barsRequestsLeft <= 0) return; // never answered
      this.barsRequestsLeft--;
      while (this.restGate) await this.restGate;
      const page = this.barsPage(query);
      if (typeof page === 'string') json(422, { message: page });
      else json(200, page);
      return;
    }
    if (url.pathname === '/v1beta1/news') {
      while (this.restGate) await this.restGate;
      const page = this.newsArchive.page(query);
      if (typeof page === 'string') json(422, { message: page });
      else json(200, page);
      return;
    }
    if (url.pathname === '/v2/calendar') {
      json(200, this.calendarDays(query.start ?? '1970-01-01', query.end ?? '2100-01-01'));
      return;
    }
    json(404, { message: 'not found' });
  }

  private barsPage(query: Record<string, string>): object | string {
    const symbols = (query.symbols ?? '').split(',').filter(Boolean).sort();
    const timeframe = query.timeframe;
    const start = Date.parse(query.start ?? '');
    const end = query.end ? Date.parse(query.end) : this.horizon;
    if (symbols.length === 0) return 'symbols is required';
    if (timeframe !== '1Min' && timeframe !== '1Day') return `invalid timeframe ${String(timeframe)}`;
    if (Number.isNaN(start) || Number.isNaN(end)) return 'invalid start or end';
    const limit = Math.min(Number(query.limit ?? 1000), this.options.pageSize ?? 10_000);
    const offset = query.page_token ? Number(Buffer.from(query.page_token, 'base64url').toString()) : 0;
    const all: [string, WireBar][] = [];
    const horizon = this.horizon;
    for (const symbol of symbols) {
      if (timeframe === '1Min') {
        const to = Math.min(end + 1, horizon - MINUTE + 1, this.restHiddenFrom ?? Infinity);
        for (const t of sessionMinutes(this.calendar, start, to)) all.push([symbol, this.bar(symbol, t)]);
      } else {
        for (let day = Math.floor((start - DAY) / DAY) * DAY; day <= end + DAY; day += DAY) {
          const date = new Date(day).toISOString().slice(0, 10);
          const session = this.calendar.sessionOn(date);
          const midnight = newYorkMidnight(date);
          if (!session || midnight < start || midnight > end) continue;
          const bar = dailyBar(symbol, session, horizon, midnight);
          if (bar) all.push([symbol, bar]);
        }
      }
    }
    const page = all.slice(offset, offset + limit);
    const bars: Record<string, unknown[]> = {};
    for (const [symbol, bar] of page)
      (bars[symbol] ??= []).push({ ...bar, t: new Date(bar.t).toISOString() });
    const next =
      offset + limit < all.length ? Buffer.from(String(offset + limit)).toString('base64url') : null;
    return { bars, next_page_token: next, currency: 'USD' };
  }

  private calendarDays(start: string, end: string): object[] {
    const out: object[] = [];
    const from = Date.parse(`${start.slice(0, 10)}T00:00:00Z`);
    const to = Date.parse(`${end.slice(0, 10)}T00:00:00Z`);
    for (let day = from; day <= to; day += DAY) {
      const date = new Date(day).toISOString().slice(0, 10);
      const session = this.calendar.sessionOn(date);
      const hours = this.calendarOverrides.has(date)
        ? this.calendarOverrides.get(date)
        : session
          ? { open: hhmm.format(new Date(session.open)), close: hhmm.format(new Date(session.close)) }
          : null;
      if (!hours) continue;
      out.push({ date, ...hours, session_open: '0400', session_close: '2000', settlement_date: date });
    }
    return out;
  }
}
