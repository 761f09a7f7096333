/**
 * Starts a worker thread from the module that owns it, both in the built app and from source: the
 * import's parser thread (market/import/worker-client.ts) and the training threads (training/worker-job.ts).
 *
 * Where a worker's code is: in the built app, its own `<name>.js` entry beside the bundle (electron-vite
 * builds it, see electron.vite.config.ts; shared code may sit one folder down in chunks/). Run from source
 * (tests, benchmarks, tsx), it is the `.ts` file beside the caller, loaded through tsx's loader registered
 * inside the worker.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

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
