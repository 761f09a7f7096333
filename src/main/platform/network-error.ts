/**
 * Network failures in a trader's words. Node's sockets, `fetch` (undici), `ws`, the Alpaca SDK and axios
 * all report a failed connection as an error carrying a system or library code somewhere down its
 * `cause` chain (or inside an AggregateError when several addresses were tried): ENOTFOUND for a name
 * that could not be looked up, ECONNREFUSED, ETIMEDOUT, a certificate code... The SDK wraps them in
 * its own FetchError ("The request failed and the interceptors did not return an alternative
 * response"), which says nothing to a trader. This module finds the code and says what it means; the
 * code itself stays available for support (shown in brackets at the end of a message).
 *
 * Codes: Node.js "Common system errors" (https://nodejs.org/api/errors.html#common-system-errors),
 * getaddrinfo's EAI_* (POSIX), undici's UND_ERR_* (https://undici.nodejs.org/#/docs/api/Errors),
 * OpenSSL's certificate codes as Node reports them (tls.TLSSocket `authorizationError`), axios'
 * ECONNABORTED (a request timeout).
 */

export type NetworkFailureKind = 'dns' | 'unreachable' | 'refused' | 'timeout' | 'tls' | 'reset';

export interface NetworkFailure {
  kind: NetworkFailureKind;
  /** The code as reported (ENOTFOUND, ECONNREFUSED, CERT_HAS_EXPIRED...), or null when there was none. */
  code: string | null;
}

const KIND_BY_CODE = new Map<string, NetworkFailureKind>([
  ['ENOTFOUND', 'dns'],
  ['EAI_AGAIN', 'dns'],
  ['EAI_FAIL', 'dns'],
  ['EAI_NONAME', 'dns'],
  ['EAI_NODATA', 'dns'],
  ['ENETUNREACH', 'unreachable'],
  ['EHOSTUNREACH', 'unreachable'],
  ['ENETDOWN', 'unreachable'],
  ['EHOSTDOWN', 'unreachable'],
  ['EADDRNOTAVAIL', 'unreachable'],
  ['ECONNREFUSED', 'refused'],
  ['ETIMEDOUT', 'timeout'],
  ['ESOCKETTIMEDOUT', 'timeout'],
  ['ECONNABORTED', 'timeout'],
  ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
  ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
  ['UND_ERR_BODY_TIMEOUT', 'timeout'],
  ['ECONNRESET', 'reset'],
  ['EPIPE', 'reset'],
  ['UND_ERR_SOCKET', 'reset'],
  ['UND_ERR_CLOSED', 'reset'],
  ['EPROTO', 'tls'],
]);

/** OpenSSL's certificate codes and Node's TLS codes: every one means the secure connection failed. */
const TLS_CODE =
  /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$)/;

/** Codes quoted in a message, as Node writes them ("getaddrinfo ENOTFOUND host", "connect ECONNREFUSED ..."). */
const CODE_IN_TEXT = /\b(E[A-Z]{2,}[A-Z_]*|UND_ERR_[A-Z_]+|ERR_(?:TLS|SSL)_[A-Z_]+|CERT_[A-Z_]+)\b/g;

function kindOf(code: string): NetworkFailureKind | null {
  return KIND_BY_CODE.get(code) ?? (TLS_CODE.test(code) ? 'tls' : null);
}

/** The network failure behind `error` (searched down its causes), or null when it is not one. */
export function networkFailureOf(error: unknown): NetworkFailure | null {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  let timedOut = false;
  while (queue.length > 0) {
    const item = queue.shift();
    if (item === null || item === undefined || seen.has(item) || seen.size > 20) continue;
    seen.add(item);
    if (typeof item === 'string') {
      for (const match of item.matchAll(CODE_IN_TEXT)) {
        const kind = kindOf(match[1]!);
        if (kind) return { kind, code: match[1]! };
      }
      continue;
    }
    if (typeof item !== 'object') continue;
    const { code, cause, errors, name, message } = item as {
      code?: unknown;
      cause?: unknown;
      errors?: unknown;
      name?: unknown;
      message?: unknown;
    };
    if (typeof code === 'string') {
      const kind = kindOf(code);
      if (kind) return { kind, code };
    }
    // The SDK's own deadline aborts with a DOMException named TimeoutError; keep looking for a code.
    if (name === 'TimeoutError') timedOut = true;
    if (typeof message === 'string') {
      if (/opening handshake has timed out/i.test(message)) timedOut = true; // ws' handshakeTimeout
      queue.push(message);
    }
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
    queue.push(cause);
  }
  return timedOut ? { kind: 'timeout', code: null } : null;
}

/** Why a host may be out of reach, as a question a trader can check. */
const LIKELY_CAUSE: Record<NetworkFailureKind, string> = {
  dns: 'no internet connection, or blocked by a firewall?',
  unreachable: 'no internet connection, or blocked by a firewall?',
  refused: 'the connection was refused: blocked by a firewall or proxy, or a wrong address in the settings?',
  timeout: 'no answer: a slow or blocked network connection, or a firewall?',
  tls: 'the secure connection failed: a proxy or security software intercepting it, or a wrong system clock?',
  reset: 'the connection was cut off: an unstable network connection, or a firewall or proxy?',
};

/**
 * What happened, for a connection that failed: "cannot reach Alpaca at <host>[ for <purpose>] (<likely
 * cause>)" when it never got through; "lost the connection to Alpaca at <host> (...)" when it had been
 * open. Without the code: callers put it at the end of their message with `withCode`.
 */
export function describeNetworkFailure(
  failure: NetworkFailure,
  host: string,
  options: { purpose?: string; wasOpen?: boolean } = {},
): string {
  const purpose = options.purpose ? ` for ${options.purpose}` : '';
  if (options.wasOpen)
    return `lost the connection to Alpaca at ${host}${purpose} (${LIKELY_CAUSE[failure.kind]})`;
  return `cannot reach Alpaca at ${host}${purpose} (${LIKELY_CAUSE[failure.kind]})`;
}

/** `text` with a technical code in brackets at its end, for support; `text` alone without one. */
export function withCode(text: string, code: string | null | undefined): string {
  return code ? `${text} [${code}]` : text;
}

/** The host (and port) of a URL, as a trader would recognise it; the text itself when it is not a URL. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}
