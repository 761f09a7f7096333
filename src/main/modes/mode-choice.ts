/**
 * The start-up check that refuses an impossible combination of mode and options with a message saying
 * what to use instead. What each mode is made of (feed, clock, store, later broker) is in its factory
 * beside this file; the engine after them is one code path.
 */
import type { EngineMode } from '../../shared/domain';

/** The start-up options that only make sense in some modes, as given (undefined: not given). */
export interface GivenModeOptions {
  seed?: unknown;
  start?: unknown;
  fresh?: unknown;
  speed?: unknown;
  from?: unknown;
  to?: unknown;
  bars?: unknown;
  /** The Alpaca feed and symbols (--feed, --symbols). */
  alpaca?: unknown;
}

export class ModeError extends Error {
  override readonly name = 'ModeError';
}

const ONLY_IN: Record<keyof GivenModeOptions, { modes: readonly EngineMode[]; why: string; flag?: string }> =
  {
    seed: { modes: ['demo'], why: 'it seeds the generated market' },
    start: { modes: ['demo'], why: 'it places a fresh generated world in time' },
    fresh: { modes: ['demo'], why: 'it discards the generated world' },
    speed: { modes: ['demo', 'replay'], why: 'paper and live run at the exchange’s own pace' },
    from: { modes: ['replay'], why: 'it picks where a replay of stored history begins' },
    to: { modes: ['replay'], why: 'it picks where a replay of stored history ends' },
    bars: { modes: ['replay'], why: 'it picks whether a replay plays minute or daily bars' },
    alpaca: {
      modes: ['paper', 'live'],
      why: 'they choose what to stream from Alpaca',
      flag: '--symbols and --feed',
    },
  };

const ADVICE: Record<EngineMode, string> = {
  demo: 'the generated market (no account, no data)',
  replay: 'stored history at any speed',
  paper: 'Alpaca paper trading at market pace',
  live: 'Alpaca live trading at market pace',
};

/**
 * Refuses options that the chosen mode cannot honour. Throws ModeError naming the option, why it does
 * not apply, and the mode to use instead.
 */
export function checkModeOptions(mode: EngineMode, given: GivenModeOptions): void {
  for (const [name, rule] of Object.entries(ONLY_IN) as [
    keyof GivenModeOptions,
    (typeof ONLY_IN)[keyof GivenModeOptions],
  ][]) {
    if (given[name] === undefined || given[name] === false || rule.modes.includes(mode)) continue;
    const instead = rule.modes.map((m) => `--mode ${m} for ${ADVICE[m]}`).join(', or ');
    const flag = rule.flag ?? `--${name}`;
    throw new ModeError(
      `${flag} ${rule.flag ? 'do' : 'does'} not apply to ${mode} mode: ${rule.why}. Use ${instead}.`,
    );
  }
}
