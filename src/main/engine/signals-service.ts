/**
 * The signals area of the engine: the TRM strategy model's decisions, one per daily decision bar, in
 * every mode. When a CLOSED `1D` bar of the clock symbol (SPY) is published on `market.bars`, the
 * service reads the daily bars the feature streams need (up to and including that bar), builds the
 * aligned daily panel, computes every stream at its last row, z-scores the model's inputs with the
 * manifest's training statistics (a missing input is fed as its training mean, z = 0, and counted),
 * runs the model, stores the Prediction and then publishes it on `signals.prediction` (write, then
 * publish).
 *
 * Decisions are queued and made in bar order, one batch at a time: bars that close while a batch runs
 * (a replay at max speed, a backfill of history) wait and go together into the next batch, so the work
 * per bar falls as the queue grows and nothing is dropped (each decision bar needs its prediction). A bar
 * is never inferred twice by one model: the queue holds each bar once, and a bar the running model has
 * already predicted (stored) is skipped. A replay seeking back deletes the predictions from the rewind
 * point on and forgets queued bars after it.
 *
 * It also answers the `signals.*` calls: the model, the feature streams, stored predictions, why a
 * prediction says what it says (per-cycle answers and occlusion), the scorecard, and Retrain (a
 * candidate model trained in a worker, used only once the trader accepts it; the accepted folder is
 * remembered in the settings under `signals.modelDir` and loaded at the next start).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { EventSources, RequestHandlers } from '../../shared/api';
import {
  FEATURE_IDS,
  STRATEGY_IDS,
  type Bar,
  type EngineStatus,
  type FeatureId,
  type FeatureValue,
  type ModelInfo,
  type Prediction,
  type PredictionExplanation,
  type Scorecard,
  type TrainingProgress,
  trainingProgress,
} from '../../shared/domain';
import { EngineError } from '../../shared/protocol';
import type { SessionCalendar } from '../core/calendar';
import { utcDateOf } from '../core/calendar-dates';
import {
  buildDailyPanel,
  CLOCK_SYMBOL,
  panelRowAtOrBefore,
  type DailyBarLike,
  type DailyPanel,
} from '../core/signals/daily-panel';
import {
  computeFeatures,
  FEATURE_STREAMS,
  FEATURE_SYMBOLS,
  featureStreamInfo,
  MAX_FEATURE_LOOKBACK,
  type FeatureStreamDefinition,
} from '../core/signals/feature-registry';
import { DEFAULT_HORIZON } from '../core/signals/labels';
import { STRATEGY_SYMBOLS } from '../core/signals/strategies';
import { normalise } from '../core/signals/zscore';
import type { Timers } from '../platform/clock';
import type { Logger } from '../platform/log';
import type { SettingsRepository } from '../store/settings-repository';
import type { Store } from '../store/store';
import type { TopicBus } from './bus';
import { newestWithinMessageBudget } from './message-budget';
import type { ModelTrainer, StrategyModel, StrategyModelOutput } from './ports';
import { computeScorecard, SCORECARD_SYMBOLS } from './signals-scorecard';
import type { EngineTopics } from './topics';

/** The settings key of the accepted model's folder (a Retrain candidate the trader accepted). */
export const MODEL_DIR_SETTING = 'signals.modelDir';
/** Most decisions per model run: bounds one turn of work (a backlog is taken in batches of this size). */
export const MAX_DECISION_BATCH = 256;
/** Sessions read beyond the longest lookback: room for sessions where a symbol has no bar. */
const LOOKBACK_MARGIN = 20;
/** Daily bars read per symbol for Retrain and the scorecard at most (about 80 years of sessions). */
const MAX_HISTORY_SESSIONS = 20_000;

const RETRAIN_UNAVAILABLE = 'Retraining is not available in this build.';

/** What a mode plugs in for the strategy model (EngineParts.signals). */
export interface SignalsParts {
  /**
   * Loads a model folder (manifest.json + model.onnx) into a warm session: inference/trm-model's
   * loadStrategyModel in the product. Rejects with a message naming what is wrong.
   */
  loadModel(dir: string): Promise<StrategyModel>;
  /** The shipped model's folder (models/trm-default), run when no accepted model is remembered or it fails. */
  defaultModelDir: string | null;
  /** Where Retrain writes candidate folders (`<data folder>/models/candidates`), one per job id. */
  candidatesDir: string;
  /** Retrain's trainer (training runs in a worker thread); absent: Retrain says it is not available. */
  trainer?: ModelTrainer;
  /**
   * Where the accepted model's folder is remembered: the settings of a database that outlives the run
   * (a replay's engine store is a scratch copy: it passes the market database's). Default: the engine store's.
   */
  settings?: SettingsRepository;
}

/**
 * Makes a mode's signals part once its databases are open, given the settings where the accepted
 * model is remembered (the engine store's, or a replay's market database's).
 */
export type SignalsFactory = (settings: SettingsRepository) => SignalsParts;

export interface SignalsServiceParts extends SignalsParts {
  store: Store;
  bus: TopicBus<EngineTopics>;
  calendar: SessionCalendar;
  timers: Timers;
  log: Logger;
  /**
   * A symbol's `1D` bars with start < `before`, the `limit` most recent, oldest first, including the
   * forming one from memory (the market service's `market.bars` reply). Default: the store's bars.
   */
  readDailyBars?: (symbol: string, before: number, limit: number) => readonly Bar[];
}

export type SignalsHandlers = Pick<
  RequestHandlers,
  | 'signals.model'
  | 'signals.features'
  | 'signals.predictions'
  | 'signals.explain'
  | 'signals.scorecard'
  | 'signals.retrain'
  | 'signals.decideCandidate'
  | 'signals.useShippedModel'
>;
export type SignalsEvents = Pick<EventSources, 'signals.prediction' | 'signals.training'>;

interface LoadedModel {
  model: StrategyModel;
  dir: string;
}

export class SignalsService {
  readonly handlers: SignalsHandlers;
  readonly events: SignalsEvents;
  private readonly log: Logger;
  private readonly settings: SettingsRepository;
  private readonly readDailyBars: (symbol: string, before: number, limit: number) => readonly Bar[];
  private current: LoadedModel | null = null;
  /** Why no model runs (null while one does). */
  private modelMessage: string | null = 'The strategy model is loading.';
  private loading: Promise<void> | null = null;
  /** Starts of closed decision bars waiting for their prediction. */
  private readonly pending = new Set<number>();
  private draining = false;
  private idleWaiters: (() => void)[] = [];
  /** The earliest rewind point since the running batch started (Infinity when none). */
  private rewoundTo = Number.POSITIVE_INFINITY;
  /** The model run of the batch in progress, so a swapped-out model closes only after it. */
  private inFlight: Promise<unknown> = Promise.resolve();
  private readonly trainingListeners = new Set<(progress: TrainingProgress) => void>();
  private job: { jobId: string; phase: TrainingProgress['phase'] } | null = null;
  /**
   * The latest job's last progress until the trader decides on its candidate: a window that opens (or
   * reconnects) mid-job or with a candidate waiting gets it at once, not at the next epoch.
   */
  private lastTraining: TrainingProgress | null = null;
  /** Finished candidates by job id: their folder, waiting for the trader's decision. */
  private readonly candidates = new Map<string, string>();
  private jobCount = 0;
  private readonly unsubscribe: (() => void)[] = [];
  private started = false;
  private stopped = false;

  constructor(private readonly parts: SignalsServiceParts) {
    this.log = parts.log.child('signals');
    this.settings = parts.settings ?? parts.store.settings;
    this.readDailyBars =
      parts.readDailyBars ??
      ((symbol, before, limit) => {
        parts.store.barWriter.flush();
        return parts.store.bars.range(symbol, '1D', { before, limit });
      });
    this.handlers = {
      'signals.model': () => ({ model: this.modelInfo(), message: this.modelMessage }),
      'signals.features': () => ({
        streams: FEATURE_STREAMS.map(featureStreamInfo),
        latest: parts.store.predictions.list({ limit: 1 })[0]?.features ?? null,
      }),
      'signals.predictions': ({ before, limit }) =>
        newestWithinMessageBudget(
          parts.store.predictions.list(before === undefined ? { limit } : { before, limit }),
        ),
      'signals.explain': ({ barStart }) => this.explain(barStart),
      'signals.scorecard': () => this.scorecard(),
      'signals.retrain': ({ from, to }) => this.retrain(from, to),
      'signals.decideCandidate': ({ jobId, accept }) => this.decideCandidate(jobId, accept),
      'signals.useShippedModel': () => this.useShippedModel(),
    };
    this.events = {
      'signals.prediction': (_arg, emit) => parts.bus.subscribe('signals.prediction', emit),
      'signals.training': (_arg, emit) => {
        this.trainingListeners.add(emit);
        if (this.lastTraining) emit(this.lastTraining);
        return () => this.trainingListeners.delete(emit);
      },
    };
  }

  /** Subscribes to the market topics and loads the model (accepted, else the shipped one). */
  start(): void {
    if (this.started) return;
    this.started = true;
    const { bus } = this.parts;
    this.unsubscribe.push(
      bus.subscribe('market.bars', (bars) => this.onBars(bars)),
      bus.subscribe('market.rewound', (t) => this.onRewound(t)),
    );
    this.loading = this.loadAtStart().finally(() => {
      this.loading = null;
      if (this.current === null) this.pending.clear();
      this.kick();
    });
  }

  /** Stops deciding and cancels a training job; the model closes once a run in progress ends. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const stop of this.unsubscribe) stop();
    this.pending.clear();
    this.trainingListeners.clear();
    if (this.job) this.parts.trainer?.cancel(this.job.jobId);
    const running = this.current;
    this.current = null;
    if (running) this.retire(running.model);
    this.resolveIdle();
  }

  /** The model part of EngineStatus. */
  statusModel(): EngineStatus['model'] {
    const model = this.current?.model;
    return model ? { version: model.manifest.version, provider: model.provider } : null;
  }

  /** Resolves once the model is loaded and every queued decision is made (tests, benchmarks). */
  whenIdle(): Promise<void> {
    if (!this.busy()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Decisions waiting (queued, not yet in a batch). */
  get queued(): number {
    return this.pending.size;
  }

  private busy(): boolean {
    return !this.stopped && (this.loading !== null || this.draining || this.pending.size > 0);
  }

  private resolveIdle(): void {
    if (this.busy()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  // ---- model ------------------------------------------------------------------------------------

  private async loadAtStart(): Promise<void> {
    const accepted = this.settings.get(MODEL_DIR_SETTING, z.string().min(1));
    const problems: string[] = [];
    for (const dir of [accepted, this.parts.defaultModelDir]) {
      if (dir === undefined || dir === null) continue;
      try {
        const model = await this.parts.loadModel(dir);
        if (this.stopped) {
          await model.close();
          return;
        }
        this.current = { model, dir };
        this.modelMessage = null;
        if (problems.length > 0) this.log.warn(`${problems.join('; ')}; running ${model.manifest.version}`);
        return;
      } catch (error) {
        problems.push(`the strategy model in ${dir} cannot be used (${messageOf(error)})`);
      }
    }
    const shipped = this.parts.defaultModelDir;
    const advice = this.parts.trainer
      ? 'Predictions start once a model trained with Retrain is accepted.'
      : `Predictions start once a model is there: "npx trm train --data <folder of daily CSV files> --out ${
          shipped ?? 'models/trm-default'
        }", then start again.`;
    this.modelMessage = `No strategy model runs: ${
      problems.length > 0 ? problems.join('; ') : 'this build ships no model folder'
    }. ${advice}`;
    this.log.warn(this.modelMessage);
  }

  private modelInfo(): ModelInfo | null {
    const model = this.current?.model;
    if (!model) return null;
    const { manifest } = model;
    return {
      version: manifest.version,
      provider: model.provider,
      trainedFrom: manifest.training.from,
      trainedTo: manifest.training.to,
      features: [...manifest.features],
      cycles: manifest.architecture.cycles,
      latentSteps: manifest.architecture.latentSteps,
      steps: manifest.architecture.steps,
      width: manifest.architecture.width,
      horizon: manifest.horizon,
      shipped: this.current?.dir === this.parts.defaultModelDir,
    };
  }

  private requireModel(): StrategyModel {
    const model = this.current?.model;
    if (!model)
      throw new EngineError('FAILED', this.modelMessage ?? 'No strategy model runs in this engine.');
    return model;
  }

  /** Closes a model no longer used, after the run in progress (which may be using it) ends. */
  private retire(model: StrategyModel): void {
    void this.inFlight
      .catch(() => undefined)
      .then(() => model.close())
      .catch((error: unknown) => this.log.warn(`closing a strategy model failed: ${messageOf(error)}`));
  }

  // ---- decisions --------------------------------------------------------------------------------

  private onBars(bars: readonly Bar[]): void {
    let added = false;
    for (const bar of bars) {
      if (bar.closed && bar.timeframe === '1D' && bar.symbol === CLOCK_SYMBOL) {
        this.pending.add(bar.start);
        added = true;
      }
    }
    if (added) this.kick();
  }

  private onRewound(t: number): void {
    for (const start of this.pending) if (start >= t) this.pending.delete(start);
    this.rewoundTo = Math.min(this.rewoundTo, t);
    this.parts.store.predictions.deleteFrom(t);
  }

  /** Starts draining the queue unless a drain runs, the model is loading or none runs. */
  private kick(): void {
    if (this.draining || this.loading !== null || this.stopped) return this.resolveIdle();
    if (this.current === null) this.pending.clear();
    if (this.pending.size === 0) return this.resolveIdle();
    this.draining = true;
    void this.drain();
  }

  private async drain(): Promise<void> {
    try {
      // After the synchronous delivery that closed the bar: the other symbols' bars of that session
      // (closed in the same delivery) are then written too.
      await Promise.resolve();
      while (!this.stopped && this.current !== null && this.pending.size > 0) {
        const batch = [...this.pending].sort((a, b) => a - b).slice(0, MAX_DECISION_BATCH);
        for (const start of batch) this.pending.delete(start);
        try {
          await this.decide(batch, this.current);
        } catch (error) {
          this.log.error(
            `predicting ${batch.length} decision bar(s) from ${utcDateOf(batch[0]!)} failed: ${messageOf(error)}`,
          );
        }
      }
    } finally {
      this.draining = false;
      this.resolveIdle();
    }
  }

  /** Predicts the decision bars starting at `starts` (ascending), stores, then publishes them. */
  private async decide(starts: readonly number[], loaded: LoadedModel): Promise<void> {
    const { model } = loaded;
    const { manifest } = model;
    const { store, bus } = this.parts;
    const todo = starts.filter((start) => !store.predictions.has(manifest.version, start));
    if (todo.length === 0) return;
    const panel = this.panelFor(todo);
    const rows: { start: number; row: number }[] = [];
    for (const start of todo) {
      const row = panelRowAtOrBefore(panel, start);
      if (row >= 0 && panel.times[row] === start) rows.push({ start, row });
    }
    if (rows.length === 0) return;
    const width = manifest.features.length;
    const input = new Float32Array(rows.length * width);
    const decided = rows.map(({ start, row }, r) => {
      const values = computeFeatures(panel, row);
      const used = manifest.features.map((id) => values[FEATURE_IDS.indexOf(id)] ?? null);
      const { z, imputed } = normalise(used, manifest.normalisation);
      input.set(z, r * width);
      return { start, features: featureValues(panel, row, values, manifest.features, z), imputed };
    });

    this.rewoundTo = Number.POSITIVE_INFINITY;
    const run = model.run(input, rows.length);
    this.inFlight = run;
    const output = await run;
    if (this.stopped) return;
    const predictions: Prediction[] = [];
    for (let r = 0; r < decided.length; r++) {
      const { start, features, imputed } = decided[r]!;
      // A seek back during the run deleted this bar: its prediction belongs to a future that is gone.
      if (start >= this.rewoundTo) continue;
      const probabilities = probabilitiesOf(output.probabilities, r, manifest.strategies);
      predictions.push({
        barStart: start,
        time: this.parts.calendar.sessionAt(start)?.close ?? start,
        modelVersion: manifest.version,
        strategy: STRATEGY_IDS[argmax(probabilities)]!,
        probabilities,
        haltProbability: unit(output.halt[r]!),
        features,
        imputed,
      });
    }
    store.predictions.insert(predictions);
    for (const prediction of predictions) bus.publish('signals.prediction', prediction);
  }

  /**
   * The daily panel of the feature symbols from MAX_FEATURE_LOOKBACK + LOOKBACK_MARGIN sessions before
   * the first bar of `starts` up to and including the last one.
   */
  private panelFor(starts: readonly number[]): DailyPanel {
    const first = starts[0]!;
    const before = starts[starts.length - 1]! + 1;
    const history = MAX_FEATURE_LOOKBACK + LOOKBACK_MARGIN;
    let limit = starts.length + history;
    let clock = this.readDailyBars(CLOCK_SYMBOL, before, limit);
    let firstRow = clock.findIndex((bar) => bar.start >= first);
    // Decision bars far apart (some already predicted): read further back until the history is there.
    while (firstRow >= 0 && firstRow < history && clock.length === limit) {
      limit += history - firstRow;
      clock = this.readDailyBars(CLOCK_SYMBOL, before, limit);
      firstRow = clock.findIndex((bar) => bar.start >= first);
    }
    const from = clock[Math.max(0, firstRow - history)]?.start ?? first;
    const bars: DailyBarLike[] = [...clock];
    for (const symbol of FEATURE_SYMBOLS) {
      if (symbol === CLOCK_SYMBOL) continue;
      for (const bar of this.readDailyBars(symbol, before, clock.length + LOOKBACK_MARGIN)) {
        if (bar.start >= from) bars.push(bar);
      }
    }
    return buildDailyPanel(bars);
  }

  // ---- explanation ------------------------------------------------------------------------------

  /**
   * One batch through the model: the stored z-scores as they were, then one row per input with that
   * input at its training mean (z = 0). delta = p(pick) − p_occluded(pick).
   */
  private async explain(barStart: number): Promise<PredictionExplanation> {
    const model = this.requireModel();
    const { manifest } = model;
    const prediction = this.parts.store.predictions.get(barStart);
    if (prediction === null) {
      throw new EngineError(
        'FAILED',
        `There is no stored prediction for the daily bar of ${utcDateOf(barStart)}.`,
      );
    }
    if (prediction.modelVersion !== manifest.version) {
      throw new EngineError(
        'FAILED',
        `The prediction of ${utcDateOf(barStart)} was made by model ${prediction.modelVersion}, and ` +
          `${manifest.version} runs now: it cannot show the reasoning of a model that is not loaded.`,
      );
    }
    const zOf = new Map(prediction.features.map((f) => [f.id, f.z]));
    const width = manifest.features.length;
    const base = Float32Array.from(manifest.features, (id) => zOf.get(id) ?? 0);
    const rows = 1 + width;
    const input = new Float32Array(rows * width);
    for (let r = 0; r < rows; r++) {
      input.set(base, r * width);
      if (r > 0) input[r * width + (r - 1)] = 0;
    }
    const output = await model.run(input, rows);
    const { steps, cycles } = manifest.architecture;
    const answers = steps * cycles;
    checkCycles(output, rows, answers);
    const pick = STRATEGY_IDS.indexOf(prediction.strategy);
    const pickOf = (r: number): number =>
      probabilitiesOf(output.probabilities, r, manifest.strategies)[pick]!;
    const chosen = pickOf(0);
    return {
      barStart,
      cycles: Array.from({ length: answers }, (_, j) => ({
        step: Math.floor(j / cycles) + 1,
        cycle: (j % cycles) + 1,
        probabilities: probabilitiesOf(output.cycleProbabilities, j, manifest.strategies),
        haltProbability: unit(output.cycleHalt[j]!),
      })),
      contributions: manifest.features.map((id, k) => ({
        id,
        z: zOf.get(id) ?? null,
        delta: chosen - pickOf(k + 1),
      })),
    };
  }

  // ---- scorecard --------------------------------------------------------------------------------

  private scorecard(): Scorecard {
    const model = this.current?.model ?? null;
    const stored = this.parts.store.predictions.all();
    const version = model?.manifest.version ?? stored.at(-1)?.modelVersion ?? null;
    const predictions = stored.filter((p) => p.modelVersion === version);
    const horizon = model?.manifest.horizon ?? DEFAULT_HORIZON;
    const first = predictions[0];
    const panel = first === undefined ? null : this.historyPanel(SCORECARD_SYMBOLS, first.barStart);
    const training = model?.manifest.training;
    return computeScorecard({
      modelVersion: version,
      horizon,
      predictions,
      panel,
      ...(training ? { trainedFrom: training.from, trainedTo: training.to } : {}),
    });
  }

  /**
   * The daily panel of `symbols` (the clock symbol included) over every stored session from `from` on
   * (all of them without `from`), the forming bar included.
   */
  private historyPanel(symbols: readonly string[], from?: number): DailyPanel {
    const clock = this.readDailyBars(CLOCK_SYMBOL, Number.MAX_SAFE_INTEGER, MAX_HISTORY_SESSIONS);
    const kept = from === undefined ? clock : clock.filter((bar) => bar.start >= from);
    const bars: DailyBarLike[] = [...kept];
    const start = kept[0]?.start ?? Number.POSITIVE_INFINITY;
    for (const symbol of new Set(symbols)) {
      if (symbol === CLOCK_SYMBOL) continue;
      for (const bar of this.readDailyBars(symbol, Number.MAX_SAFE_INTEGER, MAX_HISTORY_SESSIONS)) {
        if (bar.start >= start) bars.push(bar);
      }
    }
    return buildDailyPanel(bars);
  }

  // ---- retraining -------------------------------------------------------------------------------

  private retrain(from: string | undefined, to: string | undefined): { jobId: string } {
    const { trainer } = this.parts;
    if (!trainer) throw new EngineError('FAILED', RETRAIN_UNAVAILABLE);
    if (this.job) {
      throw new EngineError(
        'FAILED',
        `A model is already training (job ${this.job.jobId}); wait for it to finish before starting another.`,
      );
    }
    let panel: DailyPanel;
    try {
      panel = this.historyPanel([...FEATURE_SYMBOLS, ...STRATEGY_SYMBOLS]);
    } catch (error) {
      throw new EngineError('FAILED', `Cannot retrain: ${messageOf(error)}.`);
    }
    const trainFrom = from ?? utcDateOf(panel.times[0]!);
    const trainTo = to ?? utcDateOf(panel.times[panel.times.length - 1]!);
    if (trainFrom > trainTo) {
      throw new EngineError(
        'FAILED',
        `Cannot retrain from ${trainFrom} to ${trainTo}: the start is after the end.`,
      );
    }
    const jobId = `retrain-${utcDateOf(this.parts.timers.now()).replaceAll('-', '')}-${++this.jobCount}`;
    const outDir = join(this.parts.candidatesDir, jobId);
    const job = { jobId, phase: 'preparing' as TrainingProgress['phase'] };
    this.job = job;
    const report = (progress: TrainingProgress): void => {
      job.phase = progress.phase;
      // Known before the promise settles: an Accept right after `done` finds the candidate.
      if (progress.phase === 'done') this.candidates.set(jobId, outDir);
      this.lastTraining = progress;
      for (const listener of this.trainingListeners) listener(progress);
    };
    this.log.info(`retraining (job ${jobId}) on daily bars from ${trainFrom} to ${trainTo}`);
    trainer
      .train(
        { jobId, panel, from: trainFrom, to: trainTo, outDir, currentDir: this.current?.dir ?? null },
        report,
      )
      .then(({ dir }) => {
        this.candidates.set(jobId, dir);
        this.log.info(`job ${jobId}: candidate model ready in ${dir}; it runs once accepted`);
      })
      .catch((error: unknown) => {
        this.log.warn(`job ${jobId}: retraining failed: ${messageOf(error)}`);
        if (job.phase !== 'failed') report(trainingProgress(jobId, 'failed', messageOf(error)));
      })
      .finally(() => {
        if (this.job === job) this.job = null;
      });
    return { jobId };
  }

  private async decideCandidate(
    jobId: string,
    accept: boolean,
  ): Promise<{ model: ModelInfo | null; message: string | null }> {
    if (this.job?.jobId === jobId && !this.candidates.has(jobId)) {
      throw new EngineError('FAILED', `Job ${jobId} is still training; decide once it is done.`);
    }
    const dir = this.candidates.get(jobId);
    if (dir === undefined) {
      throw new EngineError(
        'FAILED',
        `There is no candidate model of job ${jobId} waiting for a decision (it failed, was decided ` +
          'already, or the engine restarted since).',
      );
    }
    if (this.lastTraining?.jobId === jobId) this.lastTraining = null;
    if (!accept) {
      this.candidates.delete(jobId);
      rmSync(dir, { recursive: true, force: true });
      this.log.info(`job ${jobId}: candidate rejected; ${dir} deleted`);
      return {
        model: this.modelInfo(),
        message: `The candidate model of job ${jobId} was rejected and deleted.`,
      };
    }
    let model: StrategyModel;
    try {
      model = await this.parts.loadModel(dir);
    } catch (error) {
      throw new EngineError(
        'FAILED',
        `The candidate model of job ${jobId} cannot be loaded: ${messageOf(error)}`,
      );
    }
    if (this.stopped) {
      await model.close();
      throw new EngineError('FAILED', 'The engine stopped before the candidate model could run.');
    }
    this.candidates.delete(jobId);
    const previous = this.current;
    this.current = { model, dir };
    this.modelMessage = null;
    this.settings.set(MODEL_DIR_SETTING, dir);
    if (previous) this.retire(previous.model);
    const { version } = model.manifest;
    this.log.info(`model ${version} accepted (${dir}); it makes the next decisions`);
    return {
      model: this.modelInfo(),
      message: `Model ${version} makes the decisions from the next daily close on.`,
    };
  }

  /** Swaps the shipped model back in and forgets the accepted one (its folder stays on disk). */
  private async useShippedModel(): Promise<{ model: ModelInfo | null; message: string | null }> {
    const dir = this.parts.defaultModelDir;
    if (dir === null) throw new EngineError('FAILED', 'This build ships no model folder.');
    if (this.current?.dir === dir)
      return { model: this.modelInfo(), message: 'The shipped model already runs.' };
    let model: StrategyModel;
    try {
      model = await this.parts.loadModel(dir);
    } catch (error) {
      throw new EngineError('FAILED', `The shipped model in ${dir} cannot be loaded: ${messageOf(error)}`);
    }
    if (this.stopped) {
      await model.close();
      throw new EngineError('FAILED', 'The engine stopped before the shipped model could run.');
    }
    const previous = this.current;
    this.current = { model, dir };
    this.modelMessage = null;
    this.settings.delete(MODEL_DIR_SETTING);
    if (previous) this.retire(previous.model);
    const { version } = model.manifest;
    this.log.info(`back to the shipped model ${version} (${dir}); it makes the next decisions`);
    return {
      model: this.modelInfo(),
      message: `The shipped model ${version} makes the decisions from the next daily close on.`,
    };
  }
}

/** Every stream's value at a row, with its z-score where the model uses it. */
function featureValues(
  panel: DailyPanel,
  row: number,
  values: readonly (number | null)[],
  inputs: readonly FeatureId[],
  z: Float32Array,
): FeatureValue[] {
  return FEATURE_STREAMS.map((stream, k) => {
    const raw = values[k];
    const value = raw === null || raw === undefined || !Number.isFinite(raw) ? null : raw;
    const input = inputs.indexOf(stream.id);
    return {
      id: stream.id,
      value,
      z: value === null || input < 0 ? null : z[input]!,
      available: value !== null,
      reason: value === null ? missingReason(stream, panel, row) : null,
    };
  });
}

/**
 * Why a stream has no value at a row, in words: no source; symbols without a bar that session (named
 * when few, counted when the stream reads many, like the sector ETFs); else a history too short.
 */
function missingReason(stream: FeatureStreamDefinition, panel: DailyPanel, row: number): string {
  if (stream.unavailable !== null) return stream.unavailable;
  if (stream.missingReason !== undefined) return stream.missingReason(panel, row);
  const has = (symbol: string): boolean => Number.isFinite(panel.close.get(symbol)?.[row] ?? Number.NaN);
  const absent = stream.symbols.filter((symbol) => !has(symbol));
  if (absent.length > 0 && (absent.length === stream.symbols.length || stream.symbols.length <= 4)) {
    return `no daily bar of ${listed(absent)} for this session`;
  }
  if (absent.length > 0) {
    const present = stream.symbols.filter(has);
    return `daily bars of only ${present.length} of its ${stream.symbols.length} symbols for this session (${listed(present)})`;
  }
  return `not enough daily history: it needs ${stream.lookback} earlier sessions of ${listed(stream.symbols)}`;
}

function listed(symbols: readonly string[]): string {
  return symbols.length <= 4
    ? symbols.join(', ')
    : `${symbols.slice(0, 4).join(', ')} and ${symbols.length - 4} more`;
}

/** Row r of a [rows, 8] output in the manifest's class order, as probabilities in STRATEGY_IDS order. */
function probabilitiesOf(
  output: Float32Array,
  r: number,
  order: readonly (typeof STRATEGY_IDS)[number][],
): number[] {
  const out = new Array<number>(STRATEGY_IDS.length).fill(0);
  for (let k = 0; k < order.length; k++)
    out[STRATEGY_IDS.indexOf(order[k]!)] = unit(output[r * order.length + k]!);
  return out;
}

function checkCycles(output: StrategyModelOutput, rows: number, answers: number): void {
  if (output.cycleHalt.length < rows * answers || output.cycleProbabilities.length < rows * answers * 8) {
    throw new EngineError(
      'FAILED',
      `The model's per-cycle outputs are shorter than its manifest says (${answers} answers per row).`,
    );
  }
}

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k]! > values[best]!) best = k;
  return best;
}

/** A float32 probability as a number in [0, 1] (rounding can leave it a hair outside). */
function unit(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
