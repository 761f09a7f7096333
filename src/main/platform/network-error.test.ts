/**
 * Network failures said plainly, whichever library reported them: Node's socket errors as `ws` gives
 * them, fetch's TypeError around them, the Alpaca SDK's FetchError around that, AggregateErrors from
 * trying several addresses, axios' timeouts, TLS certificate codes.
 */
import { FetchError } from '@alpacahq/alpaca-trade-api';
import { describe, expect, it } from 'vitest';
import { describeNetworkFailure, hostOf, networkFailureOf, withCode } from './network-error';

/** An error as Node reports a failed system call: a message quoting the code, and the code. */
function systemError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** What the SDK throws when fetch fails: its FetchError around fetch's "fetch failed" around the cause. */
function sdkFetchError(cause: unknown): FetchError {
  return new FetchError(
    new TypeError('fetch failed', { cause }),
    'The request failed and the interceptors did not return an alternative response',
  );
}

describe('networkFailureOf', () => {
  it('finds the code however deep the libraries wrapped it', () => {
    const dns = systemError('ENOTFOUND', 'getaddrinfo ENOTFOUND data.alpaca.markets');
    expect(networkFailureOf(dns)).toEqual({ kind: 'dns', code: 'ENOTFOUND' });
    expect(networkFailureOf(sdkFetchError(dns))).toEqual({ kind: 'dns', code: 'ENOTFOUND' });
    expect(networkFailureOf(systemError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN x'))).toMatchObject({
      kind: 'dns',
    });
    const refused = new AggregateError(
      [
        systemError('ECONNREFUSED', 'connect ECONNREFUSED ::1:443'),
        systemError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:443'),
      ],
      '',
    );
    expect(networkFailureOf(sdkFetchError(refused))).toEqual({ kind: 'refused', code: 'ECONNREFUSED' });
    expect(networkFailureOf(systemError('ENETUNREACH', 'connect ENETUNREACH'))).toMatchObject({
      kind: 'unreachable',
    });
    expect(networkFailureOf(systemError('ECONNRESET', 'read ECONNRESET'))).toMatchObject({ kind: 'reset' });
    expect(networkFailureOf(sdkFetchError(systemError('UND_ERR_SOCKET', 'other side closed')))).toMatchObject(
      {
        kind: 'reset',
      },
    );
  });

  it('tells timeouts and TLS failures apart', () => {
    expect(
      networkFailureOf(sdkFetchError(systemError('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error'))),
    ).toEqual({ kind: 'timeout', code: 'UND_ERR_CONNECT_TIMEOUT' });
    // The SDK's own deadline: a FetchError around a DOMException named TimeoutError, no code.
    const deadline = new FetchError(
      new DOMException('Request timed out after 30000 ms', 'TimeoutError'),
      'The request was aborted',
    );
    expect(networkFailureOf(deadline)).toEqual({ kind: 'timeout', code: null });
    expect(networkFailureOf(new Error('Opening handshake has timed out'))).toEqual({
      kind: 'timeout',
      code: null,
    });
    // axios: ECONNABORTED for its `timeout`.
    const axios = Object.assign(new Error('timeout of 30000ms exceeded'), {
      isAxiosError: true,
      code: 'ECONNABORTED',
    });
    expect(networkFailureOf(axios)).toEqual({ kind: 'timeout', code: 'ECONNABORTED' });
    for (const code of [
      'CERT_HAS_EXPIRED',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    ]) {
      expect(networkFailureOf(sdkFetchError(systemError(code, 'certificate problem'))), code).toEqual({
        kind: 'tls',
        code,
      });
    }
  });

  it('reads a code quoted in a message when only the text is left', () => {
    expect(networkFailureOf('getaddrinfo ENOTFOUND stream.data.alpaca.markets')).toEqual({
      kind: 'dns',
      code: 'ENOTFOUND',
    });
    expect(networkFailureOf(new Error('connect ECONNREFUSED 127.0.0.1:1'))).toEqual({
      kind: 'refused',
      code: 'ECONNREFUSED',
    });
  });

  it('is null for what is not a network failure', () => {
    expect(networkFailureOf(new Error('Unexpected server response: 503'))).toBeNull();
    expect(networkFailureOf(new SyntaxError('Unexpected token < in JSON'))).toBeNull();
    expect(networkFailureOf(Object.assign(new Error('ERROR'), { code: 'ERR_INVALID_ARG_TYPE' }))).toBeNull();
    expect(networkFailureOf(null)).toBeNull();
    // A cycle of causes ends.
    const a: { cause?: unknown } = {};
    a.cause = { cause: a };
    expect(networkFailureOf(a)).toBeNull();
  });
});

describe('describeNetworkFailure', () => {
  it('says "cannot reach" before a connection and "lost" after one, naming the host, without library words', () => {
    expect(describeNetworkFailure({ kind: 'dns', code: 'ENOTFOUND' }, 'stream.data.alpaca.markets')).toBe(
      'cannot reach Alpaca at stream.data.alpaca.markets (no internet connection, or blocked by a firewall?)',
    );
    expect(
      describeNetworkFailure({ kind: 'refused', code: 'ECONNREFUSED' }, 'data.alpaca.markets', {
        purpose: 'market data',
      }),
    ).toMatch(/^cannot reach Alpaca at data\.alpaca\.markets for market data \(the connection was refused: /);
    expect(describeNetworkFailure({ kind: 'reset', code: 'ECONNRESET' }, 'h', { wasOpen: true })).toMatch(
      /^lost the connection to Alpaca at h \(the connection was cut off: /,
    );
    expect(describeNetworkFailure({ kind: 'tls', code: 'CERT_HAS_EXPIRED' }, 'h')).toMatch(
      /secure connection failed.*system clock/,
    );
    expect(withCode('cannot reach Alpaca', 'ENOTFOUND')).toBe('cannot reach Alpaca [ENOTFOUND]');
    expect(withCode('cannot reach Alpaca', null)).toBe('cannot reach Alpaca');
    expect(hostOf('wss://stream.data.alpaca.markets/v2/iex')).toBe('stream.data.alpaca.markets');
    expect(hostOf('http://127.0.0.1:4000')).toBe('127.0.0.1:4000');
  });
});
