/**
 * The loopback server speaks Alpaca's documented protocol, so that tests passing against it mean
 * something: frames, codecs, error codes and REST pagination, checked with plain clients.
 */
import { ExtensionCodec, decode, decodeTimestampToTimeSpec, encode } from '@msgpack/msgpack';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { AlpacaTestServer } from './server';

const KEYS = { keyId: 'PKSERVERTEST0001', secret: 'serverSecret0123456789abcd' };
const T0 = Date.parse('2025-03-14T14:00:00Z');

let server: AlpacaTestServer;
beforeEach(async () => {
  server = await AlpacaTestServer.start({ keys: KEYS, horizon: T0, pageSize: 100, tradeSymbolLimit: 2 });
});
afterEach(async () => server.close());

/** A raw client that collects every frame it receives. */
async function connect(codec: 'json' | 'msgpack', path = '/v2/iex') {
  // Decode the timestamp extension (-1) to its raw parts, to see what is on the wire.
  const extensions = new ExtensionCodec();
  extensions.register({
    type: -1,
    encode: () => null,
    decode: (data) => ({ ext: -1, ...decodeTimestampToTimeSpec(data) }),
  });
  const ws = new WebSocket(`${server.streamUrl}${path}`, {
    headers: codec === 'msgpack' ? { 'Content-Type': 'application/msgpack' } : {},
  });
  const frames: Record<string, unknown>[] = [];
  ws.on('message', (data: Buffer, binary) => {
    const decoded = (
      binary ? decode(data, { extensionCodec: extensions }) : JSON.parse(data.toString())
    ) as Record<string, unknown>[];
    frames.push(...decoded);
  });
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  await new Promise((resolve) => ws.once('open', resolve));
  const send = (message: object) => ws.send(codec === 'msgpack' ? encode(message) : JSON.stringify(message));
  const next = async (count: number) => {
    for (let i = 0; i < 400 && frames.length < count; i++) await new Promise((r) => setTimeout(r, 5));
    return frames.slice(0, count);
  };
  return { ws, frames, send, next, closed };
}

describe('the loopback Alpaca stream', () => {
  it('speaks JSON: connected, auth, subscription, bars with RFC 3339 times', async () => {
    const c = await connect('json');
    c.send({ action: 'auth', key: KEYS.keyId, secret: KEYS.secret });
    c.send({ action: 'subscribe', bars: ['SPY'], trades: ['SPY'] });
    await c.next(3);
    server.publishMinute(T0, ['SPY']);
    const frames = await c.next(4);
    expect(frames.slice(0, 2)).toEqual([
      { T: 'success', msg: 'connected' },
      { T: 'success', msg: 'authenticated' },
    ]);
    expect(frames[2]).toMatchObject({
      T: 'subscription',
      bars: ['SPY'],
      trades: ['SPY'],
      quotes: [],
      updatedBars: [],
    });
    expect(frames[3]).toMatchObject({ T: 'b', S: 'SPY', t: '2025-03-14T14:00:00.000Z' });
    expect(Object.keys(frames[3]!).sort()).toEqual(['S', 'T', 'c', 'h', 'l', 'n', 'o', 't', 'v', 'vw']);
    c.ws.close();
  });

  it('speaks msgpack when asked on upgrade, times as the timestamp extension (-1)', async () => {
    const c = await connect('msgpack');
    c.send({ action: 'auth', key: KEYS.keyId, secret: KEYS.secret });
    c.send({ action: 'subscribe', updatedBars: ['QQQ'] });
    await c.next(3);
    server.updateMinute('QQQ', T0 - 60_000, { c: 400 });
    const [, , , updated] = await c.next(4);
    expect(updated).toMatchObject({
      T: 'u',
      S: 'QQQ',
      c: 400,
      t: { ext: -1, sec: (T0 - 60_000) / 1000, nsec: 0 },
    });
    c.ws.close();
  });

  it('answers bad keys with 402, too many symbols with 405, a second connection with 406, a missing plan with 409', async () => {
    const bad = await connect('json');
    bad.send({ action: 'auth', key: KEYS.keyId, secret: 'wrong' });
    await bad.closed;
    expect(bad.frames[1]).toEqual({ T: 'error', code: 402, msg: 'auth failed' });

    const first = await connect('json');
    first.send({ action: 'subscribe', bars: ['SPY'] });
    expect((await first.next(2))[1]).toEqual({ T: 'error', code: 401, msg: 'not authenticated' });
    first.send({ action: 'auth', key: KEYS.keyId, secret: KEYS.secret });
    first.send({ action: 'subscribe', trades: ['SPY', 'QQQ', 'IWM'] });
    const frames = await first.next(5);
    expect(frames[3]).toEqual({ T: 'error', code: 405, msg: 'symbol limit exceeded' });
    expect(frames[4]).toMatchObject({ T: 'subscription', trades: ['SPY', 'QQQ'] });

    const second = await connect('json');
    second.send({ action: 'auth', key: KEYS.keyId, secret: KEYS.secret });
    await second.closed;
    expect(second.frames[1]).toEqual({ T: 'error', code: 406, msg: 'connection limit exceeded' });
    first.ws.close();
    await first.closed;

    await server.close();
    server = await AlpacaTestServer.start({ keys: KEYS, horizon: T0, feeds: ['iex'] });
    const sip = await connect('json', '/v2/sip');
    sip.send({ action: 'auth', key: KEYS.keyId, secret: KEYS.secret });
    await sip.closed;
    expect(sip.frames[1]).toEqual({ T: 'error', code: 409, msg: 'insufficient subscription' });
  });
});

describe('the loopback Alpaca REST', () => {
  const headers = { 'APCA-API-KEY-ID': KEYS.keyId, 'APCA-API-SECRET-KEY': KEYS.secret };

  it('pages bars with next_page_token until the history ends', async () => {
    const bars: { t: string }[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const url = new URL('/v2/stocks/bars', server.dataUrl);
      url.search = new URLSearchParams({
        symbols: 'SPY',
        timeframe: '1Min',
        start: '2025-03-13T00:00:00Z',
        limit: '1000',
        ...(token ? { page_token: token } : {}),
      }).toString();
      const body = (await (await fetch(url, { headers })).json()) as {
        bars: { SPY?: { t: string }[] };
        next_page_token: string | null;
      };
      bars.push(...(body.bars.SPY ?? []));
      token = body.next_page_token;
      pages++;
    } while (token);
    expect(pages).toBe(5); // 390 + 30 minutes in pages of 100
    expect(bars).toHaveLength(420);
    expect(bars.at(-1)?.t).toBe('2025-03-14T13:59:00.000Z');
  });

  it('refuses wrong keys with 403 and rate-limits with 429 and Retry-After', async () => {
    const url = `${server.dataUrl}/v2/stocks/bars?symbols=SPY&timeframe=1Day&start=2025-03-01T00:00:00Z`;
    expect((await fetch(url)).status).toBe(403);
    server.rateLimitNext(1, 3);
    const limited = await fetch(url, { headers });
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3']);
    expect((await fetch(url, { headers })).status).toBe(200);
  });
});
