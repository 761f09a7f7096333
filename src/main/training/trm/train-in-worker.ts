/**
 * Runs trainTrm in a worker thread (train-worker.ts), so a training of minutes never blocks the
 * engine's event loop. The thread is started and driven by ../worker-job.ts; in the built app its code
 * is the `trm-train-worker.js` entry (see electron.vite.config.ts).
 */
import { runWorkerJob } from '../worker-job';
import type { TrmConfig } from './config';
import {
  TrainingCancelled,
  trainedTrmFrom,
  type TrainedTrm,
  type TrmDataset,
  type TrmEpochProgress,
} from './trainer';
import { FromWorkerSchema, type ToWorker } from './worker-protocol';

/**
 * trainTrm in a worker thread, with the same inputs and result. Progress arrives per epoch. Rejects
 * with TrainingCancelled ("cancelled") when `signal` aborts (the worker is terminated at once), with the
 * trainer's message when training fails, and with "the training worker stopped …" if the thread dies.
 */
export function trainTrmInWorker(
  dataset: TrmDataset,
  validation: TrmDataset,
  config: Partial<TrmConfig> = {},
  onProgress: (progress: TrmEpochProgress) => void = () => {},
  signal?: AbortSignal,
): Promise<TrainedTrm> {
  const request: ToWorker = {
    type: 'train',
    dataset: { x: dataset.x, labels: dataset.labels, rows: dataset.rows, features: dataset.features },
    validation: {
      x: validation.x,
      labels: validation.labels,
      rows: validation.rows,
      features: validation.features,
    },
    config,
  };
  return runWorkerJob({
    entry: {
      callerUrl: import.meta.url,
      sourceFile: 'train-worker.ts',
      builtFile: 'trm-train-worker.js',
      name: 'training worker',
    },
    request,
    replies: FromWorkerSchema,
    result: (done) => trainedTrmFrom(done.trained),
    onProgress,
    signal,
    cancelled: () => new TrainingCancelled(),
  });
}
