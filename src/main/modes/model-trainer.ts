/**
 * Retrain's trainer (the engine's ModelTrainer port): the same pipeline as `trm train` without the
 * cross-validation (training/train-pipeline.ts; each TRM trains in a worker thread, so the engine's event
 * loop stays free), the model folder written to the job's candidate folder, then the candidate and the
 * running model backtested through ONNX Runtime (the path the app predicts with) on the days the
 * candidate did not train on, next to the baselines. The training modules (tfjs) load on the first
 * Retrain only.
 */
import { STRATEGY_IDS, trainingProgress, type TrainingProgress } from '../../shared/domain';
import { DEFAULT_HORIZON } from '../core/signals/labels';
import { definedMetrics } from '../core/signals/performance';
import type { ModelTrainer, RetrainRequest, StrategyModel } from '../engine/ports';
import type { Logger } from '../platform/log';
import type { TrmConfig } from '../training/trm/config';

/** Widths tried on validation (the CLI's default). */
const WIDTHS = [16, 32];

export interface ModelTrainerOptions {
  log: Logger;
  loadModel(dir: string): Promise<StrategyModel>;
  /** Widths to choose from (default WIDTHS) and TRM settings (tests train tiny models). */
  widths?: number[];
  config?: Partial<TrmConfig>;
}

export function createModelTrainer(options: ModelTrainerOptions): ModelTrainer {
  const jobs = new Map<string, AbortController>();

  async function train(
    request: RetrainRequest,
    onProgress: (progress: TrainingProgress) => void,
  ): Promise<{ dir: string }> {
    const { jobId, panel, outDir } = request;
    const controller = new AbortController();
    jobs.set(jobId, controller);
    const base = trainingProgress(jobId, 'preparing');
    try {
      onProgress({ ...base, message: 'Computing features and labels' });
      const [{ runTrainPipeline }, { trainTrmInWorker }, { writeModelFolder }, { backtestModel }] =
        await Promise.all([
          import('../training/train-pipeline'),
          import('../training/trm/train-in-worker'),
          import('../training/trm/model-folder'),
          import('../training/model-backtest'),
        ]);
      const result = await runTrainPipeline({
        panel,
        from: request.from,
        to: request.to,
        horizon: DEFAULT_HORIZON,
        widths: options.widths ?? WIDTHS,
        ...(options.config ? { config: options.config } : {}),
        seed: 1,
        evaluate: false,
        train: trainTrmInWorker,
        signal: controller.signal,
        onProgress: (p) =>
          onProgress({
            ...base,
            phase: 'training',
            epoch: p.epoch?.epoch ?? 0,
            epochs: p.epoch?.epochs ?? 0,
            loss: p.epoch?.loss ?? null,
            accuracy: p.epoch?.accuracy ?? null,
            valLoss: p.epoch?.valLoss ?? null,
            valAccuracy: p.epoch?.valAccuracy ?? null,
            etaMs: p.epoch?.etaMs ?? null,
            message: `Training ${p.stage} (${p.done + 1} of ${p.total})`,
          }),
      });
      const manifest = await writeModelFolder(outDir, result.trained, {
        normalisation: result.normalisation,
        horizon: DEFAULT_HORIZON,
        baselines: { majority: STRATEGY_IDS[result.majority]!, logistic: result.logistic },
        training: { from: result.window.from, to: result.window.to },
      });
      onProgress({
        ...base,
        phase: 'evaluating',
        message: 'Backtesting the candidate and the running model',
      });
      const window = { from: result.window.validationFrom, to: request.to };
      const candidate = await options.loadModel(outDir);
      const current = request.currentDir
        ? await options.loadModel(request.currentDir).catch((error: unknown) => {
            options.log.warn(`the running model could not be loaded for the comparison: ${String(error)}`);
            return null;
          })
        : null;
      try {
        const candidateRun = await backtestModel(panel, candidate, window);
        const currentRun = current ? await backtestModel(panel, current, window) : null;
        onProgress({
          ...base,
          phase: 'done',
          message: `Candidate ${manifest.version} is ready: accept it to use it from the next decision.`,
          report: {
            candidateVersion: manifest.version,
            from: candidateRun.from,
            to: candidateRun.to,
            candidate: definedMetrics(candidateRun.metrics.model),
            current: currentRun ? definedMetrics(currentRun.metrics.model) : null,
            baselines: Object.fromEntries(
              Object.entries(candidateRun.metrics.baselines).map(([id, m]) => [id, definedMetrics(m)]),
            ),
            accuracy: candidateRun.classification?.model.accuracy ?? 0,
            balancedAccuracy: candidateRun.classification?.model.balancedAccuracy ?? 0,
            majorityRate: candidateRun.classification?.model.majorityRate ?? 0,
          },
        });
      } finally {
        await candidate.close();
        await current?.close();
      }
      return { dir: outDir };
    } catch (error) {
      const message = controller.signal.aborted
        ? 'cancelled'
        : error instanceof Error
          ? error.message
          : String(error);
      onProgress({ ...base, phase: 'failed', message });
      throw new Error(message, { cause: error });
    } finally {
      jobs.delete(jobId);
    }
  }

  return { train, cancel: (jobId) => jobs.get(jobId)?.abort() };
}
