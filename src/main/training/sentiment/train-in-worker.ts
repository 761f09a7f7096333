/**
 * Runs trainSentiment in a worker thread (train-worker.ts), so minutes of training never block the
 * calling thread's event loop (the app's Retrain pattern, as training/trm/train-in-worker.ts).
 *
 * Where the worker's code is: in the built app, `sentiment-train-worker.js` beside the bundle (an entry
 * of electron.vite.config.ts; shared code may sit one folder down in chunks/). From source (tests, tsx)
 * it is `train-worker.ts` beside this file, loaded through tsx's loader registered inside the worker.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type {
  SentimentEpochProgress,
  SentimentTrainConfig,
  TokenisedTexts,
  TrainedSentiment,
} from './trainer';
import { FromWorkerSchema, type ToWorker } from './worker-protocol';

const SOURCE_FILE = 'train-worker.ts';
const BUILT_FILE = 'sentiment-train-worker.js';

function spawnWorker(): Worker {
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  if (here.endsWith('.ts')) {
    const loader = pathToFileURL(
      createRequire(import.meta.url)
        .resolve('tsx/esm/api')
        .replace(/\.c?js$/, '.mjs'),
    ).href;
    const boot =
      `const { register } = await import(${JSON.stringify(loader)});` +
      `register();` +
      `await import(${JSON.stringify(pathToFileURL(join(dir, SOURCE_FILE)).href)});`;
    return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
  }
  for (const candidate of [join(dir, BUILT_FILE), join(dir, '..', BUILT_FILE)]) {
    if (existsSync(candidate)) return new Worker(candidate);
  }
  throw new Error(
    `the sentiment training worker (${BUILT_FILE}) is missing next to ${here}: rebuild the app`,
  );
}

/**
 * trainSentiment in a worker thread, with the same inputs and result. Rejects with the trainer's
 * message when training fails, with "cancelled" when `signal` aborts (the worker is terminated), and
 * with "the training worker stopped …" if the thread dies.
 */
export function trainSentimentInWorker(
  train: TokenisedTexts,
  validation: TokenisedTexts,
  config: SentimentTrainConfig,
  options: {
    pretrained?: ReadonlyMap<number, Float32Array>;
    onProgress?: (progress: SentimentEpochProgress) => void;
    signal?: AbortSignal;
  } = {},
): Promise<TrainedSentiment> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(new Error('cancelled'));
  return new Promise<TrainedSentiment>((resolve, reject) => {
    let worker: Worker;
    try {
      worker = spawnWorker();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    let settled = false;
    const settle = (outcome: { value: TrainedSentiment } | { error: Error }): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if ('value' in outcome) resolve(outcome.value);
      else reject(outcome.error);
    };
    const onAbort = (): void => settle({ error: new Error('cancelled') });
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (raw: unknown) => {
      const parsed = FromWorkerSchema.safeParse(raw);
      if (!parsed.success) {
        settle({ error: new Error(`the training worker sent a malformed message: ${parsed.error.message}`) });
        return;
      }
      const message = parsed.data;
      if (message.type === 'progress') {
        try {
          options.onProgress?.(message.progress);
        } catch (error) {
          settle({ error: error instanceof Error ? error : new Error(String(error)) });
        }
      } else if (message.type === 'done') settle({ value: message.trained });
      else settle({ error: new Error(message.message) });
    });
    worker.on('error', (error) => settle({ error }));
    worker.on('exit', (code) =>
      settle({ error: new Error(`the training worker stopped (exit code ${code})`) }),
    );
    const request: ToWorker = {
      type: 'train',
      train: { tokens: train.tokens, labels: train.labels },
      validation: { tokens: validation.tokens, labels: validation.labels },
      config,
      pretrained: options.pretrained ? new Map(options.pretrained) : null,
    };
    worker.postMessage(request);
  });
}
