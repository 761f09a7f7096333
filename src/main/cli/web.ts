/**
 * `trm web`: the engine in plain Node, and the renderer in any browser over the loopback WebSocket
 * transport, in any mode.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { EngineMode } from '../../shared/domain';
import type { Engine } from '../engine/kernel';
import { createModeEngine, describeMode } from '../modes';
import { createLogger } from '../platform/log';
import { defaultMarketDbPath } from '../platform/paths';
import { startWebServer, type WebServer } from '../transport/web-server';
import { parseSymbolList } from './feed';
import { option } from './option';
import {
  DEFAULT_PORT,
  OptionError,
  parseDate,
  parseMode,
  parsePort,
  parseSeed,
  parseSpeed,
  parseStart,
} from './options';

const here = dirname(fileURLToPath(import.meta.url));

/** The built renderer, next to the built CLI in out/ (out/main/cli.js -> out/renderer). */
function rendererDir(): string {
  return resolve(here, '..', 'renderer');
}

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
  symbols?: string[];
  feed?: string;
}

async function runWeb(options: WebOptions): Promise<void> {
  const log = createLogger('trm');
  const dir = rendererDir();
  if (!existsSync(join(dir, 'index.html'))) {
    throw new OptionError(`the renderer is not built (${dir} has no index.html): run "npm run build" first`);
  }
  const { symbols, feed, ...rest } = options;
  const alpaca = symbols !== undefined || feed !== undefined ? { alpaca: { symbols, feed } } : {};
  const engine: Engine = createModeEngine({ ...rest, ...alpaca, log: log.child('engine') });
  let server: WebServer;
  try {
    server = await startWebServer({
      service: engine.service,
      rendererDir: dir,
      port: options.port ?? DEFAULT_PORT,
      fallbackToFreePort: options.port === undefined,
      log: log.child('web'),
    });
  } catch (error) {
    engine.stop();
    throw error;
  }
  engine.start();

  process.stdout.write(
    `TRM Workstation (${describeMode(options)}) is running at ${server.url}\n` +
      `${databaseLine(options, engine)}\nOpen the address above in a browser. Press Ctrl+C to stop.\n`,
  );

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping`);
    engine.stop();
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/** Which database the run works on; a replay's own store is scratch, so name the market database it reads. */
function databaseLine(options: WebOptions, engine: Engine): string {
  if (options.mode !== 'replay') return `Database: ${engine.status().store.path}`;
  return `Replaying from: ${resolve(options.db ?? defaultMarketDbPath())}`;
}

export function registerWeb(program: Command): void {
  program
    .command('web')
    .description('start the engine and serve the workstation to a browser on 127.0.0.1')
    .option('--mode <mode>', 'demo | replay | paper | live', option(parseMode), 'demo')
    .option(
      '--port <n>',
      `port on 127.0.0.1 (default ${DEFAULT_PORT}, or a free one if taken; 0 = any)`,
      option(parsePort),
    )
    .option('--db <path>', 'database file (default: in the user data folder, one per kind of data)')
    .option('--seed <n>', 'demo: seed of the generated market (default 42)', option(parseSeed))
    .option(
      '--speed <n|max>',
      'demo, replay: market seconds per wall second, or "max" (default 1)',
      option(parseSpeed),
    )
    .option('--start <iso>', 'demo: market time a fresh world starts at (default: now)', option(parseStart))
    .option('--fresh', 'demo: start a fresh world, discarding the stored one')
    .option('--from <date>', 'replay: first session to replay (YYYY-MM-DD)', option(parseDate))
    .option('--to <date>', 'replay: last session to replay (YYYY-MM-DD)', option(parseDate))
    .option('--symbols <list>', 'paper, live: comma-separated symbols, e.g. SPY,QQQ', option(parseSymbolList))
    .option('--feed <name>', 'paper, live: Alpaca feed iex (free), sip (paid) or delayed_sip')
    .action(async (options: WebOptions) => runWeb(options));
}
