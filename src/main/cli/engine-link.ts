/**
 * The CLI's link to a running workstation: find it through its runtime file (platform/runtime-file.ts),
 * then talk to it over its loopback WebSocket with the same contract client as the renderer
 * (shared/rpc-client.ts), so every reply and event is validated on arrival exactly as in the window.
 *
 * Finding: `--db PATH` → the runtime file beside PATH; no --db → the runtime files beside the default
 * databases of the data folder (demo.sqlite and market.sqlite). Exactly one running → that one; several
 * → a LinkError naming them and asking for --db.
 */
import WebSocket, { type RawData } from 'ws';
import {
  EngineError,
  MAX_MESSAGE_BYTES,
  type ClientMessage,
  type ServerMessage,
} from '../../shared/protocol';
import {
  createEngineClient,
  type Connection,
  type ConnectionState,
  type EngineClient,
} from '../../shared/rpc-client';
import { defaultDataDir, defaultDemoDbPath, defaultMarketDbPath } from '../platform/paths';
import { readRuntimeFile, type RuntimeInfo } from '../platform/runtime-file';
import { EXIT, type CliOutput } from './trading-text';

/** A workstation could not be found or reached; the message says what to do. */
export class LinkError extends Error {
  override readonly name = 'LinkError';
}

/** What `trm order place`, `order cancel` and `kill-switch` say when nothing is running. */
export const NO_WORKSTATION = 'no workstation is running (start it with npm start)';

export interface FindOptions {
  /** The database given with --db. */
  db?: string | undefined;
  /** Where the default databases are (default: the user data folder, or TRM_DATA_DIR). */
  dataDir?: string;
}

export type FoundWorkstation =
  | { kind: 'running'; info: RuntimeInfo; runtimeFile: string }
  /** Nothing running; `databases` are the databases looked beside (the --db one, or the defaults). */
  | { kind: 'none'; databases: string[] };

/** The databases a workstation may journal in when no --db is given: the demo and the market database. */
export function defaultJournalDatabases(dataDir = defaultDataDir()): string[] {
  return [defaultDemoDbPath(dataDir), defaultMarketDbPath(dataDir)];
}

/**
 * Finds the running workstation (stale runtime files are removed on the way).
 * @throws LinkError when no --db was given and several workstations are running
 */
export function findWorkstation(options: FindOptions = {}): FoundWorkstation {
  const databases =
    options.db !== undefined ? [options.db] : defaultJournalDatabases(options.dataDir ?? defaultDataDir());
  const running: { info: RuntimeInfo; runtimeFile: string }[] = [];
  for (const db of databases) {
    const read = readRuntimeFile(db);
    if (read.kind === 'running') running.push({ info: read.info, runtimeFile: read.path });
  }
  if (running.length === 0) return { kind: 'none', databases };
  if (running.length > 1) {
    const list = running.map(({ info }) => `  ${info.mode} (pid ${info.pid}) on ${info.db}`).join('\n');
    throw new LinkError(`several workstations are running:\n${list}\nchoose one with --db PATH`);
  }
  return { kind: 'running', ...running[0]! };
}

function badFrame(message: string): ServerMessage {
  return { t: 'error', error: { code: 'BAD_MESSAGE', message } };
}

function decodeFrame(data: RawData, isBinary: boolean): unknown {
  if (isBinary) return badFrame('binary frame received; the engine sends JSON text frames');
  const text = Array.isArray(data)
    ? Buffer.concat(data).toString('utf8')
    : data instanceof ArrayBuffer
      ? Buffer.from(data).toString('utf8')
      : data.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return badFrame(`frame is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * A Connection (shared/rpc-client.ts) over one `ws` WebSocket. Unlike the renderer's, it never
 * reconnects: a command makes a few calls and exits, and a dropped link should fail them, not wait.
 * `onError` hears why the socket failed (refused, wrong token), before it reports 'closed'.
 */
export function createNodeWebSocketConnection(url: string, onError?: (error: Error) => void): Connection {
  const messageListeners = new Set<(message: unknown) => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  const setState = (next: ConnectionState): void => {
    if (next === state) return;
    state = next;
    for (const listener of stateListeners) listener(next);
  };
  const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: MAX_MESSAGE_BYTES });
  ws.on('open', () => setState('open'));
  ws.on('message', (data, isBinary) => {
    const message = decodeFrame(data, isBinary);
    for (const listener of messageListeners) listener(message);
  });
  // An error is always followed by close, which does the bookkeeping once.
  ws.on('error', (error) => onError?.(error));
  ws.on('close', () => setState('closed'));
  return {
    get state() {
      return state;
    },
    send(message: ClientMessage) {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
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
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else {
        ws.close();
        // A server that never answers the close would keep the command alive for ws's 30 s close timeout.
        setTimeout(() => ws.terminate(), 1000).unref();
      }
      setState('closed');
    },
  };
}

export interface WorkstationLink {
  readonly info: RuntimeInfo;
  readonly client: EngineClient;
  /** Disposes the client and closes the socket. */
  close(): void;
}

export interface ConnectOptions {
  /** How long to wait for the socket to open, ms (default 5000). */
  connectTimeoutMs?: number;
  /** How long a call may wait for its reply, ms (default 30000). */
  callTimeoutMs?: number;
}

/**
 * Connects to the workstation a runtime file describes, with its token.
 * @throws LinkError when the socket does not open (the workstation is gone, or refused the token)
 */
export async function connectWorkstation(
  info: RuntimeInfo,
  options: ConnectOptions = {},
): Promise<WorkstationLink> {
  const timeoutMs = options.connectTimeoutMs ?? 5000;
  let failure: Error | null = null;
  const url = `${info.url}?token=${encodeURIComponent(info.token)}`;
  const connection = createNodeWebSocketConnection(url, (error) => (failure ??= error));
  await new Promise<void>((resolve, reject) => {
    const fail = (why: string): void => {
      off();
      clearTimeout(timer);
      connection.close();
      reject(
        new LinkError(
          `the workstation (${info.mode}, pid ${info.pid}) does not answer at ${info.url}: ${why}; ` +
            'is it still starting, or stopping?',
        ),
      );
    };
    const timer = setTimeout(() => fail(`no connection within ${timeoutMs} ms`), timeoutMs);
    const off = connection.onStateChange((state) => {
      if (state === 'open') {
        off();
        clearTimeout(timer);
        resolve();
      } else if (state === 'closed') {
        fail(failure?.message ?? 'the connection closed');
      }
    });
  });
  const client = createEngineClient(connection, { callTimeoutMs: options.callTimeoutMs ?? 30_000 });
  return {
    info,
    client,
    close() {
      client.dispose();
      connection.close();
    },
  };
}

/**
 * Runs `act` against the running workstation and returns the command's exit code: `act`'s own, or 1 when
 * no workstation runs (saying so, or handing over to `offline` when given: the read-only commands read the
 * journal instead), it cannot be reached or a call fails; 2 when the engine refused the parameters.
 * Errors go to stderr as "trm <command>: <what happened>".
 */
export async function withWorkstation(
  command: string,
  find: FindOptions,
  output: CliOutput,
  act: (link: WorkstationLink) => Promise<number>,
  offline?: (databases: string[]) => number,
): Promise<number> {
  let link: WorkstationLink;
  try {
    const found = findWorkstation(find);
    if (found.kind === 'none') {
      if (offline) return offline(found.databases);
      output.stderr(`trm ${command}: ${NO_WORKSTATION}\n`);
      return EXIT.failed;
    }
    link = await connectWorkstation(found.info);
  } catch (error) {
    if (!(error instanceof LinkError)) throw error;
    output.stderr(`trm ${command}: ${error.message}\n`);
    return EXIT.failed;
  }
  try {
    return await act(link);
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    output.stderr(`trm ${command}: ${error.message}\n`);
    return error.code === 'BAD_PARAMS' ? EXIT.usage : EXIT.failed;
  } finally {
    link.close();
  }
}
