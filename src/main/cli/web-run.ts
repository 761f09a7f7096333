/**
 * What `trm web` runs (loaded only then; its options are in web.ts): the engine in plain Node, and the
 * renderer in any browser over the loopback WebSocket transport, in any mode.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EngineMode } from '../../shared/domain';
import type { Engine } from '../engine/kernel';
import { createModeEngine, describeMode } from '../modes';
import { createLogger } from '../platform/log';
import { defaultMarketDbPath } from '../platform/paths';
import { journalDbPath, writeRuntimeFile } from '../platform/runtime-file';
import { loadWebToken } from '../platform/web-token';
import { startWebServer, type WebServer } from '../transport/web-server';
import { DEFAULT_PORT, OptionError } from './options';

export { parseSymbolList } from './symbol-list';

export interface WebOptions {
  mode: EngineMode;
  port?: number;
  seed?: number;
  speed?: number | 'max';
  db?: string;
  start?: number;
  fresh?: boolean;
  from?: number;
  to?: number;
  bars?: '1m' | '1D';
  symbols?: string[];
  feed?: string;
  /** Rotate the data folder's web token: tabs opened with the old address are refused. */
  newToken?: boolean;
}

/**
 * Starts the engine and the web server; runs until SIGINT or SIGTERM.
 * @param dir the built renderer (a folder with index.html)
 * @throws OptionError when `dir` has no index.html; the mode's and the server's start-up errors
 */
export async function runWeb(options: WebOptions, dir: string): Promise<void> {
  const log = createLogger('trm');
  if (!existsSync(join(dir, 'index.html'))) {
    throw new OptionError(`the renderer is not built (${dir} has no index.html): run "npm run build" first`);
  }
  const { symbols, feed, newToken, ...rest } = options;
  const alpaca = symbols !== undefined || feed !== undefined ? { alpaca: { symbols, feed } } : {};
  const engine: Engine = createModeEngine({ ...rest, ...alpaca, log: log.child('engine') });
  let server: WebServer;
  try {
    // Kept per data folder, so a tab left open across a restart reconnects by itself. Read once the
    // engine has its database: a start refused for a busy database must not rotate the running one's token.
    const token = loadWebToken({ rotate: newToken === true, log: log.child('web') });
    server = await startWebServer({
      service: engine.service,
      rendererDir: dir,
      port: options.port ?? DEFAULT_PORT,
      fallbackToFreePort: options.port === undefined,
      token,
      log: log.child('web'),
    });
  } catch (error) {
    engine.stop();
    throw error;
  }
  engine.start();
  // How `trm order` and friends find this workstation (removed on exit).
  const runtime = writeRuntimeFile({
    pid: process.pid,
    url: `ws://127.0.0.1:${server.port}/ws`,
    token: server.token,
    mode: options.mode,
    db: journalDbPath(options),
    startedAt: Date.now(),
  });
  if (runtime === null) {
    log.warn(`another workstation is running on ${journalDbPath(options)}: trm order reaches that one`);
  }

  // The engine's own speed: a replay's default depends on what it replays (minutes or daily bars).
  const mode = describeMode({ ...options, speed: engine.status().speed });
  process.stdout.write(
    `TRM Workstation (${mode}) is running at ${server.url}\n` +
      `${databaseLine(options, engine)}\nOpen the address above in a browser. Press Ctrl+C to stop.\n`,
  );

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping`);
    runtime?.remove();
    engine.stop();
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/** Which database the run works on; a replay's own store is scratch, so name the market database it reads. */
function databaseLine(options: WebOptions, engine: Engine): string {
  if (options.mode !== 'replay') return `Database: ${engine.status().store.path}`;
  return (
    `Replaying from: ${resolve(options.db ?? defaultMarketDbPath())}\n` +
    'The replay waits at its first session: press Play (or Space) in the window.'
  );
}
