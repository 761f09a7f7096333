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
  TrainingProgress,
} from '../../shared/domain';
import type { DailyPanel } from '../core/signals/daily-panel';
import type { ModelManifest } from '../core/signals/model-manifest';
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

/**
 * A loaded strategy model (inference/trm implements it over one warm ONNX Runtime session). Inputs are
 * z-scores in the manifest's feature order; outputs are row-major float32.
 */
export interface StrategyModel {
  readonly manifest: ModelManifest;
  /** Where it runs: the ONNX Runtime provider that was granted. */
  readonly provider: 'cuda' | 'cpu';
  /**
   * Runs `rows` rows of `input` ([rows, F] z-scores). Returns `probabilities` [rows, 8], `halt` [rows],
   * `cycleProbabilities` [rows, steps·cycles, 8] and `cycleHalt` [rows, steps·cycles].
   * Throws when `input.length !== rows · F`.
   */
  run(input: Float32Array, rows: number): Promise<StrategyModelOutput>;
  close(): Promise<void>;
}

export interface StrategyModelOutput {
  probabilities: Float32Array;
  halt: Float32Array;
  cycleProbabilities: Float32Array;
  cycleHalt: Float32Array;
}

/** Trains a candidate model on daily history (the Retrain action); training runs in a worker thread. */
export interface ModelTrainer {
  /**
   * Trains on `panel` rows dated `from`..`to` (YYYY-MM-DD, inclusive), writes the model folder to `outDir`,
   * evaluates it next to `current` and the baselines, and reports progress ending in `done` (with the
   * report) or `failed`. Resolves with the folder; rejects with a trader-readable message.
   */
  train(request: RetrainRequest, onProgress: (progress: TrainingProgress) => void): Promise<{ dir: string }>;
  /** Stops a job in progress (it then reports `failed` with "cancelled"). */
  cancel(jobId: string): void;
}

export interface RetrainRequest {
  jobId: string;
  panel: DailyPanel;
  from: string;
  to: string;
  outDir: string;
  /** The model running now, for the comparison in the report (its folder). */
  currentDir: string | null;
}
