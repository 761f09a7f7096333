/**
 * The headless entry, `trm`: one file per command in this folder, each registering itself here.
 * Commands that act on a running workstation are clients of the same contract as the renderer.
 *
 * Every `trm` start registers every command, so registering is cheap: `<command>.ts` holds a command's
 * options and help (commander and our option parsers only), and its action imports `<command>-run.ts`,
 * where the engine, the store, the Alpaca SDK and zod come in, only when that command runs. `trm --help`
 * and `trm calendar` do not pay for the rest.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import packageJson from '../../../package.json';
import { registerAblateNews } from './ablate-news';
import { registerCalendar } from './calendar';
import { registerDivergence } from './divergence';
import { registerBackfill } from './backfill';
import { registerBacktest } from './backtest';
import { registerFeed } from './feed';
import { registerImport } from './import';
import { registerKillSwitch } from './kill-switch';
import { registerLimits } from './limits';
import { registerNews } from './news';
import { registerOrder } from './order';
import { registerOrders } from './orders';
import { registerPositions } from './positions';
import { registerModels } from './models';
import { registerSentiment } from './sentiment';
import { registerTrain } from './train';
import { registerWeb } from './web';

export function buildProgram(): Command {
  const program = new Command('trm')
    .description('TRM Workstation: a trading workstation with live multi-timeframe charts')
    .version(packageJson.version, '-V, --version', 'print the version')
    .showHelpAfterError()
    // Usage errors throw instead of exiting, so main() can give them exit code 2 like every other
    // bad input (commander would exit 1); subcommands registered below inherit this.
    .exitOverride();
  registerWeb(program);
  registerFeed(program);
  registerBackfill(program);
  registerCalendar(program);
  registerImport(program);
  registerNews(program);
  registerTrain(program);
  registerAblateNews(program);
  registerBacktest(program);
  registerSentiment(program);
  registerModels(program);
  registerOrder(program);
  registerOrders(program);
  registerPositions(program);
  registerKillSwitch(program);
  registerLimits(program);
  registerDivergence(program);
  return program;
}

/**
 * A reader that closes the pipe early (`trm news list | head`) is not an error: stop quietly, as Unix
 * tools do, instead of dying on an unhandled EPIPE.
 */
let pipeWatched = false;
function exitQuietlyOnClosedPipe(): void {
  if (pipeWatched) return;
  pipeWatched = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

export async function main(argv: readonly string[]): Promise<void> {
  exitQuietlyOnClosedPipe();
  try {
    const program = buildProgram();
    if (argv.length === 0) {
      // No command is a usage error: say what there is, on stderr, and exit 2.
      process.stderr.write(program.helpInformation());
      process.exitCode = 2;
      return;
    }
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed the message (and the usage); help and --version are not errors.
      const informational = ['commander.helpDisplayed', 'commander.help', 'commander.version'];
      process.exitCode = informational.includes(error.code) ? 0 : 2;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`trm: ${message}\n`);
    process.exitCode = 2;
  }
}

// Run when executed directly (bin/trm.mjs imports this module and calls main itself).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void main(process.argv.slice(2));
}
