import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionState } from '../../shared/rpc-client';
import { readToken } from './connect';
import { createWebSocketConnection } from './websocket-connection';

/** Just enough of the browser WebSocket for the transport: tests drive open, message and close. */
class FakeWebSocket {
  static readonly OPEN = 1;
  static instances: FakeWebSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.drop(1000);
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
}

const latest = (): FakeWebSocket => {
  const socket = FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
  if (!socket) throw new Error('no socket was opened');
  return socket;
};

beforeEach(() => {
  FakeWebSocket.instances = [];
  vi.useFakeTimers();
  vi.stubGlobal('WebSocket', FakeWebSocket);
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('WebSocket connection', () => {
  it('goes connecting -> open -> closed -> connecting, backing off 0.5 s doubling to 5 s', () => {
    const states: ConnectionState[] = [];
    const drops: boolean[] = [];
    const connection = createWebSocketConnection({
      url: 'ws://127.0.0.1:1/ws?token=t',
      onDrop: ({ everOpened }) => drops.push(everOpened),
    });
    connection.onStateChange((state) => states.push(state));
    expect(connection.state).toBe('connecting');
    latest().open();
    latest().drop();
    expect(states).toEqual(['open', 'closed']);

    const delays: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const before = FakeWebSocket.instances.length;
      let waited = 0;
      while (FakeWebSocket.instances.length === before) {
        vi.advanceTimersByTime(100);
        waited += 100;
      }
      delays.push(waited);
      latest().drop();
    }
    expect(delays, 'backoff').toEqual([500, 1000, 2000, 4000, 5000, 5000]);
    expect(drops, 'only the first attempt ever opened').toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);

    vi.advanceTimersByTime(5000);
    latest().open();
    latest().drop();
    const sockets = FakeWebSocket.instances.length;
    vi.advanceTimersByTime(500);
    expect(FakeWebSocket.instances.length, 'a good connection resets the backoff').toBe(sockets + 1);
    connection.close();
  });

  it('delivers JSON envelopes and turns anything else into a protocol error, not a crash', () => {
    const connection = createWebSocketConnection({ url: 'ws://x/ws?token=t' });
    const received: unknown[] = [];
    connection.onMessage((message) => received.push(message));
    latest().open();
    latest().onmessage?.({ data: '{"t":"event","id":1,"payload":{}}' });
    latest().onmessage?.({ data: 'not json' });
    expect(received[0]).toEqual({ t: 'event', id: 1, payload: {} });
    expect(received[1]).toMatchObject({ t: 'error', error: { code: 'BAD_MESSAGE' } });
    connection.send({ t: 'unlisten', id: 3 });
    expect(latest().sent).toEqual(['{"t":"unlisten","id":3}']);
    connection.close();
  });

  it('stops reconnecting once closed', () => {
    const connection = createWebSocketConnection({ url: 'ws://x/ws?token=t' });
    latest().open();
    connection.close();
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(connection.state).toBe('closed');
  });
});

describe('page token', () => {
  it('is read from the fragment', () => {
    expect(readToken('#token=abc-_1')).toBe('abc-_1');
    expect(readToken('')).toBeNull();
    expect(readToken('#token=')).toBeNull();
  });
});
