/**
 * The one place that knows which transport carries the contract: the preload's bridge inside Electron,
 * else a WebSocket back to the engine that served this page. Everything else sees an EngineClient and,
 * when the engine cannot be reached, a diagnosis the UI can put into words.
 */
import { BRIDGE_GLOBAL, type TrmBridge } from '../../shared/bridge';
import {
  createEngineClient,
  type Connection,
  type ConnectionState,
  type EngineClient,
} from '../../shared/rpc-client';
import { createBridgeConnection } from './bridge-connection';
import { createValueStore, type ReadableStore } from './value-store';
import { createWebSocketConnection } from './websocket-connection';

/** Why the engine is unreachable, as far as the page can tell. */
export type LinkProblem =
  /** The page URL carries no `#token=…`, so there is nothing to connect with. */
  | { kind: 'no-token' }
  /** The engine answers HTTP but refuses the socket: almost always a token from an earlier run. */
  | { kind: 'token-rejected'; host: string }
  /** Nothing answers (engine stopped or restarting). */
  | { kind: 'unreachable'; host: string };

export interface ConnectionSnapshot {
  state: ConnectionState;
  /**
   * 0 while the link is not open; a new number each time it opens (first open and every reconnect).
   * Views key their requests on it: they ask once the link is open, and ask again after a reconnect,
   * since events sent while the link was down never arrived.
   */
  linkEpoch: number;
}

export interface EngineLink {
  readonly client: EngineClient;
  readonly connection: ReadableStore<ConnectionSnapshot>;
  readonly problem: ReadableStore<LinkProblem | null>;
}

/** Close codes a server uses after accepting the socket to say the credentials are wrong. */
const AUTH_CLOSE_CODES = new Set([1008, 4001, 4003, 4401, 4403]);

function findBridge(): TrmBridge | null {
  const candidate = (globalThis as Record<string, unknown>)[BRIDGE_GLOBAL] as Partial<TrmBridge> | undefined;
  return candidate && typeof candidate.post === 'function' && typeof candidate.onMessage === 'function'
    ? (candidate as TrmBridge)
    : null;
}

export function readToken(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token !== null && token.length > 0 ? token : null;
}

/** A connection that never opens, so every call fails fast with UNAVAILABLE instead of waiting. */
function createDeadConnection(): Connection {
  return {
    state: 'closed',
    send() {},
    onMessage: () => () => {},
    onStateChange: () => () => {},
    close() {},
  };
}

/** Does the engine's HTTP server answer? Same origin, so the page's CSP allows it. */
async function engineAnswersHttp(): Promise<boolean> {
  try {
    const response = await fetch('/', { method: 'HEAD', cache: 'no-store' });
    return response.status < 500;
  } catch {
    return false;
  }
}

export function connectToEngine(): EngineLink {
  const problem = createValueStore<LinkProblem | null>(
    null,
    (a, b) => JSON.stringify(a) === JSON.stringify(b),
  );
  const setProblem = problem.set;

  const bridge = findBridge();
  let connection: Connection;
  if (bridge) {
    connection = createBridgeConnection(bridge);
  } else {
    const token = readToken(location.hash);
    const host = location.host;
    // Pasting the new address of a restarted engine into this tab changes only the fragment, which
    // does not reload the page: start over with the new token.
    window.addEventListener('hashchange', () => {
      if (readToken(location.hash) !== token) location.reload();
    });
    if (token === null) {
      connection = createDeadConnection();
      setProblem({ kind: 'no-token' });
    } else {
      connection = createWebSocketConnection({
        url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${host}/ws?token=${encodeURIComponent(token)}`,
        onDrop: ({ everOpened, code }) => {
          if (AUTH_CLOSE_CODES.has(code)) {
            setProblem({ kind: 'token-rejected', host });
            return;
          }
          // A drop after a good connection may be a blip: the status bar shows it at once, and the
          // banner waits until the next attempt fails too.
          if (everOpened) return;
          // Browsers hide why a handshake failed; ask the HTTP server whether the engine is up at all.
          void engineAnswersHttp().then((up) => {
            if (connection.state !== 'open')
              setProblem({ kind: up ? 'token-rejected' : 'unreachable', host });
          });
        },
      });
      connection.onStateChange((state) => {
        if (state === 'open') setProblem(null);
      });
    }
  }

  const client = createEngineClient(connection);
  let opens = client.connectionState === 'open' ? 1 : 0;
  const snapshot = createValueStore<ConnectionSnapshot>({
    state: client.connectionState,
    linkEpoch: client.connectionState === 'open' ? opens : 0,
  });
  // Registered after the client's own listener, so listens are re-sent before any view asks again.
  client.onConnectionStateChange((state) => {
    if (state === 'open') opens += 1;
    snapshot.set({ state, linkEpoch: state === 'open' ? opens : 0 });
  });

  return { client, connection: snapshot, problem };
}
