/**
 * Starts the import worker and runs files through it, one at a time.
 *
 * The thread is started by platform/worker-entry.ts (`import-worker.js` in the built app, see
 * electron.vite.config.ts; `import-worker.ts` beside this file from source).
 */
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../platform/worker-entry';
import type { FileJob, ParseEvent } from './file-parser';
import type { FromWorker, ToWorker } from './worker-protocol';

const WORKER_FILE = 'import-worker';

/** The parser thread: `import-worker.js` in the built app, `import-worker.ts` from source. */
const spawnImportWorker = (): Worker =>
  spawnWorker({
    callerUrl: import.meta.url,
    sourceFile: `${WORKER_FILE}.ts`,
    builtFile: `${WORKER_FILE}.js`,
    name: 'import worker',
  });

/** A parser thread started ahead of an import (prestartImportWorker) that no ImportWorker has taken yet. */
let spare: Worker | null = null;

/**
 * Starts a parser thread now, so that it boots (100-150 ms: its isolate, the parser, papaparse and the
 * domain's modules) while this thread loads the importer and opens the store; the next ImportWorker
 * takes it. Until then it does not keep the process alive. A thread that cannot start is not an error
 * here: the import that follows reports it.
 */
export function prestartImportWorker(): void {
  if (spare !== null) return;
  let worker: Worker;
  try {
    worker = spawnImportWorker();
  } catch {
    return;
  }
  worker.unref();
  // A thread that dies before it is taken is dropped (and its error is not thrown at the process).
  const drop = (): void => {
    if (spare === worker) spare = null;
  };
  worker.on('error', drop);
  worker.once('exit', drop);
  spare = worker;
}

/** Stops the thread prestartImportWorker started when no import took it (nothing to read, or a failure). */
export async function releasePrestartedWorker(): Promise<void> {
  const worker = spare;
  spare = null;
  if (worker !== null) await worker.terminate();
}

interface Submitted {
  onEvent: (event: ParseEvent) => void;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Thrown for a file the parser failed on unexpectedly (the worker goes on with the next file). */
export class FileReadError extends Error {
  override readonly name = 'FileReadError';
}

export class ImportWorker {
  private readonly worker: Worker;
  private readonly submitted = new Map<number, Submitted>();
  private nextId = 0;
  private dead: Error | null = null;

  constructor() {
    this.worker = spare ?? spawnImportWorker();
    spare = null;
    this.worker.ref();
    this.worker.on('message', (message: FromWorker) => this.receive(message));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the import worker stopped (exit code ${code})`)));
  }

  /**
   * Queues a file: the worker reads files one after another in the order submitted, so the next one is
   * parsed while this thread still writes the last batches of the one before. `onEvent` gets the file's
   * header, batches (call `credit()` after each batch is committed) or refusal. Resolves when the file
   * is done; rejects with FileReadError if parsing it failed, or the worker's error if the worker died
   * (or `onEvent` threw: the worker is then stopped).
   */
  submit(job: FileJob, onEvent: (event: ParseEvent) => void): Promise<void> {
    if (this.dead !== null) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.submitted.set(id, { onEvent, resolve, reject });
      this.send({ type: 'file', id, job });
    });
  }

  /** A batch was committed: the worker may send the next one. */
  credit(): void {
    if (this.dead === null) this.send({ type: 'credit' });
  }

  /** Stops the worker; files not done fail. */
  async close(): Promise<void> {
    this.fail(new Error('the import was stopped'));
    await this.worker.terminate();
  }

  private send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private receive(message: FromWorker): void {
    const file = this.submitted.get(message.id);
    if (file === undefined) return;
    switch (message.type) {
      case 'event':
        try {
          file.onEvent(message.event);
        } catch (error) {
          const failure = error instanceof Error ? error : new Error(String(error));
          this.submitted.delete(message.id);
          file.reject(failure);
          this.fail(failure);
          void this.worker.terminate();
        }
        return;
      case 'end':
        this.submitted.delete(message.id);
        file.resolve();
        return;
      case 'failed':
        this.submitted.delete(message.id);
        file.reject(new FileReadError(`reading the file failed: ${message.message}`));
        return;
    }
  }

  private fail(error: Error): void {
    this.dead ??= error;
    for (const file of this.submitted.values()) file.reject(this.dead);
    this.submitted.clear();
  }
}
