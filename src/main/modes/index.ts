/**
 * Starting the engine in a mode: each mode picks its feed, clock and (later) broker, and refuses an
 * impossible combination of options before anything is opened. Both entries (the `trm` CLI and the
 * Electron app) start the engine through here.
 */
import type { EngineMode, Speed } from '../../shared/domain';
import type { Engine } from '../engine/kernel';
import type { Timers } from '../platform/clock';
import type { Logger } from '../platform/log';
import { defaultDemoDbPath, defaultMarketDbPath } from '../platform/paths';
import { createDemoEngine } from './demo';
import { ModeError, checkModeOptions } from './mode-choice';

export { MODE_PARTS, ModeError, checkModeOptions } from './mode-choice';

export const DEFAULT_SEED = 42;

/** Everything a mode may be started with; which options apply to which mode is checked on start. */
export interface ModeStartOptions {
  mode: EngineMode;
  /** Database file; default: demo.sqlite (demo) or market.sqlite (the others) in the data folder. */
  db?: string;
  /** Where the default databases live (Electron's userData; the CLI's default data folder otherwise). */
  dataDir?: string;
  seed?: number;
  speed?: Speed;
  start?: number;
  fresh?: boolean;
  /** Replay range: epoch ms of midnight UTC of the first and last session dates. */
  from?: number;
  to?: number;
  log: Logger;
  timers?: Timers;
  sqliteBinding?: string;
}

/** One line for the start-up banner, e.g. "demo, seed 42, speed 1". */
export function describeMode(options: Pick<ModeStartOptions, 'mode' | 'seed' | 'speed'>): string {
  switch (options.mode) {
    case 'demo':
      return `demo, seed ${options.seed ?? DEFAULT_SEED}, speed ${options.speed ?? 1}`;
    case 'replay':
      return `replay, speed ${options.speed ?? 1}`;
    case 'paper':
    case 'live':
      return options.mode;
  }
}

/** Opens the mode's database and parts; returns an engine ready to start. Throws ModeError on a mismatch. */
export function createModeEngine(options: ModeStartOptions): Engine {
  checkModeOptions(options.mode, options);
  const dataDir = options.dataDir;
  switch (options.mode) {
    case 'demo':
      return createDemoEngine({
        dbPath: options.db ?? defaultDemoDbPath(dataDir),
        seed: options.seed ?? DEFAULT_SEED,
        speed: options.speed ?? 1,
        ...(options.start !== undefined ? { startAt: options.start } : {}),
        reset: options.fresh ?? false,
        log: options.log,
        ...(options.timers ? { timers: options.timers } : {}),
        ...(options.sqliteBinding ? { sqliteBinding: options.sqliteBinding } : {}),
      });
    case 'replay':
    case 'paper':
    case 'live':
      throw new ModeError(
        `${options.mode} mode needs ${options.mode === 'replay' ? 'stored history' : 'the Alpaca feed'}, ` +
          `which this build does not have yet (database ${options.db ?? defaultMarketDbPath(dataDir)}). Use --mode demo.`,
      );
  }
}
