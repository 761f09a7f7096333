/**
 * Runs trainTrm in a worker thread (train-worker.ts), so a training of minutes never blocks the
 * engine's event loop.
 *
 * Where the worker's code is: in the built app, `trm-train-worker.js` beside the bundle (electron-vite
 * builds it as its own entry, see electron.vite.config.ts; shared code may sit one folder down in
 * chunks/). Run from source (tests, benchmarks, tsx), it is `train-worker.ts` beside this file, loaded
 * through tsx's loader registered inside the worker (as market/import/worker-client.ts does).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TrmConfig } from './config';
import {
  TrainingCancelled,
  trainedTrmFrom,
  type TrainedTrm,
  type TrmDataset,
  type TrmEpochProgress,
} from './trainer';
import { FromWorkerSchema, type ToWorker } from './worker-protocol';

const SOURCE_FILE = 'train-worker.ts';
const BUILT_FILE = 'trm-train-worker.js';

function spawnWorker(): Worker {
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  if (here.endsWith('.ts')) {
    const source = join(dir, SOURCE_FILE);
    const boot =
      `const { register } = await import(${JSON.stringify(tsxLoaderUrl())});` +
      `register();` +
      `await import(${JSON.stringify(pathToFileURL(source).href)});`;
    return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
  }
  for (const candidate of [join(dir, BUILT_FILE), join(dir, '..', BUILT_FILE)]) {
    if (existsSync(candidate)) return new Worker(candidate);
  }
  throw new Error(`the training worker (${BUILT_FILE}) is missing next to ${here}: rebuild the app`);
}

/** tsx's ESM loader API (its `import` entry; require() resolves the CommonJS one beside it). */
function tsxLoaderUrl(): string {
  const resolved = createRequire(import.meta.url).resolve('tsx/esm/api');
  return pathToFileURL(resolved.replace(/\.c?js$/, '.mjs')).href;
}

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
  if (signal?.aborted) return Promise.reject(new TrainingCancelled());
  return new Promise<TrainedTrm>((resolve, reject) => {
    let worker: Worker;
    try {
      worker = spawnWorker();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    let settled = false;
    const settle = (outcome: { value: TrainedTrm } | { error: Error }): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if ('value' in outcome) resolve(outcome.value);
      else reject(outcome.error);
    };
    const onAbort = (): void => settle({ error: new TrainingCancelled() });
    signal?.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (raw: unknown) => {
      const parsed = FromWorkerSchema.safeParse(raw);
      if (!parsed.success) {
        settle({ error: new Error(`the training worker sent a malformed message: ${parsed.error.message}`) });
        return;
      }
      const message = parsed.data;
      switch (message.type) {
        case 'progress':
          try {
            onProgress(message.progress);
          } catch (error) {
            settle({ error: error instanceof Error ? error : new Error(String(error)) });
          }
          return;
        case 'done':
          settle({ value: trainedTrmFrom(message.trained) });
          return;
        case 'failed':
          settle({ error: new Error(message.message) });
          return;
      }
    });
    worker.on('error', (error) => settle({ error }));
    worker.on('exit', (code) =>
      settle({ error: new Error(`the training worker stopped (exit code ${code})`) }),
    );

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
    worker.postMessage(request);
  });
}
