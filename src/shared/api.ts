/**
 * The contract between the engine (main process) and its clients (the renderer, tests, tools):
 * two maps, one of request/response calls and one of event streams, each entry with runtime schemas.
 * Transports carry these over Electron IPC or a loopback WebSocket; both sides validate on arrival.
 */
import { z } from 'zod';
import {
  BarSchema,
  EngineStatusSchema,
  SymbolInfoSchema,
  SymbolSchema,
  TimeframeSchema,
  TimestampSchema,
} from './domain';

const NoParams = z.object({}).strict();

export const MAX_BARS_PER_REQUEST = 5000;

export const requests = {
  /** Current engine status (also pushed by the `engine.statusChanged` event). */
  'engine.status': { params: NoParams, result: EngineStatusSchema },
  /** The symbols the current feed serves, in display order. */
  'market.symbols': { params: NoParams, result: z.array(SymbolInfoSchema) },
  /**
   * Bars of one symbol and timeframe from the store, oldest first: the `limit` most recent bars that
   * start before `before` (or the most recent overall). The last one may still be forming.
   */
  'market.bars': {
    params: z
      .object({
        symbol: SymbolSchema,
        timeframe: TimeframeSchema,
        before: TimestampSchema.optional(),
        limit: z.number().int().min(1).max(MAX_BARS_PER_REQUEST).default(500),
      })
      .strict(),
    result: z.array(BarSchema),
  },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

export const events = {
  /**
   * Bar updates (forming and closed, every timeframe) for the listed symbols, coalesced by the engine:
   * within one payload a bar key appears at most once, with its latest state.
   */
  'market.barsUpdated': {
    arg: z.object({ symbols: z.array(SymbolSchema).min(1).max(64) }).strict(),
    payload: z.object({ bars: z.array(BarSchema) }),
  },
  /** Engine status, pushed about once a second and on every feed state change. */
  'engine.statusChanged': { arg: NoParams, payload: EngineStatusSchema },
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
