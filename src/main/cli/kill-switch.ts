/**
 * `trm kill-switch [on|off|status] [--flatten] [--db PATH] [--json]`: the running workstation's kill
 * switch, or (status, or no argument) its trading state without changing it. Options and help;
 * kill-switch-run.ts loads only when it runs.
 */
import { Argument, type Command } from 'commander';
import { DB_HELP } from './order';

export interface KillSwitchOptions {
  flatten?: boolean;
  db?: string;
  json?: boolean;
}

export type KillSwitchAction = 'on' | 'off' | 'status';

export function registerKillSwitch(program: Command): void {
  program
    .command('kill-switch')
    .description(
      'on: halt trading in the running workstation (cancel every working order, refuse new ones; ' +
        '--flatten also closes every position at market); off: trade again; status (or nothing): ' +
        'print the trading state and its reason, changing nothing',
    )
    .addArgument(
      new Argument('[state]', 'on | off | status').choices(['on', 'off', 'status']).default('status'),
    )
    .option('--flatten', 'with on: close every position with a market order')
    .option('--db <path>', DB_HELP)
    .option('--json', 'print the trading status as one JSON object on stdout')
    .addHelpText(
      'after',
      '\nExit codes: 0 done; 1 no workstation is running, or it failed the request; 2 bad arguments.',
    )
    .action(async (state: KillSwitchAction, options: KillSwitchOptions) => {
      const { runKillSwitch } = await import('./kill-switch-run');
      process.exitCode = await runKillSwitch(state, options);
    });
}
