/**
 * Alpaca's trade_updates stream (docs: "Websocket Streaming") kept alive on the injected timers, the way
 * the market-data stream is (market/alpaca/stream.ts): `{"action":"auth","key","secret"}`, then
 * `{"action":"listen","data":{"streams":["trade_updates"]}}`; ready once Alpaca answers `listening`.
 * Frames arrive as text or, from the paper host, as binary JSON.
 *
 * Connection life: a ping every `pingIntervalMs`, dead without a pong in `pongWaitMs`; dead without
 * authorization and listening within `handshakeTimeoutMs`; dead or closed → reconnect after an
 * exponential backoff with full jitter (delay = u · min(cap, base · 2^attempt), AWS Architecture Blog,
 * "Exponential Backoff And Jitter", 2015), the attempt count reset once a connection stayed up `stableMs`.
 * Keys refused (`unauthorized`) halt the stream: no retry until a restart.
 *
 * Uses `ws` directly: the SDK's trade-updates socket belongs to its top-level `Alpaca` client, whose
 * hosts are fixed and whose reconnects run on the wall clock.
 */
import { WebSocket, type RawData } from 'ws';
import type { Timers } from '../../platform/clock';
import type { Logger } from '../../platform/log';
import { describeNetworkFailure, hostOf, networkFailureOf, withCode } from '../../platform/network-error';
import { WireStreamFrameSchema } from './wire';

export interface TradeStreamTuning {
  pingIntervalMs: number;
  pongWaitMs: number;
  handshakeTimeoutMs: number;
  stableMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_TRADE_STREAM_TUNING: TradeStreamTuning = {
  pingIntervalMs: 15_000,
  pongWaitMs: 5_000,
  handshakeTimeoutMs: 20_000,
  stableMs: 60_000,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
};

export type TradeStreamEvent =
  /** Authorized and listening: updates flow from here on (reconcile now: some may have been missed). */
  | { kind: 'ready'; reconnect: boolean }
  /** The connection ended; a retry follows in `delayMs`. */
  | { kind: 'retrying'; delayMs: number; reason: string; wasReady: boolean }
  /** Alpaca refused the keys: no retry. */
  | { kind: 'halted'; reason: string };

export interface TradeStreamOptions {
  url: string;
  keys: { keyId: string; secret: string };
  timers: Timers;
  log: Logger;
  random?: () => number;
  tuning?: Partial<TradeStreamTuning>;
  status(event: TradeStreamEvent): void;
  /** One trade_updates `data` object, unvalidated. */
  update(data: unknown): void;
}

export class TradeUpdatesStream {
  private readonly tuning: TradeStreamTuning;
  private socket: WebSocket | null = null;
  private timers: unknown[] = [];
  private retryTimer: unknown = null;
  private attempts = 0;
  private readyOnce = false;
  private stopped = false;
  private ready = false;

  constructor(private readonly options: TradeStreamOptions) {
    this.tuning = { ...DEFAULT_TRADE_STREAM_TUNING, ...options.tuning };
  }

  start(): void {
    this.stopped = false;
    if (!this.socket && this.retryTimer === null) this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer !== null) this.options.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.dispose();
  }

  private connect(): void {
    const { url, keys, timers, log } = this.options;
    const socket = new WebSocket(url, {
      perMessageDeflate: false,
      handshakeTimeout: this.tuning.handshakeTimeoutMs,
    });
    this.socket = socket;
    this.ready = false;
    let opened = false;
    let socketError: string | null = null;
    let ended = false;
    let pongTimer: unknown = null;
    const current = () => this.socket === socket && !ended;
    const end = (reason: string, halt = false): void => {
      if (!current()) return;
      ended = true;
      const wasReady = this.ready;
      this.dispose();
      if (this.stopped) return;
      if (halt) {
        this.options.status({ kind: 'halted', reason });
        return;
      }
      const ceiling = Math.min(
        this.tuning.maxDelayMs,
        this.tuning.baseDelayMs * 2 ** Math.min(this.attempts, 30),
      );
      const delayMs = Math.round((this.options.random ?? Math.random)() * ceiling);
      this.attempts++;
      this.options.status({ kind: 'retrying', delayMs, reason, wasReady });
      this.retryTimer = timers.setTimeout(() => {
        this.retryTimer = null;
        if (!this.stopped) this.connect();
      }, delayMs);
    };
    this.timers.push(
      timers.setTimeout(() => {
        if (current() && !this.ready)
          end(`no answer from Alpaca within ${Math.round(this.tuning.handshakeTimeoutMs / 1000)} s`);
      }, this.tuning.handshakeTimeoutMs),
    );
    socket.on('error', (error: Error & { code?: string }) => {
      // In the same words as the market-data streams (platform/network-error), code in brackets.
      const failure = networkFailureOf(error);
      socketError ??= failure
        ? withCode(
            describeNetworkFailure(failure, hostOf(url), { purpose: 'trade updates', wasOpen: opened }),
            failure.code,
          )
        : withCode(error.message, error.code);
    });
    socket.on('unexpected-response', (_req, res) => {
      socketError = `Alpaca answered HTTP ${res.statusCode} instead of opening the trade updates stream`;
      socket.terminate();
    });
    socket.on('close', () => {
      end(socketError ?? (opened ? 'the trade updates connection closed' : 'cannot reach Alpaca'));
    });
    socket.on('pong', () => {
      if (pongTimer !== null) timers.clearTimeout(pongTimer);
      pongTimer = null;
    });
    socket.on('open', () => {
      opened = true;
      socket.send(JSON.stringify({ action: 'auth', key: keys.keyId, secret: keys.secret }));
      if (this.tuning.pingIntervalMs <= 0) return;
      const ping = (): void => {
        if (!current()) return;
        if (socket.readyState === WebSocket.OPEN && pongTimer === null) {
          socket.ping();
          pongTimer = timers.setTimeout(() => {
            pongTimer = null;
            if (current()) {
              end(`no answer to a ping within ${Math.round(this.tuning.pongWaitMs / 1000)} s`);
              socket.terminate();
            }
          }, this.tuning.pongWaitMs);
          this.timers.push(pongTimer);
        }
        this.timers.push(timers.setTimeout(ping, this.tuning.pingIntervalMs));
      };
      this.timers.push(timers.setTimeout(ping, this.tuning.pingIntervalMs));
    });
    socket.on('message', (data: RawData) => {
      if (!current()) return;
      let frame: { stream: string; data: unknown };
      try {
        const text = Array.isArray(data)
          ? Buffer.concat(data).toString('utf8')
          : Buffer.from(data as ArrayBuffer).toString('utf8');
        frame = WireStreamFrameSchema.parse(JSON.parse(text));
      } catch {
        log.warn('trade updates: a frame that is not {stream, data} JSON was ignored');
        return;
      }
      const data_ = (frame.data ?? {}) as Record<string, unknown>;
      if (frame.stream === 'authorization') {
        if (data_.status === 'authorized') {
          socket.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }));
        } else {
          end(
            'Alpaca refused the API keys for the trade updates stream (unauthorized). Check the key id and secret.',
            true,
          );
          socket.close();
        }
      } else if (frame.stream === 'listening') {
        const streams = Array.isArray(data_.streams) ? data_.streams : [];
        if (!streams.includes('trade_updates')) {
          end('Alpaca did not grant the trade_updates stream');
          socket.close();
          return;
        }
        if (this.ready) return;
        this.ready = true;
        const reconnect = this.readyOnce;
        this.readyOnce = true;
        this.timers.push(
          timers.setTimeout(() => {
            if (current()) this.attempts = 0;
          }, this.tuning.stableMs),
        );
        this.options.status({ kind: 'ready', reconnect });
      } else if (frame.stream === 'trade_updates') {
        this.options.update(frame.data);
      }
    });
  }

  private dispose(): void {
    for (const timer of this.timers) this.options.timers.clearTimeout(timer);
    this.timers = [];
    const socket = this.socket;
    this.socket = null;
    this.ready = false;
    if (socket) {
      socket.removeAllListeners('message');
      socket.on('error', () => undefined);
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING)
        socket.terminate();
    }
  }
}
