/**
 * One training job in a worker thread, both sides: runWorkerJob on the calling thread (start the worker,
 * send the request, relay progress, settle once, terminate on abort) and serveWorkerJob inside the worker
 * (validate the request, run it, post progress, then the result or why it failed). The TRM trainer
 * (trm/train-in-worker.ts) and the sentiment trainer (sentiment/train-in-worker.ts) both run through it.
 *
 * Where a worker's code is: in the built app, its own `<name>.js` entry beside the bundle (electron-vite
 * builds it, see electron.vite.config.ts; shared code may sit one folder down in chunks/). Run from source
 * (tests, benchmarks, tsx), it is the `.ts` file beside the caller, loaded through tsx's loader registered
 * inside the worker (as market/import/worker-client.ts does).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parentPort, Worker } from 'node:worker_threads';
import type { z } from 'zod';

/** Where a worker's code is, relative to the module that starts it. */
export interface WorkerEntry {
  /** The starting module's `import.meta.url`: the worker's files sit beside it. */
  callerUrl: string;
  /** The worker's source file beside the caller, run from source (e.g. `train-worker.ts`). */
  sourceFile: string;
  /** The worker's built entry (e.g. `trm-train-worker.js`), beside the bundle or one folder up. */
  builtFile: string;
  /** The worker in words, for the missing-file error (e.g. "training worker"). */
  name: string;
}

/** Messages a job's worker sends back: progress any number of times, then done or failed once. */
export type WorkerReply<Progress, Done extends { type: 'done' }> =
  { type: 'progress'; progress: Progress } | Done | { type: 'failed'; message: string };

/**
 * Starts the worker of `entry`. Throws "the <name> (<builtFile>) is missing next to <file>: rebuild the
 * app" when the built entry is not there.
 */
export function spawnWorker(entry: WorkerEntry): Worker {
  const here = fileURLToPath(entry.callerUrl);
  const dir = dirname(here);
  if (here.endsWith('.ts')) {
    const source = join(dir, entry.sourceFile);
    const boot =
      `const { register } = await import(${JSON.stringify(tsxLoaderUrl())});` +
      `register();` +
      `await import(${JSON.stringify(pathToFileURL(source).href)});`;
    return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
  }
  for (const candidate of [join(dir, entry.builtFile), join(dir, '..', entry.builtFile)]) {
    if (existsSync(candidate)) return new Worker(candidate);
  }
  throw new Error(`the ${entry.name} (${entry.builtFile}) is missing next to ${here}: rebuild the app`);
}

/** tsx's ESM loader API (its `import` entry; require() resolves the CommonJS one beside it). */
function tsxLoaderUrl(): string {
  const resolved = createRequire(import.meta.url).resolve('tsx/esm/api');
  return pathToFileURL(resolved.replace(/\.c?js$/, '.mjs')).href;
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * Runs one job in a fresh worker: posts `request`, validates every reply with `replies`, passes progress
 * to `onProgress` and resolves with `result(done)`. The worker is terminated once the job settles.
 * Rejects with `cancelled()` when `signal` aborts (at once, the worker terminated), with the worker's
 * message when it fails, with "the training worker sent a malformed message: …", with the error
 * onProgress throws, and with "the training worker stopped (exit code N)" if the thread dies.
 */
export function runWorkerJob<Progress, Done extends { type: 'done' }, Result>(job: {
  entry: WorkerEntry;
  request: unknown;
  replies: z.ZodType<WorkerReply<Progress, Done>>;
  result: (done: Done) => Result;
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal | undefined;
  cancelled: () => Error;
}): Promise<Result> {
  const { signal } = job;
  if (signal?.aborted) return Promise.reject(job.cancelled());
  return new Promise<Result>((resolve, reject) => {
    let worker: Worker;
    try {
      worker = spawnWorker(job.entry);
    } catch (error) {
      reject(asError(error));
      return;
    }
    let settled = false;
    const settle = (outcome: { value: Result } | { error: Error }): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if ('value' in outcome) resolve(outcome.value);
      else reject(outcome.error);
    };
    const onAbort = (): void => settle({ error: job.cancelled() });
    signal?.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (raw: unknown) => {
      const parsed = job.replies.safeParse(raw);
      if (!parsed.success) {
        settle({ error: new Error(`the training worker sent a malformed message: ${parsed.error.message}`) });
        return;
      }
      const message = parsed.data;
      if (message.type === 'progress') {
        try {
          job.onProgress?.(message.progress);
        } catch (error) {
          settle({ error: asError(error) });
        }
      } else if (message.type === 'failed') settle({ error: new Error(message.message) });
      else settle({ value: job.result(message) });
    });
    worker.on('error', (error) => settle({ error }));
    worker.on('exit', (code) =>
      settle({ error: new Error(`the training worker stopped (exit code ${code})`) }),
    );
    worker.postMessage(job.request);
  });
}

/**
 * The worker's side of runWorkerJob: takes the one request, validates it with `requests` (a malformed
 * one is answered "the training worker got a malformed request: …"), runs it with a progress callback
 * that posts progress, and posts the done message `run` resolves with (its `transfer` buffers moved, not
 * copied) or the message of what it threw. Throws "<name> runs as a worker thread" outside a worker.
 */
export function serveWorkerJob<Request, Progress, Done extends { type: 'done' }>(
  name: string,
  requests: z.ZodType<Request>,
  run: (
    request: Request,
    onProgress: (progress: Progress) => void,
  ) => Promise<{ done: Done; transfer: ArrayBuffer[] }>,
): void {
  const port = parentPort;
  if (port === null) throw new Error(`${name} runs as a worker thread`);
  const post = (message: WorkerReply<Progress, Done>, transfer: ArrayBuffer[] = []): void =>
    port.postMessage(message, transfer);

  port.once('message', (raw: unknown) => {
    void (async () => {
      const parsed = requests.safeParse(raw);
      if (!parsed.success) {
        post({
          type: 'failed',
          message: `the training worker got a malformed request: ${parsed.error.message}`,
        });
        return;
      }
      try {
        const { done, transfer } = await run(parsed.data, (progress) => post({ type: 'progress', progress }));
        post(done, transfer);
      } catch (error) {
        post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
}
