/**
 * What a mode may plug into the engine beyond its feed: replay controls, imports and broker keys.
 * Where a part is absent, its contract calls fail with a message that says how to get it.
 */
import type {
  AlpacaKeys,
  ImportProgress,
  ImportReport,
  KeysStatus,
  ReplayCommand,
  ReplayState,
} from '../../shared/domain';
import type { Store } from '../store/store';

/** The replay feed's controls (replay mode only). */
export interface ReplayControl {
  state(): ReplayState;
  /** Applies a command; throws with a trader-readable message when it cannot (e.g. seek outside the range). */
  control(command: ReplayCommand): ReplayState;
  /** Calls `listener` on every change of state; returns the function that stops it. */
  subscribe(listener: (state: ReplayState) => void): () => void;
}

/** Imports of files sent from the UI, in chunks. */
export interface ImportIntake {
  begin(importId: string, name: string, bytes: number): void;
  chunk(importId: string, name: string, seq: number, text: string): void;
  finish(importId: string): Promise<ImportReport>;
  /** Progress of one import; returns the function that stops it. */
  progress(importId: string, listener: (progress: ImportProgress) => void): () => void;
  /** Cancels imports in progress and removes their temporary files (the engine calls it on stop). */
  close?(): void;
}

/**
 * Makes the intake of an engine once its store is open: given the store when the engine runs on the
 * market database (imports then go through it), none in demo mode (imports then open the market
 * database for their duration, so the demo world never mixes with real data).
 */
export type ImportIntakeFactory = (marketStore: Store | null) => ImportIntake;

/** The broker keys, held in the main process; only their status crosses to clients. */
export interface KeysKeeper {
  status(): KeysStatus;
  save(keys: AlpacaKeys): KeysStatus;
  clear(): KeysStatus;
}
