/**
 * The headless entry, `trm`: the engine in plain Node, and the renderer in any browser over the
 * loopback WebSocket transport. Later commands (import, backfill, train, backtest) join here.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { createDemoEngine, type Engine } from './engine';
import { createLogger } from './log';
import {
  DEFAULT_PORT,
  DEFAULT_SEED,
  OptionError,
  parsePort,
  parseSeed,
  parseSpeed,
  parseStart,
} from './options';
import { defaultDemoDbPath } from './paths';
import { startWebServer, type WebServer } from './transport/web-server';

const here = dirname(fileURLToPath(import.meta.url));

/** The built renderer, next to this file in out/ (out/main/cli.js -> out/renderer). */
function rendererDir(): string {
  return resolve(here, '..', 'renderer');
}

/** Turns an option parser's OptionError into commander's usage error. */
function option<T>(parse: (text: string) => T): (text: string) => T {
  return (text) => {
    try {
      return parse(text);
    } catch (error) {
      throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
    }
  };
}

interface WebOptions {
  port?: number;
  seed: number;
  speed: number | 'max';
  db?: string;
  start?: number;
  fresh?: boolean;
}

async function runWeb(options: WebOptions): Promise<void> {
  const log = createLogger('trm');
  const dir = rendererDir();
  if (!existsSync(join(dir, 'index.html'))) {
    throw new OptionError(`the renderer is not built (${dir} has no index.html): run "npm run build" first`);
  }
  const dbPath = resolve(options.db ?? defaultDemoDbPath());
  const engine: Engine = createDemoEngine({
    dbPath,
    seed: options.seed,
    speed: options.speed,
    ...(options.start !== undefined ? { startAt: options.start } : {}),
    reset: options.fresh ?? false,
    log: log.child('engine'),
  });
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
    `TRM Workstation (demo, seed ${options.seed}, speed ${options.speed}) is running at ${server.url}\n` +
      `Database: ${dbPath}\nOpen the address above in a browser. Press Ctrl+C to stop.\n`,
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

export function buildProgram(): Command {
  const program = new Command('trm')
    .description('TRM Workstation: a trading workstation with live multi-timeframe charts')
    .showHelpAfterError();

  program
    .command('web')
    .description('start the engine and serve the workstation to a browser on 127.0.0.1 (demo mode)')
    .option(
      '--port <n>',
      `port on 127.0.0.1 (default ${DEFAULT_PORT}, or a free one if taken; 0 = any)`,
      option(parsePort),
    )
    .option('--seed <n>', 'seed of the demo market', option(parseSeed), DEFAULT_SEED)
    .option('--speed <n|max>', 'market seconds per wall second, or "max"', option(parseSpeed), 1)
    .option('--db <path>', 'database file of the demo world (default: in the user data folder)')
    .option('--start <iso>', 'market time a fresh demo world starts at (default: now)', option(parseStart))
    .option('--fresh', 'start a fresh demo world, discarding the stored one')
    .action(async (options: WebOptions) => runWeb(options));

  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`trm: ${message}\n`);
    process.exitCode = 2;
  }
}

// Run when executed directly (bin/trm.mjs imports this module and calls main itself).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void main(process.argv.slice(2));
}
