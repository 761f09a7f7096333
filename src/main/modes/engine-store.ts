/**
 * Opens a store for an engine: the writer paced by the engine's timers, its problems in the engine's log.
 * Every mode opens its database through here.
 */
import type { Timers } from '../platform/clock';
import type { Logger } from '../platform/log';
import { openStore, type Store } from '../store/store';

export interface EngineStoreOptions {
  dbPath: string;
  timers: Timers;
  log: Logger;
  /** better-sqlite3 addon built for Electron's ABI, when running in Electron. */
  sqliteBinding?: string;
}

export function openEngineStore({ dbPath, timers, log, sqliteBinding }: EngineStoreOptions): Store {
  return openStore(dbPath, {
    writer: {
      setTimer: (fn, ms) => timers.setTimeout(fn, ms),
      clearTimer: (handle) => timers.clearTimeout(handle),
      onError: (error) =>
        log.error(
          `writing bars failed (kept for the next attempt): ${error instanceof Error ? error.message : String(error)}`,
        ),
    },
    onWarning: (message) => log.warn(message),
    ...(sqliteBinding ? { nativeBinding: sqliteBinding } : {}),
  });
}
