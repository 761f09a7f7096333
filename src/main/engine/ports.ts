/**
 * What a mode may plug into the engine beyond its feed: replay controls, imports and broker keys.
 * Where a part is absent, its contract calls fail with a message that says how to get it.
 */
import type {
  AlpacaKeys,
  ImportProgress,
  ImportReport,
  KeysStatus,
  NewsItem,
  NewsStatus,
  ReplayCommand,
  ReplayState,
  Sentiment,
  SentimentModelInfo,
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

/**
 * A loaded sentiment model (inference/sentiment implements it with @huggingface/transformers over the one
 * ONNX Runtime). The model's own labels are mapped to SENTIMENT_LABELS by name, so a FinBERT folder
 * (positive, negative, neutral) and ours (negative, neutral, positive) give the same `Sentiment`.
 */
export interface SentimentScorer {
  readonly info: SentimentModelInfo;
  /**
   * Scores texts in batches (at most the scorer's batch size per ONNX run); one `Sentiment` per text, in
   * order. Control characters are removed, long texts are cut to the model's token limit; a text that is
   * empty after cleaning scores neutral ([0, 1, 0]). Rejects only when the runtime fails.
   */
  score(texts: readonly string[]): Promise<Sentiment[]>;
  close(): Promise<void>;
}

/**
 * Loads a Hugging Face model folder (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx)
 * fully offline, CUDA first, else CPU. Rejects with a message naming the missing or unreadable file.
 */
export type SentimentLoader = (dir: string) => Promise<SentimentScorer>;

/** The states a news source reports (the contract's NewsStatus.sources[].state). */
export type NewsSourceState = NewsStatus['sources'][number]['state'];

/** Where a news source delivers. */
export interface NewsSink {
  /**
   * New items, in publication order within the call. `backfill` marks history caught up after a start or a
   * gap (REST), as opposed to items streamed as they are published. Duplicates are allowed: the store drops them.
   */
  items(items: readonly NewsItem[], backfill: boolean): void;
  state(state: NewsSourceState, message: string | null): void;
}

/**
 * A news source behind one port: Alpaca's news stream with REST backfill (paper, live), or recorded news
 * from the market database released on the replay clock (replay).
 */
export interface NewsFeed {
  readonly name: string;
  start(sink: NewsSink): void;
  stop(): void;
  /** The market clock moved to `time` (epoch ms): a recorded source releases the items published up to it. */
  advanceTo?(time: number): void;
  /** The market clock went back to `time` (a replay seek): a recorded source re-releases from there. */
  rewindTo?(time: number): void;
  /** Symbols on screen; a live source may subscribe to those only. */
  setInterest?(symbols: readonly string[]): void;
}
