/**
 * Runs trainSentiment in a worker thread (train-worker.ts), so minutes of training never block the
 * calling thread's event loop (the app's Retrain pattern). The thread is started and driven by
 * ../worker-job.ts, as the TRM's is; in the built app its code is the `sentiment-train-worker.js` entry
 * (see electron.vite.config.ts).
 */
import { runWorkerJob } from '../worker-job';
import type {
  SentimentTrainConfig,
  SentimentTrainOptions,
  TokenisedTexts,
  TrainedSentiment,
} from './trainer';
import { FromWorkerSchema, type ToWorker } from './worker-protocol';

/**
 * trainSentiment in a worker thread, with the same inputs and result. Rejects with the trainer's
 * message when training fails, with "cancelled" when `signal` aborts (the worker is terminated), and
 * with "the training worker stopped …" if the thread dies.
 */
export function trainSentimentInWorker(
  train: TokenisedTexts,
  validation: TokenisedTexts,
  config: SentimentTrainConfig,
  options: SentimentTrainOptions<Float32Array> & { signal?: AbortSignal } = {},
): Promise<TrainedSentiment> {
  const request: ToWorker = {
    type: 'train',
    train: { tokens: train.tokens, labels: train.labels },
    validation: { tokens: validation.tokens, labels: validation.labels },
    config,
    pretrained: options.pretrained ? new Map(options.pretrained) : null,
  };
  return runWorkerJob({
    entry: {
      callerUrl: import.meta.url,
      sourceFile: 'train-worker.ts',
      builtFile: 'sentiment-train-worker.js',
      name: 'sentiment training worker',
    },
    request,
    replies: FromWorkerSchema,
    result: (done): TrainedSentiment => done.trained,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    signal: options.signal,
    cancelled: () => new Error('cancelled'),
  });
}
