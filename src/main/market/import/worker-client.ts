/**
 * Starts the import worker and runs files through it, one at a time.
 *
 * Where the worker's code is: in the built app, `import-worker.js` beside the bundle (electron-vite
 * builds it as its own entry, see electron.vite.config.ts; shared code may sit one folder down in
 * chunks/). Run from source (tests, benchmarks, tsx), it is `import-worker.ts` beside this file, loaded
 * through tsx's loader registered inside the worker.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileJob, ParseEvent } from './file-parser';
import type { FromWorker, ToWorker } from './worker-protocol';

const WORKER_FILE = 'import-worker';

/** The worker's entry: a built .js file, or the source .ts with a loader. */
function spawnWorker(): Worker {
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  if (here.endsWith('.ts')) {
    const source = join(dir, `${WORKER_FILE}.ts`);
    const boot =
      `const { register } = await import(${JSON.stringify(tsxLoaderUrl())});` +
      `register();` +
      `await import(${JSON.stringify(pathToFileURL(source).href)});`;
    return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
  }
  for (const candidate of [join(dir, `${WORKER_FILE}.js`), join(dir, '..', `${WORKER_FILE}.js`)]) {
    if (existsSync(candidate)) return new Worker(candidate);
  }
  throw new Error(`the import worker (${WORKER_FILE}.js) is missing next to ${here}: rebuild the app`);
}

/** tsx's ESM loader API (its `import` entry; require() resolves the CommonJS one beside it). */
function tsxLoaderUrl(): string {
  const resolved = createRequire(import.meta.url).resolve('tsx/esm/api');
  return pathToFileURL(resolved.replace(/\.c?js$/, '.mjs')).href;
}

interface Running {
  onEvent: (event: ParseEvent) => void;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class ImportWorker {
  private readonly worker: Worker;
  private running: Running | null = null;
  private dead: Error | null = null;

  constructor() {
    this.worker = spawnWorker();
    this.worker.on('message', (message: FromWorker) => this.receive(message));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the import worker stopped (exit code ${code})`)));
  }

  /**
   * Reads one file in the worker; `onEvent` gets its header, batches (call `credit()` after each batch
   * is committed) or refusal. Resolves when the file is done; rejects if the worker fails.
   */
  run(job: FileJob, onEvent: (event: ParseEvent) => void): Promise<void> {
    if (this.dead !== null) return Promise.reject(this.dead);
    if (this.running !== null) return Promise.reject(new Error('the import worker is busy'));
    return new Promise<void>((resolve, reject) => {
      this.running = { onEvent, resolve, reject };
      this.send({ type: 'file', job });
    });
  }

  /** A batch was committed: the worker may send the next one. */
  credit(): void {
    if (this.dead === null) this.send({ type: 'credit' });
  }

  /** Stops the worker (a file in progress fails). */
  async close(): Promise<void> {
    this.dead ??= new Error('the import was stopped');
    await this.worker.terminate();
  }

  private send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private receive(message: FromWorker): void {
    const running = this.running;
    if (running === null) return;
    switch (message.type) {
      case 'event':
        try {
          running.onEvent(message.event);
        } catch (error) {
          this.running = null;
          running.reject(error instanceof Error ? error : new Error(String(error)));
          void this.close();
        }
        return;
      case 'end':
        this.running = null;
        running.resolve();
        return;
      case 'failed':
        this.running = null;
        running.reject(new Error(`reading the file failed: ${message.message}`));
        return;
    }
  }

  private fail(error: Error): void {
    this.dead ??= error;
    const running = this.running;
    this.running = null;
    running?.reject(this.dead);
  }
}
