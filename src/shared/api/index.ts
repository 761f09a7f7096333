/**
 * The contract between the engine (main process) and its clients (the renderer, the CLI, tests): two
 * maps, one of request/response calls and one of event streams, each entry with runtime schemas, one
 * module per area. Transports carry these over Electron IPC or a loopback WebSocket; both sides
 * validate on arrival. `service.ts` holds the interface the engine implements.
 */
import type { z } from 'zod';
import { engineEvents, engineRequests } from './engine';
import { importEvents, importRequests } from './imports';
import { marketEvents, marketRequests } from './market';
import { newsEvents, newsRequests } from './news';
import { replayEvents, replayRequests } from './replay';
import { settingsRequests } from './settings';
import { signalsEvents, signalsRequests } from './signals';
import { tradingEvents, tradingRequests } from './trading';
import { workspaceRequests } from './workspace';

export { MAX_BARS_PER_REQUEST } from './market';
export { MAX_IMPORT_CHUNK_CHARS, MAX_IMPORT_FILE_BYTES } from './imports';
export { MAX_PREDICTIONS_PER_REQUEST } from './signals';
export { MAX_NEWS_PER_REQUEST } from './news';
export { MAX_ORDERS_PER_REQUEST } from './trading';

export const requests = {
  ...engineRequests,
  ...marketRequests,
  ...replayRequests,
  ...importRequests,
  ...settingsRequests,
  ...signalsRequests,
  ...newsRequests,
  ...tradingRequests,
  ...workspaceRequests,
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

export const events = {
  ...engineEvents,
  ...marketEvents,
  ...replayEvents,
  ...importEvents,
  ...signalsEvents,
  ...newsEvents,
  ...tradingEvents,
} as const satisfies Record<string, { arg: z.ZodType; payload: z.ZodType }>;

export type Requests = typeof requests;
export type Events = typeof events;
export type RequestName = keyof Requests;
export type EventName = keyof Events;

/** What a caller passes (defaults may be omitted). */
export type RequestParams<M extends RequestName> = z.input<Requests[M]['params']>;
/** What a handler receives (defaults applied). */
export type RequestParamsParsed<M extends RequestName> = z.output<Requests[M]['params']>;
export type RequestResult<M extends RequestName> = z.output<Requests[M]['result']>;
export type EventArg<E extends EventName> = z.input<Events[E]['arg']>;
export type EventArgParsed<E extends EventName> = z.output<Events[E]['arg']>;
export type EventPayload<E extends EventName> = z.output<Events[E]['payload']>;

export const REQUEST_NAMES = Object.keys(requests) as RequestName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isRequestName(name: string): name is RequestName {
  return Object.hasOwn(requests, name);
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}

export type { ContractService, EventSources, RequestHandlers } from './service';
