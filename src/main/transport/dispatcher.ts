/**
 * Serves the contract to one connected client, whatever the transport: validates every envelope and
 * every params/arg against the contract's schemas on arrival, routes calls to handlers and listens to
 * event sources, and answers anything malformed with an explicit error instead of crashing or staying
 * silent. Each transport creates one ClientConnection per peer and disposes it when the peer goes away.
 */
import type { z } from 'zod';
import {
  events,
  isEventName,
  isRequestName,
  requests,
  type ContractService,
  type EventName,
  type RequestName,
} from '../../shared/api';
import {
  ClientMessageSchema,
  EngineError,
  describeIssues,
  type ServerMessage,
  type WireError,
} from '../../shared/protocol';

export interface ConnectionLog {
  warn(message: string): void;
}

export interface ClientConnection {
  /** Feed one decoded message from the peer (already JSON-parsed, or a structured-clone object). */
  receive(raw: unknown): void;
  /** Stop every stream of this peer. */
  dispose(): void;
  readonly listenCount: number;
}

export const MAX_LISTENS_PER_CLIENT = 64;

function peekId(raw: unknown): number | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const id = (raw as { id?: unknown }).id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
}

function toWireError(error: unknown): WireError {
  if (error instanceof EngineError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'FAILED', message: message.slice(0, 4000) };
}

export function createClientConnection(
  service: ContractService,
  send: (message: ServerMessage) => void,
  log: ConnectionLog,
  peer: string,
): ClientConnection {
  const listens = new Map<number, () => void>();
  let disposed = false;

  const reject = (raw: unknown, error: WireError): void => {
    log.warn(`rejected message from ${peer}: ${error.code}: ${error.message}`);
    const id = peekId(raw);
    send(id === null ? { t: 'error', error } : { t: 'result', id, ok: false, error });
  };

  const call = async (id: number, method: RequestName, params: unknown): Promise<void> => {
    const parsed = (requests[method].params as z.ZodType).safeParse(params);
    if (!parsed.success) {
      reject({ id }, { code: 'BAD_PARAMS', message: `${method}: ${describeIssues(parsed.error)}` });
      return;
    }
    try {
      const handler = service.handlers[method] as (params: unknown) => unknown;
      const value = await handler(parsed.data);
      if (!disposed) send({ t: 'result', id, ok: true, value });
    } catch (error) {
      const wire = toWireError(error);
      log.warn(`${method} failed for ${peer}: ${wire.message}`);
      if (!disposed) send({ t: 'result', id, ok: false, error: wire });
    }
  };

  const listen = (id: number, event: EventName, arg: unknown): void => {
    if (listens.has(id)) {
      reject({ id }, { code: 'BAD_MESSAGE', message: `listen id ${id} is already in use` });
      return;
    }
    if (listens.size >= MAX_LISTENS_PER_CLIENT) {
      reject({ id }, { code: 'LIMIT', message: `at most ${MAX_LISTENS_PER_CLIENT} listens per client` });
      return;
    }
    const parsed = (events[event].arg as z.ZodType).safeParse(arg);
    if (!parsed.success) {
      reject({ id }, { code: 'BAD_PARAMS', message: `${event}: ${describeIssues(parsed.error)}` });
      return;
    }
    // A source may emit while it starts (its current state): hold those until the listen is
    // acknowledged, so the client sees the acknowledgement first and nothing is dropped.
    let early: unknown[] | null = [];
    try {
      const start = service.events[event] as (arg: unknown, emit: (payload: unknown) => void) => () => void;
      const stop = start(parsed.data, (payload) => {
        if (early) early.push(payload);
        else if (!disposed && listens.has(id)) send({ t: 'event', id, payload });
      });
      listens.set(id, stop);
    } catch (error) {
      reject({ id }, toWireError(error));
      return;
    }
    send({ t: 'result', id, ok: true, value: null });
    const held = early;
    early = null;
    for (const payload of held) send({ t: 'event', id, payload });
  };

  return {
    receive(raw) {
      if (disposed) return;
      const parsed = ClientMessageSchema.safeParse(raw);
      if (!parsed.success) {
        reject(raw, {
          code: 'BAD_MESSAGE',
          message: `not a contract envelope: ${describeIssues(parsed.error)}`,
        });
        return;
      }
      const message = parsed.data;
      switch (message.t) {
        case 'call':
          if (!isRequestName(message.method)) {
            reject(message, { code: 'UNKNOWN_METHOD', message: `no such method: ${message.method}` });
            return;
          }
          void call(message.id, message.method, message.params);
          return;
        case 'listen':
          if (!isEventName(message.event)) {
            reject(message, { code: 'UNKNOWN_EVENT', message: `no such event: ${message.event}` });
            return;
          }
          listen(message.id, message.event, message.arg);
          return;
        case 'unlisten': {
          const stop = listens.get(message.id);
          listens.delete(message.id);
          stop?.();
          return;
        }
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const stop of listens.values()) stop();
      listens.clear();
    },
    get listenCount() {
      return listens.size;
    },
  };
}
