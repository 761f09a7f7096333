/**
 * One training job in a worker thread, both sides: runWorkerJob on the calling thread (start the worker,
 * send the request, relay progress, settle once, terminate on abort) and serveWorkerJob inside the worker
 * (validate the request, run it, post progress, then the result or why it failed). The TRM trainer
 * (trm/train-in-worker.ts) and the sentiment trainer (sentiment/train-in-worker.ts) both run through it.
 * The worker is started by platform/worker-entry.ts (the built entry, or the source through tsx).
 */
import { parentPort, type Worker } from 'node:worker_threads';
import type { z } from 'zod';
import { spawnWorker, type WorkerEntry } from '../platform/worker-entry';

/** Messages a job's worker sends back: progress any number of times, then done or failed once. */
export type WorkerReply<Progress, Done extends { type: 'done' }> =
  { type: 'progress'; progress: Progress } | Done | { type: 'failed'; message: string };

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
