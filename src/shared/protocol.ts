/**
 * The wire envelopes that carry the contract (api.ts) over any message-passing transport.
 * Two operations, as in VS Code's IPC: `call` (one reply) and `listen` (a stream until `unlisten`).
 *
 *   client -> engine: call | listen | unlisten
 *   engine -> client: result (for call and listen) | event (for a listen) | error (uncorrelatable input)
 *
 * Ids are chosen by the client and unique per connection. Errors cross as a code and a message.
 */
import { z } from 'zod';

/** Largest message either side accepts, in bytes of JSON. */
export const MAX_MESSAGE_BYTES = 1 << 20;

const IdSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const NameSchema = z.string().min(1).max(64);

export const ClientMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('call'), id: IdSchema, method: NameSchema, params: z.unknown() }).strict(),
  z.object({ t: z.literal('listen'), id: IdSchema, event: NameSchema, arg: z.unknown() }).strict(),
  z.object({ t: z.literal('unlisten'), id: IdSchema }).strict(),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

export const ERROR_CODES = [
  /** Not a valid envelope (not JSON, wrong shape, too large). */
  'BAD_MESSAGE',
  'UNKNOWN_METHOD',
  'UNKNOWN_EVENT',
  /** The envelope was fine but its params or arg failed the contract's schema. */
  'BAD_PARAMS',
  /** The reply failed the contract's schema on arrival. */
  'BAD_RESULT',
  /** The handler threw; the message says why. */
  'FAILED',
  /** The engine is not reachable (not connected, connection lost, shut down). */
  'UNAVAILABLE',
  'TIMEOUT',
  'LIMIT',
] as const;
export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const WireErrorSchema = z.object({ code: ErrorCodeSchema, message: z.string().max(4000) });
export type WireError = z.infer<typeof WireErrorSchema>;

const ResultSchema = z.discriminatedUnion('ok', [
  z.object({ t: z.literal('result'), id: IdSchema, ok: z.literal(true), value: z.unknown() }),
  z.object({ t: z.literal('result'), id: IdSchema, ok: z.literal(false), error: WireErrorSchema }),
]);

export const ServerMessageSchema = z.discriminatedUnion('t', [
  ResultSchema,
  z.object({ t: z.literal('event'), id: IdSchema, payload: z.unknown() }),
  z.object({ t: z.literal('error'), error: WireErrorSchema }),
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;

/** An error that crossed (or failed to cross) the wire, with its code. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** One line that names every failing field of a schema check: `symbol: must be ...; limit: too big`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 8)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}
