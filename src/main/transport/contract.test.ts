/**
 * The contract end to end over an in-memory connection: the shared client against a dispatcher
 * connection, as both transports use them. Messages pass through JSON, as on the WebSocket.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Bar, EngineStatus } from '../../shared/domain';
import { EngineError, type ClientMessage, type ServerMessage } from '../../shared/protocol';
import { createEngineClient, type Connection, type ConnectionState } from '../../shared/rpc-client';
import { sampleBar } from '../../shared/test-support/sample-bar';
import { createMemoryLogger } from '../platform/log';
import type { ContractService } from '../../shared/api';
import { contractService } from '../test-support/contract-service';
import { createClientConnection } from './dispatcher';

const status: EngineStatus = {
  mode: 'demo',
  feed: { source: 'synthetic', state: 'live', message: null },
  marketTime: 1_700_000_000_000,
  speed: 1,
  barsPerSecond: 10,
  tradesPerSecond: 100,
  lastTickAgeMs: 5,
  store: { path: '/tmp/x.sqlite', bytes: 4096, pendingWrites: 0 },
  symbols: 10,
  model: null,
  startedAt: 1_700_000_000_000,
};

const bar = (start: number, close = 100): Bar => sampleBar({ start, close, closed: true });

/** A pair of connected endpoints: a client connection and a dispatcher connection behind it. */
function harness(service: ContractService) {
  const log = createMemoryLogger();
  const messageListeners = new Set<(message: unknown) => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  const toServer: ClientMessage[] = [];
  let state: ConnectionState = 'connecting';
  const deliver = (message: ServerMessage): void => {
    const copy = JSON.parse(JSON.stringify(message)) as unknown;
    queueMicrotask(() => messageListeners.forEach((listener) => listener(copy)));
  };
  let server = createClientConnection(service, deliver, log, 'test');
  const connection: Connection = {
    get state() {
      return state;
    },
    send(message) {
      toServer.push(message);
      const copy = JSON.parse(JSON.stringify(message)) as unknown;
      queueMicrotask(() => server.receive(copy));
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
      setState('closed');
    },
  };
  const setState = (next: ConnectionState): void => {
    state = next;
    if (next === 'closed') {
      server.dispose();
      server = createClientConnection(service, deliver, log, 'test');
    }
    stateListeners.forEach((listener) => listener(next));
  };
  const client = createEngineClient(connection, { callTimeoutMs: 2000 });
  return { client, log, toServer, setState, rawToClient: deliver, server: () => server };
}

function serviceWith(overrides: Partial<ContractService['handlers']> = {}) {
  const emitters = new Set<(payload: { bars: Bar[] }) => void>();
  const service = contractService(
    {
      'engine.status': () => status,
      'market.symbols': () => [{ symbol: 'SPY', name: 'SPDR S&P 500 ETF', kind: 'index-etf' }],
      'market.bars': ({ limit }) => Array.from({ length: Math.min(limit, 3) }, (_, i) => bar(i * 60_000)),
      ...overrides,
    },
    {
      'market.barsUpdated': (_arg, emit) => {
        emitters.add(emit);
        return () => emitters.delete(emit);
      },
      'engine.statusChanged': () => () => undefined,
    },
  );
  return { service, emitters };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the contract over a connection', () => {
  let dispose: (() => void) | undefined;
  afterEach(() => dispose?.());

  it('queues calls made before the connection opens and answers them once it does', async () => {
    const { client, setState } = harness(serviceWith().service);
    dispose = () => client.dispose();
    const pending = client.call('engine.status', {});
    setState('open');
    await expect(pending).resolves.toEqual(status);
  });

  it('applies schema defaults to params (limit defaults to 500)', async () => {
    let seenLimit = 0;
    const { client, setState } = harness(
      serviceWith({
        'market.bars': ({ limit }) => {
          seenLimit = limit;
          return [];
        },
      }).service,
    );
    dispose = () => client.dispose();
    setState('open');
    await client.call('market.bars', { symbol: 'SPY', timeframe: '1m' });
    expect(seenLimit).toBe(500);
  });

  it('rejects bad params with BAD_PARAMS naming the field, and keeps serving', async () => {
    const { client, setState, log } = harness(serviceWith().service);
    dispose = () => client.dispose();
    setState('open');
    const bad = client.call('market.bars', { symbol: 'spy; drop table', timeframe: '7m' as '1m', limit: 10 });
    await expect(bad).rejects.toMatchObject({ code: 'BAD_PARAMS' });
    await expect(bad).rejects.toThrow(/symbol: .*timeframe|timeframe: .*symbol/s);
    expect(log.lines.some((line) => line.includes('BAD_PARAMS'))).toBe(true);
    await expect(client.call('engine.status', {})).resolves.toEqual(status);
  });

  it('turns a handler exception into a FAILED reply with its message', async () => {
    const { client, setState } = harness(
      serviceWith({
        'engine.status': () => {
          throw new Error('store is closed');
        },
      }).service,
    );
    dispose = () => client.dispose();
    setState('open');
    await expect(client.call('engine.status', {})).rejects.toMatchObject({
      code: 'FAILED',
      message: 'store is closed',
    });
  });

  it('rejects a reply that breaks the contract (BAD_RESULT) instead of passing it to the UI', async () => {
    const broken = { ...status, barsPerSecond: -1 };
    const { client, setState } = harness(serviceWith({ 'engine.status': () => broken }).service);
    dispose = () => client.dispose();
    setState('open');
    await expect(client.call('engine.status', {})).rejects.toMatchObject({ code: 'BAD_RESULT' });
  });

  it('answers unknown methods and malformed envelopes with explicit errors', async () => {
    const { service } = serviceWith();
    const replies: ServerMessage[] = [];
    const connection = createClientConnection(service, (m) => replies.push(m), createMemoryLogger(), 'raw');
    connection.receive({ t: 'call', id: 7, method: 'broker.sendEverything', params: {} });
    connection.receive('garbage');
    connection.receive({ t: 'call', id: 'x' });
    connection.receive({ t: 'listen', id: 8, event: 'nope', arg: {} });
    await settle();
    expect(replies).toEqual([
      {
        t: 'result',
        id: 7,
        ok: false,
        error: { code: 'UNKNOWN_METHOD', message: 'no such method: broker.sendEverything' },
      },
      { t: 'error', error: expect.objectContaining({ code: 'BAD_MESSAGE' }) as unknown },
      { t: 'error', error: expect.objectContaining({ code: 'BAD_MESSAGE' }) as unknown },
      { t: 'result', id: 8, ok: false, error: { code: 'UNKNOWN_EVENT', message: 'no such event: nope' } },
    ]);
  });

  it('delivers events to a listener until it unsubscribes, and validates their payloads', async () => {
    const { service, emitters } = serviceWith();
    const { client, setState } = harness(service);
    dispose = () => client.dispose();
    setState('open');
    const received: Bar[][] = [];
    const errors: EngineError[] = [];
    const stop = client.listen(
      'market.barsUpdated',
      { symbols: ['SPY'] },
      (payload) => received.push(payload.bars),
      (error) => errors.push(error),
    );
    await settle();
    expect(emitters.size).toBe(1);
    for (const emit of emitters) emit({ bars: [bar(0)] });
    for (const emit of emitters) emit({ bars: [{ ...bar(60_000), high: 1 }] }); // high below open: invalid
    await settle();
    expect(received).toEqual([[bar(0)]]);
    expect(errors.map((e) => e.code)).toEqual(['BAD_RESULT']);
    stop();
    await settle();
    expect(emitters.size).toBe(0);
  });

  it('rejects an invalid listen argument and reports it to the listener', async () => {
    const { client, setState } = harness(serviceWith().service);
    dispose = () => client.dispose();
    setState('open');
    const errors: EngineError[] = [];
    client.listen(
      'market.barsUpdated',
      { symbols: [] },
      () => undefined,
      (error) => errors.push(error),
    );
    await settle();
    await settle();
    expect(errors.map((e) => e.code)).toEqual(['BAD_PARAMS']);
  });

  it('fails pending calls when the connection drops and re-listens after it reopens', async () => {
    const { service, emitters } = serviceWith({
      'engine.status': () => new Promise<EngineStatus>(() => undefined),
    });
    const { client, setState } = harness(service);
    dispose = () => client.dispose();
    setState('open');
    const received: number[] = [];
    client.listen('market.barsUpdated', { symbols: ['SPY'] }, (p) => received.push(p.bars.length));
    const hanging = client.call('engine.status', {});
    await settle();
    setState('closed');
    await expect(hanging).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(emitters.size).toBe(0); // the dropped connection stopped its stream
    setState('open');
    await settle();
    expect(emitters.size).toBe(1);
    for (const emit of emitters) emit({ bars: [bar(0), bar(60_000)] });
    await settle();
    expect(received).toEqual([2]);
  });

  it('treats the late acknowledgement of a listen dropped at once as expected, not as an error', async () => {
    const { service, emitters } = serviceWith();
    const { client, setState } = harness(service);
    dispose = () => client.dispose();
    setState('open');
    const errors: EngineError[] = [];
    client.onProtocolError((error) => errors.push(error));
    const stop = client.listen('market.barsUpdated', { symbols: ['SPY'] }, () => undefined);
    stop(); // a fast symbol switch: unsubscribed before the engine acknowledged
    await settle();
    await settle();
    expect(errors).toEqual([]);
    expect(emitters.size).toBe(0);
  });

  it('rejects calls made while closed instead of hanging', async () => {
    const { client, setState } = harness(serviceWith().service);
    dispose = () => client.dispose();
    setState('closed');
    await expect(client.call('engine.status', {})).rejects.toBeInstanceOf(EngineError);
  });

  it('stops every stream of a peer when its connection is disposed (no leaked listeners)', () => {
    const { service, emitters } = serviceWith();
    const connection = createClientConnection(service, () => undefined, createMemoryLogger(), 'peer');
    connection.receive({ t: 'listen', id: 1, event: 'market.barsUpdated', arg: { symbols: ['SPY'] } });
    connection.receive({ t: 'listen', id: 2, event: 'market.barsUpdated', arg: { symbols: ['QQQ'] } });
    expect(emitters.size).toBe(2);
    connection.dispose();
    expect(emitters.size).toBe(0);
  });
});
