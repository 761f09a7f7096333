/**
 * The one client of the contract, over any connection (Electron IPC through the preload, or a WebSocket).
 * It correlates calls by id, queues calls until the connection is open, fails pending calls when the
 * connection drops, re-establishes listens after a reconnect, and validates everything that arrives.
 */
import type { z } from 'zod';
import {
  events,
  requests,
  type EventArg,
  type EventName,
  type EventPayload,
  type RequestName,
  type RequestParams,
  type RequestResult,
} from './api';
import {
  EngineError,
  ServerMessageSchema,
  describeIssues,
  type ClientMessage,
  type ServerMessage,
} from './protocol';

export type ConnectionState = 'connecting' | 'open' | 'closed';

/** A bidirectional message channel. Messages are plain objects; the connection handles encoding. */
export interface Connection {
  readonly state: ConnectionState;
  send(message: ClientMessage): void;
  onMessage(listener: (message: unknown) => void): () => void;
  onStateChange(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

export interface EngineClient {
  call<M extends RequestName>(method: M, params: RequestParams<M>): Promise<RequestResult<M>>;
  /** Subscribe to an event stream; returns the unsubscribe function. */
  listen<E extends EventName>(
    event: E,
    arg: EventArg<E>,
    onEvent: (payload: EventPayload<E>) => void,
    onError?: (error: EngineError) => void,
  ): () => void;
  readonly connectionState: ConnectionState;
  onConnectionStateChange(listener: (state: ConnectionState) => void): () => void;
  /** Messages that failed validation or could not be correlated (for logs and the status bar). */
  onProtocolError(listener: (error: EngineError) => void): () => void;
  dispose(): void;
}

export interface EngineClientOptions {
  /** A call without a reply after this long is rejected with TIMEOUT. */
  callTimeoutMs?: number;
  /** Calls made while disconnected wait in a queue of at most this many. */
  maxQueuedCalls?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

interface TimerHost {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

interface PendingCall {
  method: RequestName;
  resolve: (value: unknown) => void;
  reject: (error: EngineError) => void;
  timer: unknown;
}

interface Subscription {
  event: EventName;
  arg: unknown;
  onEvent: (payload: unknown) => void;
  onError: ((error: EngineError) => void) | undefined;
  /** Wire id of the current listen, or null while disconnected. */
  wireId: number | null;
  /** Whether the engine acknowledged the current listen. */
  acknowledged: boolean;
}

export function createEngineClient(connection: Connection, options: EngineClientOptions = {}): EngineClient {
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  const maxQueuedCalls = options.maxQueuedCalls ?? 256;
  // The contract compiles without DOM or Node typings; both hosts have these two timer functions.
  const host = globalThis as unknown as TimerHost;
  const setTimer = options.setTimer ?? ((fn, ms) => host.setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((handle) => host.clearTimeout(handle));

  let nextId = 1;
  const pending = new Map<number, PendingCall>();
  const queued: { message: ClientMessage; call: PendingCall }[] = [];
  const subscriptions = new Set<Subscription>();
  const subscriptionsByWireId = new Map<number, Subscription>();
  /** Listens dropped before their acknowledgement came: that late reply is expected, not an error. */
  const awaitingAck = new Set<number>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  const protocolErrorListeners = new Set<(error: EngineError) => void>();
  let disposed = false;

  const reportProtocolError = (error: EngineError): void => {
    for (const listener of protocolErrorListeners) listener(error);
  };

  const sendListen = (subscription: Subscription): void => {
    const id = nextId++;
    subscription.wireId = id;
    subscription.acknowledged = false;
    subscriptionsByWireId.set(id, subscription);
    connection.send({ t: 'listen', id, event: subscription.event, arg: subscription.arg });
  };

  const failAll = (code: 'UNAVAILABLE', message: string): void => {
    for (const [id, call] of pending) {
      pending.delete(id);
      clearTimer(call.timer);
      call.reject(new EngineError(code, message));
    }
  };

  const onState = (state: ConnectionState): void => {
    if (state === 'open') {
      for (const { message, call } of queued.splice(0)) {
        if (message.t === 'call') pending.set(message.id, call);
        connection.send(message);
      }
      for (const subscription of subscriptions) sendListen(subscription);
    } else if (state === 'closed') {
      failAll('UNAVAILABLE', 'connection to the engine was lost');
      subscriptionsByWireId.clear();
      awaitingAck.clear();
      for (const subscription of subscriptions) subscription.wireId = null;
    }
    for (const listener of stateListeners) listener(state);
  };

  const handleResult = (message: Extract<ServerMessage, { t: 'result' }>): void => {
    const call = pending.get(message.id);
    if (call) {
      pending.delete(message.id);
      clearTimer(call.timer);
      if (!message.ok) {
        call.reject(new EngineError(message.error.code, message.error.message));
        return;
      }
      const parsed = (requests[call.method].result as z.ZodType).safeParse(message.value);
      if (parsed.success) call.resolve(parsed.data);
      else call.reject(new EngineError('BAD_RESULT', `${call.method}: ${describeIssues(parsed.error)}`));
      return;
    }
    if (awaitingAck.delete(message.id)) return;
    const subscription = subscriptionsByWireId.get(message.id);
    if (subscription) {
      subscription.acknowledged = true;
      // A listen acknowledgement; only failures need action.
      if (!message.ok) {
        subscriptionsByWireId.delete(message.id);
        subscriptions.delete(subscription);
        const error = new EngineError(message.error.code, message.error.message);
        if (subscription.onError) subscription.onError(error);
        else reportProtocolError(error);
      }
      return;
    }
    reportProtocolError(new EngineError('BAD_MESSAGE', `reply for unknown id ${message.id}`));
  };

  const handleEvent = (message: Extract<ServerMessage, { t: 'event' }>): void => {
    const subscription = subscriptionsByWireId.get(message.id);
    if (!subscription) return; // late event for a listen we already dropped
    const parsed = (events[subscription.event].payload as z.ZodType).safeParse(message.payload);
    if (parsed.success) {
      subscription.onEvent(parsed.data);
      return;
    }
    const error = new EngineError('BAD_RESULT', `${subscription.event}: ${describeIssues(parsed.error)}`);
    if (subscription.onError) subscription.onError(error);
    else reportProtocolError(error);
  };

  const offMessage = connection.onMessage((raw) => {
    const parsed = ServerMessageSchema.safeParse(raw);
    if (!parsed.success) {
      reportProtocolError(new EngineError('BAD_MESSAGE', describeIssues(parsed.error)));
      return;
    }
    const message = parsed.data;
    switch (message.t) {
      case 'result':
        handleResult(message);
        break;
      case 'event':
        handleEvent(message);
        break;
      case 'error':
        reportProtocolError(new EngineError(message.error.code, message.error.message));
        break;
    }
  });
  const offState = connection.onStateChange(onState);

  return {
    get connectionState() {
      return connection.state;
    },

    call<M extends RequestName>(method: M, params: RequestParams<M>): Promise<RequestResult<M>> {
      return new Promise<RequestResult<M>>((resolve, reject) => {
        if (disposed) {
          reject(new EngineError('UNAVAILABLE', 'client was disposed'));
          return;
        }
        const id = nextId++;
        const message: ClientMessage = { t: 'call', id, method, params };
        const call: PendingCall = {
          method,
          resolve: resolve as (value: unknown) => void,
          reject,
          timer: setTimer(() => {
            const index = queued.findIndex((entry) => entry.call === call);
            if (index >= 0) queued.splice(index, 1);
            pending.delete(id);
            reject(new EngineError('TIMEOUT', `${method}: no reply within ${callTimeoutMs} ms`));
          }, callTimeoutMs),
        };
        if (connection.state === 'open') {
          pending.set(id, call);
          connection.send(message);
        } else if (connection.state === 'closed') {
          clearTimer(call.timer);
          reject(new EngineError('UNAVAILABLE', 'not connected to the engine'));
        } else if (queued.length >= maxQueuedCalls) {
          clearTimer(call.timer);
          reject(new EngineError('LIMIT', `more than ${maxQueuedCalls} calls waiting for a connection`));
        } else {
          queued.push({ message, call });
        }
      });
    },

    listen(event, arg, onEvent, onError) {
      const subscription: Subscription = {
        event,
        arg,
        onEvent: onEvent as (payload: unknown) => void,
        onError,
        wireId: null,
        acknowledged: false,
      };
      subscriptions.add(subscription);
      if (connection.state === 'open') sendListen(subscription);
      return () => {
        if (!subscriptions.delete(subscription)) return;
        if (subscription.wireId !== null) {
          subscriptionsByWireId.delete(subscription.wireId);
          if (!subscription.acknowledged) awaitingAck.add(subscription.wireId);
          if (connection.state === 'open') connection.send({ t: 'unlisten', id: subscription.wireId });
        }
      };
    },

    onConnectionStateChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },

    onProtocolError(listener) {
      protocolErrorListeners.add(listener);
      return () => protocolErrorListeners.delete(listener);
    },

    dispose() {
      if (disposed) return;
      disposed = true;
      offMessage();
      offState();
      for (const { call } of queued.splice(0)) {
        clearTimer(call.timer);
        call.reject(new EngineError('UNAVAILABLE', 'client was disposed'));
      }
      failAll('UNAVAILABLE', 'client was disposed');
      subscriptions.clear();
      subscriptionsByWireId.clear();
      stateListeners.clear();
      protocolErrorListeners.clear();
    },
  };
}
