/**
 * Property-based fuzzing of the contract as the engine serves it: every call and every event of the
 * contract, given malformed, hostile and oversized input, gets exactly one clear answer (a result that
 * satisfies its schema, or an error with a code and a message), and the engine keeps serving. The
 * service is a real demo engine over a temporary database, so the handlers behind validation are real.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EVENT_NAMES, REQUEST_NAMES, events, requests, type ContractService } from '../../shared/api';
import { ServerMessageSchema, type ServerMessage, type WireError } from '../../shared/protocol';
import type { Engine } from '../engine/kernel';
import { createDemoEngine } from '../modes/demo';
import { createMemoryLogger } from '../platform/log';
import { manualTimers } from '../test-support/manual-timers';
import { createClientConnection } from './dispatcher';

const FRIDAY_10AM = Date.UTC(2025, 2, 14, 14, 0);
/** Codes a peer may get for input it got wrong or for a part this engine does not have. */
const INPUT_CODES = ['BAD_MESSAGE', 'BAD_PARAMS', 'UNKNOWN_METHOD', 'UNKNOWN_EVENT', 'FAILED', 'LIMIT'];

let dir: string;
let engine: Engine;
let service: ContractService;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-fuzz-'));
  const timers = manualTimers(FRIDAY_10AM);
  engine = createDemoEngine({
    dbPath: join(dir, 'demo.sqlite'),
    seed: 5,
    speed: 60,
    startAt: FRIDAY_10AM,
    minuteSessions: 1,
    dailySessions: 3,
    timers,
    log: createMemoryLogger(),
  });
  engine.start();
  timers.drain();
  service = engine.service;
});

afterAll(() => {
  engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends raw messages to a fresh connection and collects every reply once the handlers settled. */
async function exchange(messages: unknown[]): Promise<ServerMessage[]> {
  const replies: ServerMessage[] = [];
  const connection = createClientConnection(
    service,
    (message) => replies.push(JSON.parse(JSON.stringify(message)) as ServerMessage),
    { warn: () => {} },
    'fuzz',
  );
  for (const message of messages) connection.receive(message);
  await new Promise((resolve) => setTimeout(resolve, 0));
  connection.dispose();
  return replies;
}

/** JSON values of every shape, including deep nesting, long strings and big arrays. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }),
  fc.string({ minLength: 10_000, maxLength: 70_000 }),
  fc.array(fc.string(), { minLength: 1_000, maxLength: 5_000 }),
  fc.constantFrom(
    null,
    -1,
    0,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    '',
    '__proto__',
    { __proto__: { polluted: true } },
    { constructor: { prototype: { polluted: true } } },
    { symbol: 'SPY', timeframe: '1m', limit: 1e9 },
    { symbol: '../../etc/passwd', timeframe: '1m' },
    { symbol: 'SPY', timeframe: '7m' },
    { action: 'seek', time: -1 },
    { keyId: 'x'.repeat(10_000), secret: 'y' },
    { importId: '../../x', name: '../../../etc/passwd', bytes: 1 },
  ),
);

function errorOf(reply: ServerMessage): WireError | null {
  if (reply.t === 'error') return reply.error;
  return reply.t === 'result' && !reply.ok ? reply.error : null;
}

/**
 * The answer to input that `inputSchema` accepts or refuses: refused input gets BAD_PARAMS naming the
 * field; accepted input gets a result satisfying `resultSchema`, or a FAILED error that says why (a part
 * this engine lacks, a value out of range) — never a stack trace.
 */
function expectClearAnswer(
  reply: ServerMessage | undefined,
  id: number,
  input: unknown,
  inputSchema: z.ZodType,
  resultSchema: z.ZodType,
): void {
  expect(reply).toBeDefined();
  expect(ServerMessageSchema.safeParse(reply).success).toBe(true);
  const valid = inputSchema.safeParse(input).success;
  if (reply!.t === 'result' && reply!.ok) {
    expect(valid).toBe(true);
    expect(reply!.id).toBe(id);
    expect(resultSchema.safeParse(reply!.value).success).toBe(true);
    return;
  }
  const error = errorOf(reply!);
  expect(error).not.toBeNull();
  expect(error!.code).toBe(valid ? 'FAILED' : 'BAD_PARAMS');
  expect(error!.message.length).toBeGreaterThan(0);
  expect(error!.message.length).toBeLessThanOrEqual(4000);
  expect(error!.message).not.toMatch(/\n\s+at /);
}

describe('the contract under fuzzing', () => {
  it('answers every call with hostile params exactly once, clearly, and keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...REQUEST_NAMES), hostileValue, async (method, params) => {
        const replies = await exchange([
          { t: 'call', id: 1, method, params },
          { t: 'call', id: 2, method: 'engine.status', params: {} },
        ]);
        expect(replies.filter((r) => r.t === 'result' && r.id === 1)).toHaveLength(1);
        expectClearAnswer(
          replies.find((r) => r.t === 'result' && r.id === 1),
          1,
          params,
          requests[method].params as z.ZodType,
          requests[method].result as z.ZodType,
        );
        const status = replies.find((r) => r.t === 'result' && r.id === 2);
        expect(status).toMatchObject({ ok: true });
      }),
      { numRuns: 300, seed: 20261130 },
    );
  });

  it('answers every listen with a hostile arg clearly, and an unlisten leaves nothing running', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...EVENT_NAMES), hostileValue, async (event, arg) => {
        const replies = await exchange([
          { t: 'listen', id: 1, event, arg },
          { t: 'unlisten', id: 1 },
        ]);
        const answer = replies.find((r) => r.t === 'result' && r.id === 1);
        expectClearAnswer(answer, 1, arg, events[event].arg as z.ZodType, z.null());
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('answers malformed envelopes of any shape with BAD_MESSAGE or an unknown-name error, never a crash', async () => {
    const envelope = fc.oneof(
      hostileValue,
      fc.record({ t: fc.constantFrom('call', 'listen', 'unlisten', 'result', 'x'), id: hostileValue }),
      fc.record({
        t: fc.constant('call'),
        id: fc.nat(),
        method: fc.string({ maxLength: 100 }),
        params: hostileValue,
      }),
      fc.record({
        t: fc.constant('listen'),
        id: fc.nat(),
        event: fc.string({ maxLength: 100 }),
        arg: hostileValue,
      }),
    );
    await fc.assert(
      fc.asyncProperty(envelope, async (raw) => {
        const replies = await exchange([
          raw,
          { t: 'call', id: 999_999, method: 'engine.status', params: {} },
        ]);
        for (const reply of replies) expect(ServerMessageSchema.safeParse(reply).success).toBe(true);
        for (const reply of replies) {
          const error = errorOf(reply);
          if (error) expect(INPUT_CODES).toContain(error.code);
        }
        expect(replies.find((r) => r.t === 'result' && r.id === 999_999)).toMatchObject({ ok: true });
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
