/**
 * The browser transport: one WebSocket to the engine's loopback server, one JSON envelope per text
 * frame, reconnecting with backoff whenever the socket drops. The contract client on top re-sends its
 * listens after each reconnect; this module only moves frames and reports its state.
 */
import { MAX_MESSAGE_BYTES, type ClientMessage, type ServerMessage } from '../../shared/protocol';
import type { Connection, ConnectionState } from '../../shared/rpc-client';

export interface WebSocketConnectionOptions {
  url: string;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Told whether the latest attempt ever opened, after each drop (to diagnose a refused token). */
  onDrop?: (info: { everOpened: boolean; code: number; reason: string }) => void;
}

/** An error envelope the client reports as a protocol error, for frames that are not envelopes at all. */
function badFrame(message: string): ServerMessage {
  return { t: 'error', error: { code: 'BAD_MESSAGE', message } };
}

function decodeFrame(data: unknown): unknown {
  if (typeof data !== 'string') return badFrame('binary frame received; the engine sends JSON text frames');
  if (data.length > MAX_MESSAGE_BYTES) return badFrame(`frame of ${data.length} bytes exceeds the limit`);
  try {
    return JSON.parse(data) as unknown;
  } catch (error) {
    return badFrame(`frame is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function createWebSocketConnection(options: WebSocketConnectionOptions): Connection {
  const initialBackoffMs = options.initialBackoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 5000;
  const messageListeners = new Set<(message: unknown) => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  let socket: WebSocket | null = null;
  let backoffMs = initialBackoffMs;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let closedByUs = false;

  const setState = (next: ConnectionState): void => {
    if (next === state) return;
    state = next;
    for (const listener of stateListeners) listener(next);
  };

  const open = (): void => {
    retryTimer = null;
    setState('connecting');
    let opened = false;
    const ws = new WebSocket(options.url);
    socket = ws;
    ws.onopen = () => {
      opened = true;
      backoffMs = initialBackoffMs;
      setState('open');
    };
    ws.onmessage = (event: MessageEvent) => {
      const message = decodeFrame(event.data);
      for (const listener of messageListeners) listener(message);
    };
    // No onerror: an error is always followed by close, which does the bookkeeping once.
    ws.onclose = (event: CloseEvent) => {
      if (socket !== ws) return;
      socket = null;
      setState('closed');
      options.onDrop?.({ everOpened: opened, code: event.code, reason: event.reason });
      if (closedByUs) return;
      retryTimer = setTimeout(open, backoffMs);
      backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
    };
  };

  open();

  return {
    get state() {
      return state;
    },
    send(message: ClientMessage) {
      // The client only sends while open; a frame racing a drop is lost, and the client fails its call.
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    },
    onMessage(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onStateChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      closedByUs = true;
      if (retryTimer !== null) clearTimeout(retryTimer);
      retryTimer = null;
      const ws = socket;
      socket = null;
      ws?.close();
      setState('closed');
    },
  };
}
