/**
 * What `trm kill-switch on|off|status` runs (loaded only then; its options are in kill-switch.ts): the
 * trading.killSwitch call of the running workstation, which answers with the trading status, or
 * (status) trading.status, which changes nothing.
 */
import { withWorkstation } from './engine-link';
import type { KillSwitchAction, KillSwitchOptions } from './kill-switch';
import { EXIT, processOutput, statusLine, type CliOutput } from './trading-text';

/**
 * Runs `trm kill-switch`; returns its exit code (0 done, 1 no workstation or a failure, 2 --flatten
 * without on).
 */
export async function runKillSwitch(
  state: KillSwitchAction,
  options: KillSwitchOptions,
  output: CliOutput = processOutput,
): Promise<number> {
  const on = state === 'on';
  if (!on && options.flatten) {
    output.stderr('trm kill-switch: --flatten goes with on (it closes every position as trading halts)\n');
    return EXIT.usage;
  }
  return withWorkstation('kill-switch', { db: options.db }, output, async ({ client }) => {
    const status =
      state === 'status'
        ? await client.call('trading.status', {})
        : await client.call('trading.killSwitch', { on, flatten: options.flatten === true });
    if (options.json) {
      output.stdout(`${JSON.stringify(status)}\n`);
      return EXIT.ok;
    }
    const what =
      state === 'status'
        ? `Kill switch ${status.tradingState === 'halted' ? 'on' : 'off'}.`
        : on
          ? `Kill switch on: working orders cancelled${options.flatten ? ', positions being closed at market' : ''}, new orders refused.`
          : 'Kill switch off.';
    output.stdout(`${what}\n${statusLine(status)}`);
    return EXIT.ok;
  });
}
