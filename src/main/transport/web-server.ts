/**
 * The web transport: serves the built renderer and the contract over a WebSocket, on 127.0.0.1 only.
 *
 * Who may talk to the engine:
 * - every HTTP request and upgrade must name this server in its Host header (defeats DNS rebinding);
 * - a WebSocket must present the token (`/ws?token=...`; `trm web` keeps one per data folder, see
 *   platform/web-token.ts), compared in constant time;
 * - a browser's WebSocket must come from this server's own origin (a hostile page elsewhere is refused).
 *   Non-browser local clients send no Origin; they still need the token.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import sirv from 'sirv';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES, type ServerMessage } from '../../shared/protocol';
import type { Logger } from '../platform/log';
import type { ContractService } from '../../shared/api';
import { createClientConnection } from './dispatcher';
import { contentSecurityPolicy } from './page-security';

export interface WebServerOptions {
  service: ContractService;
  /** The built renderer (out/renderer); without it the server speaks only the contract (HTTP answers 404). */
  rendererDir?: string;
  /** 0 picks a free port. */
  port: number;
  /** When the port is taken, take any free one instead of failing. */
  fallbackToFreePort?: boolean;
  /** Defaults to a fresh random token. */
  token?: string;
  log: Logger;
}

export interface WebServer {
  readonly port: number;
  readonly token: string;
  /** The address to open in a browser, token included. */
  readonly url: string;
  readonly clientCount: number;
  close(): Promise<void>;
}

/** Events are dropped for a client whose socket has this much unsent data (a stalled tab). */
const MAX_BUFFERED_BYTES = 8 * MAX_MESSAGE_BYTES;

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('server has no TCP address'));
      else resolve(address.port);
    });
  });
}

function sameToken(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function decode(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { service, log } = options;
  const token = options.token ?? randomBytes(24).toString('base64url');
  let port = 0;
  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = (): Set<string> => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  // The desktop window's policy (page-security.ts), plus this server's own WebSocket.
  const pageSecurityPolicy = (): string =>
    contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]);

  const serveStatic =
    options.rendererDir === undefined
      ? null
      : sirv(options.rendererDir, {
          dev: false,
          etag: true,
          single: true,
          setHeaders: (res, pathname) => {
            res.setHeader('Content-Security-Policy', pageSecurityPolicy());
            res.setHeader('X-Content-Type-Options', 'nosniff');
            res.setHeader('Referrer-Policy', 'no-referrer');
            res.setHeader('X-Frame-Options', 'DENY');
            res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
            if (pathname.endsWith('.html') || pathname === '/') res.setHeader('Cache-Control', 'no-store');
          },
        });

  const server = createServer((req, res) => {
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('unknown host\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const notFound = (): void => {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    };
    if (serveStatic === null) notFound();
    else serveStatic(req, res, notFound);
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
  });
  let clients = 0;
  let nextClient = 1;

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin;
    const why =
      url.pathname !== '/ws'
        ? 'not found'
        : !allowedHosts().has(req.headers.host ?? '')
          ? `unknown host ${req.headers.host ?? '(none)'}`
          : origin !== undefined && !allowedOrigins().has(origin)
            ? `foreign origin ${origin}`
            : !sameToken(url.searchParams.get('token'), token)
              ? 'missing or wrong token'
              : null;
    if (why !== null) {
      log.warn(`refused a WebSocket from ${req.socket.remoteAddress ?? '?'}: ${why}`);
      refuseUpgrade(socket, why === 'not found' ? 404 : 403, 'Forbidden');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws));
  });

  const accept = (ws: WebSocket): void => {
    const peer = `web client ${nextClient++}`;
    clients++;
    let droppedEvents = 0;
    const send = (message: ServerMessage): void => {
      if (ws.readyState !== ws.OPEN) return;
      if (message.t === 'event' && ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        if (droppedEvents++ === 0) log.warn(`${peer} is not reading; dropping events until it catches up`);
        return;
      }
      if (droppedEvents > 0 && ws.bufferedAmount <= MAX_BUFFERED_BYTES) {
        log.warn(`${peer} caught up after ${droppedEvents} dropped events`);
        droppedEvents = 0;
      }
      ws.send(JSON.stringify(message));
    };
    const connection = createClientConnection(service, send, log, peer);
    log.info(`${peer} connected`);
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        connection.receive(undefined);
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(decode(data));
      } catch {
        log.warn(`rejected message from ${peer}: BAD_MESSAGE: not JSON`);
        send({ t: 'error', error: { code: 'BAD_MESSAGE', message: 'message is not valid JSON' } });
        return;
      }
      connection.receive(parsed);
    });
    ws.on('error', (error) => log.warn(`${peer}: ${error.message}`));
    ws.on('close', (code) => {
      clients--;
      connection.dispose();
      log.info(`${peer} disconnected (${code})`);
    });
  };

  try {
    port = await listen(server, options.port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' || !options.fallbackToFreePort) {
      throw code === 'EADDRINUSE'
        ? new Error(
            `port ${options.port} on 127.0.0.1 is in use; choose another with --port (0 picks a free one)`,
          )
        : error;
    }
    log.warn(`port ${options.port} is in use; using a free port instead`);
    port = await listen(server, 0);
  }

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    get clientCount() {
      return clients;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
