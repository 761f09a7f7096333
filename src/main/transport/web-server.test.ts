/**
 * The web transport as an attacker and as the app see it: only this server's own page, with the run's
 * token, gets the contract; malformed traffic gets clear errors and the engine keeps serving.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EngineStatus } from '../../shared/domain';
import { MAX_MESSAGE_BYTES } from '../../shared/protocol';
import { createMemoryLogger } from '../platform/log';
import type { ContractService } from '../../shared/api';
import { contractService } from '../test-support/contract-service';
import { startWebServer, type WebServer } from './web-server';

const status: EngineStatus = {
  mode: 'demo',
  feed: { source: 'synthetic', state: 'live', message: null },
  marketTime: null,
  speed: 1,
  barsPerSecond: 0,
  tradesPerSecond: 0,
  lastTickAgeMs: null,
  store: { path: '/tmp/x.sqlite', bytes: 0, pendingWrites: 0 },
  symbols: 0,
  model: null,
  startedAt: 0,
};

const service: ContractService = contractService(
  {
    'engine.status': () => status,
    'market.symbols': () => [],
    'market.bars': () => [],
  },
  {
    'market.barsUpdated': () => () => undefined,
    'engine.statusChanged': (_arg, emit) => {
      emit(status);
      return () => undefined;
    },
  },
);

let server: WebServer;
let dir: string;
const log = createMemoryLogger();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trm-web-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>TRM</title>');
  server = await startWebServer({ service, rendererDir: dir, port: 0, log });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

/** Opens a socket and resolves with 'open' or the HTTP status of the refusal. */
function connect(
  query: string,
  headers: Record<string, string> = {},
): Promise<{ outcome: string; ws: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, { headers });
    ws.once('open', () => resolve({ outcome: 'open', ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ outcome: String(res.statusCode), ws }));
    ws.once('error', () => resolve({ outcome: 'error', ws }));
  });
}

function nextMessage(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) => ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()))));
}

describe('web server', () => {
  it('prints a loopback URL that carries the token in the fragment (never sent in requests)', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the renderer with a strict Content-Security-Policy', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>TRM</title>');
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(String(res.headers['content-security-policy'])).toContain(`ws://127.0.0.1:${server.port}`);
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('refuses requests for a foreign Host (DNS rebinding)', async () => {
    const res = await get('/', { Host: 'evil.example:80' });
    expect(res.status).toBe(421);
  });

  it('refuses a WebSocket without the token, with a wrong token, or from a foreign origin', async () => {
    const origin = `http://127.0.0.1:${server.port}`;
    const attempts = [
      await connect(''),
      await connect('?token=wrong'),
      await connect(`?token=${server.token}`, { Origin: 'https://evil.example' }),
      await connect(`?token=${server.token}`, { Origin: origin, Host: 'evil.example' }),
    ];
    expect(attempts.map((a) => a.outcome)).toEqual(['403', '403', '403', '403']);
    expect(log.lines.filter((line) => line.includes('refused a WebSocket')).length).toBeGreaterThanOrEqual(4);
  });

  it("accepts the app's own page with the token and serves calls", async () => {
    const { outcome, ws } = await connect(`?token=${server.token}`, {
      Origin: `http://localhost:${server.port}`,
    });
    expect(outcome).toBe('open');
    const reply = nextMessage(ws);
    ws.send(JSON.stringify({ t: 'call', id: 1, method: 'engine.status', params: {} }));
    expect(await reply).toEqual({ t: 'result', id: 1, ok: true, value: status });
    ws.close();
  });

  it('answers malformed messages with clear errors and keeps the connection serving', async () => {
    const { ws } = await connect(`?token=${server.token}`);
    let reply = nextMessage(ws);
    ws.send('{not json');
    expect(await reply).toEqual({
      t: 'error',
      error: { code: 'BAD_MESSAGE', message: 'message is not valid JSON' },
    });
    reply = nextMessage(ws);
    ws.send(JSON.stringify({ t: 'call', id: 2, method: 'market.bars', params: { symbol: 42 } }));
    expect(await reply).toMatchObject({ t: 'result', id: 2, ok: false, error: { code: 'BAD_PARAMS' } });
    reply = nextMessage(ws);
    ws.send(JSON.stringify({ t: 'call', id: 3, method: 'engine.status', params: {} }));
    expect(await reply).toMatchObject({ t: 'result', id: 3, ok: true });
    ws.close();
  });

  it('closes a connection that sends an oversized message, and still accepts new ones', async () => {
    const { ws } = await connect(`?token=${server.token}`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('x'.repeat(MAX_MESSAGE_BYTES + 1));
    expect(await closed).toBe(1009); // "message too big"
    const again = await connect(`?token=${server.token}`);
    expect(again.outcome).toBe('open');
    again.ws.close();
  });

  it('stops a client’s streams when it disconnects', async () => {
    const { ws } = await connect(`?token=${server.token}`);
    const event = new Promise<unknown>((resolve) => {
      ws.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as { t: string };
        if (message.t === 'event') resolve(message);
      });
    });
    ws.send(JSON.stringify({ t: 'listen', id: 9, event: 'engine.statusChanged', arg: {} }));
    expect(await event).toEqual({ t: 'event', id: 9, payload: status });
    expect(server.clientCount).toBe(1);
    ws.close();
    await new Promise((resolve) => ws.once('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.clientCount).toBe(0);
  });

  it('fails with a clear message when the requested port is taken, or falls back when allowed', async () => {
    await expect(startWebServer({ service, rendererDir: dir, port: server.port, log })).rejects.toThrow(
      `port ${server.port} on 127.0.0.1 is in use`,
    );
    const other = await startWebServer({
      service,
      rendererDir: dir,
      port: server.port,
      fallbackToFreePort: true,
      log,
    });
    expect(other.port).not.toBe(server.port);
    await other.close();
  });
});
