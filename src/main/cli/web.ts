/**
 * `trm web`: the engine in plain Node, and the renderer in any browser over the loopback WebSocket
 * transport, in any mode. Its options and help; what it runs loads from web-run.ts only when it runs.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { option, parseLoaded } from './option';
import {
  DEFAULT_PORT,
  parseBars,
  parseDate,
  parseMode,
  parsePort,
  parseSeed,
  parseSpeed,
  parseStart,
} from './options';
import type { WebOptions } from './web-run';

/**
 * The built renderer, beside the built CLI (out/main/cli.js -> out/renderer). Found here, in the CLI's
 * entry, not in web-run.ts: the bundler puts that module in out/main/chunks/.
 */
function rendererDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', 'renderer');
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
      'demo, replay: market seconds per wall second, or "max" (default 1; a daily replay 23400, a session a second)',
      option(parseSpeed),
    )
    .option('--start <iso>', 'demo: market time a fresh world starts at (default: now)', option(parseStart))
    .option('--fresh', 'demo: start a fresh world, discarding the stored one')
    .option('--from <date>', 'replay: first session to replay (YYYY-MM-DD)', option(parseDate))
    .option('--to <date>', 'replay: last session to replay (YYYY-MM-DD)', option(parseDate))
    .option(
      '--bars <1m|1D>',
      'replay: 1-minute bars, or daily bars a session at a time (default: 1m when the range has minutes)',
      option(parseBars),
    )
    // Checked when the command runs (parseLoaded): the symbol check loads with the engine.
    .option('--symbols <list>', 'paper, live: comma-separated symbols, e.g. SPY,QQQ')
    .option('--feed <name>', 'paper, live: Alpaca feed iex (free), sip (paid) or delayed_sip')
    .option(
      '--new-token',
      'issue a new web token for the data folder (the address changes; open tabs are refused)',
    )
    .action(async (given: Omit<WebOptions, 'symbols'>, command: Command) => {
      const { runWeb, parseSymbolList } = await import('./web-run');
      // `given.symbols` is the text as typed; the parsed list replaces it.
      await runWeb({ ...given, symbols: parseLoaded(command, 'symbols', parseSymbolList) }, rendererDir());
    });
}
