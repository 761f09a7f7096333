/**
 * Imports sent from the window (the ImportIntake port of ports.ts): `import.begin` announces a file and
 * its size, `import.chunk` carries its text in order (seq 0, 1, 2, ...), `import.finish` imports every
 * file begun under the id and answers the report; `import.progress` streams progress meanwhile.
 *
 * Chunks go to a temporary file as they arrive (never held in memory), and no more than the announced
 * bytes are accepted. The files are then imported by the same importer as `trm import`, without a
 * journal (the files are temporary). Temporary files are removed when an import finishes, fails or is
 * cancelled, and when the engine stops (`close()`).
 *
 * Where the bars go: the engine's own store when the engine runs on the market database (replay, paper,
 * live); otherwise (demo) the market database, opened for the import and closed after it, so the demo
 * world never mixes with real data. Imports run one at a time.
 *
 * Construct it with `createImportIntake({ marketDbPath, store?, log })` and hand it to the Engine as
 * `imports`; call `close()` when the engine stops.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportProgress, ImportReport } from '../../shared/domain';
import { EngineError } from '../../shared/protocol';
import { importFiles, ImportStoppedError } from '../market/import/importer';
import type { Logger } from '../platform/log';
import { DemoWorldDatabaseError, holdsDemoWorld } from '../store/database-role';
import { StoreInUseError } from '../store/errors';
import { openStore, type Store } from '../store/store';
import type { ImportIntake } from './ports';

export interface ImportIntakeOptions {
  /** The market database: where imports go when `store` is not given. */
  marketDbPath: string;
  /** The engine's store, when the engine runs on the market database (replay, paper, live). */
  store?: Store;
  log: Logger;
  /** Folder for files while they arrive; default: the system's temporary folder. */
  tempDir?: string;
  /** Opens the market database for one import; default: openStore. */
  openMarketStore?: (path: string) => Store;
  /** Rows per write transaction; default 5,000 (short enough to keep the engine's event loop responsive). */
  batchRows?: number;
  /** Files one import may hold; default 500. */
  maxFiles?: number;
  /** Imports open (begun, not finished) at once; default 8. */
  maxOpenImports?: number;
}

/** The intake, plus the clean-up the engine calls when it stops. */
export interface ImportIntakeService extends ImportIntake {
  /** Cancels imports in progress and removes every temporary file. Idempotent. */
  close(): void;
}

interface IncomingFile {
  name: string;
  path: string;
  fd: number | null;
  bytes: number;
  received: number;
  nextSeq: number;
}

interface OpenImport {
  id: string;
  dir: string;
  files: Map<string, IncomingFile>;
  finishing: boolean;
  abort: AbortController;
}

/** Cancelled ids remembered for a clear error on their late chunks. */
const REMEMBERED_CANCELLATIONS = 64;

export function createImportIntake(options: ImportIntakeOptions): ImportIntakeService {
  const { log } = options;
  const maxFiles = options.maxFiles ?? 500;
  const maxOpen = options.maxOpenImports ?? 8;
  const imports = new Map<string, OpenImport>();
  const cancelled = new Map<string, string>();
  const listeners = new Map<string, Set<(progress: ImportProgress) => void>>();
  let root: string | null = null;
  let closed = false;
  /** Imports write one after another: this settles when the last one started is done. */
  let queue: Promise<unknown> = Promise.resolve();

  const tempRoot = (): string => {
    if (root === null) {
      const base = options.tempDir ?? tmpdir();
      mkdirSync(base, { recursive: true });
      root = mkdtempSync(join(base, 'trm-import-'));
    }
    return root;
  };

  const closeFiles = (entry: OpenImport): void => {
    for (const file of entry.files.values()) {
      if (file.fd !== null) closeSync(file.fd);
      file.fd = null;
    }
  };

  const discard = (entry: OpenImport, reason: string | null): void => {
    closeFiles(entry);
    rmSync(entry.dir, { recursive: true, force: true });
    imports.delete(entry.id);
    if (reason !== null) {
      cancelled.set(entry.id, reason);
      if (cancelled.size > REMEMBERED_CANCELLATIONS) cancelled.delete(cancelled.keys().next().value!);
    }
  };

  const openImport = (importId: string): OpenImport => {
    const entry = imports.get(importId);
    if (entry !== undefined) return entry;
    const why = cancelled.get(importId);
    throw new EngineError(
      'FAILED',
      why !== undefined
        ? `Import ${importId} was cancelled: ${why}. Start it again with import.begin.`
        : `There is no import ${importId}: begin each file with import.begin first.`,
    );
  };

  const emit = (importId: string, progress: ImportProgress): void => {
    for (const listener of listeners.get(importId) ?? []) listener(progress);
  };

  const run = async (entry: OpenImport): Promise<ImportReport> => {
    if (closed || entry.abort.signal.aborted) throw new EngineError('UNAVAILABLE', 'The engine is stopping.');
    let store = options.store;
    let opened: Store | null = null;
    if (store === undefined) {
      try {
        opened = (options.openMarketStore ?? openStore)(options.marketDbPath);
      } catch (error) {
        if (error instanceof StoreInUseError) {
          throw new EngineError(
            'FAILED',
            `The market database ${options.marketDbPath} is in use by another TRM Workstation process ` +
              '(a "trm import" or another workstation): close it and import again.',
          );
        }
        throw error;
      }
      store = opened;
    }
    if (holdsDemoWorld(store.settings)) {
      opened?.close();
      throw new EngineError('FAILED', new DemoWorldDatabaseError(store.path).message);
    }
    const files = [...entry.files.values()];
    const bytesTotal = files.reduce((sum, f) => sum + f.bytes, 0);
    try {
      const { report } = await importFiles(
        files.map((f) => ({ path: f.path, name: f.name, journal: false })),
        {
          target: store.imports,
          batchRows: options.batchRows ?? 5000,
          // One parser thread: the engine's own work keeps the other core.
          workers: 1,
          signal: entry.abort.signal,
          onProgress: (p) =>
            emit(entry.id, {
              importId: entry.id,
              file: p.file,
              bytesDone: p.bytesDone,
              bytesTotal,
              rows: p.rows,
              report: null,
            }),
        },
      );
      log.info(
        `imported ${report.files} of ${files.length} files from the window: ${report.rows} rows, ` +
          `${report.rejected.length} rejections, ${report.seconds} s`,
      );
      emit(entry.id, {
        importId: entry.id,
        file: files.at(-1)?.name ?? '',
        bytesDone: bytesTotal,
        bytesTotal,
        rows: report.rows,
        report,
      });
      return report;
    } catch (error) {
      if (error instanceof ImportStoppedError) {
        throw new EngineError('UNAVAILABLE', 'The engine stopped during the import: import the files again.');
      }
      throw error;
    } finally {
      opened?.close();
    }
  };

  return {
    begin(importId, name, bytes) {
      if (closed) throw new EngineError('UNAVAILABLE', 'The engine is stopping.');
      if (name === '.' || name === '..' || /[/\\\0]/.test(name)) {
        throw new EngineError('BAD_PARAMS', `"${name}" is not a file name (send the name without folders).`);
      }
      let entry = imports.get(importId);
      if (entry === undefined) {
        if (imports.size >= maxOpen) {
          throw new EngineError(
            'LIMIT',
            `${maxOpen} imports are open already: finish one before beginning another.`,
          );
        }
        cancelled.delete(importId);
        const dir = join(tempRoot(), importId);
        mkdirSync(dir, { recursive: true });
        entry = { id: importId, dir, files: new Map(), finishing: false, abort: new AbortController() };
        imports.set(importId, entry);
      }
      if (entry.finishing) throw new EngineError('FAILED', `Import ${importId} is already being imported.`);
      if (entry.files.has(name))
        throw new EngineError('FAILED', `${name} was already begun in import ${importId}.`);
      if (entry.files.size >= maxFiles) {
        throw new EngineError(
          'LIMIT',
          `An import holds at most ${maxFiles} files: import the rest separately.`,
        );
      }
      // On disk under a number: the name the user gave only labels the file and names its symbol.
      const path = join(entry.dir, `${entry.files.size}.csv`);
      entry.files.set(name, { name, path, fd: openSync(path, 'wx'), bytes, received: 0, nextSeq: 0 });
    },

    chunk(importId, name, seq, text) {
      const entry = openImport(importId);
      if (entry.finishing) throw new EngineError('FAILED', `Import ${importId} is already being imported.`);
      const file = entry.files.get(name);
      if (file === undefined || file.fd === null) {
        throw new EngineError(
          'FAILED',
          `${name} was not begun in import ${importId}: call import.begin first.`,
        );
      }
      if (seq !== file.nextSeq) {
        throw new EngineError(
          'FAILED',
          `Chunk ${seq} of ${name} arrived out of order (expected chunk ${file.nextSeq}): send a file's chunks in order.`,
        );
      }
      const bytes = Buffer.byteLength(text, 'utf8');
      if (file.received + bytes > file.bytes) {
        const reason = `${name} sent more than its announced ${file.bytes.toLocaleString('en-US')} bytes`;
        discard(entry, reason);
        throw new EngineError('LIMIT', `${reason}: the import was cancelled.`);
      }
      writeSync(file.fd, text, null, 'utf8');
      file.received += bytes;
      file.nextSeq++;
    },

    finish(importId) {
      let entry: OpenImport;
      try {
        entry = openImport(importId);
        if (entry.finishing) throw new EngineError('FAILED', `Import ${importId} is already being imported.`);
        if (entry.files.size === 0) throw new EngineError('FAILED', `Import ${importId} has no files.`);
        for (const file of entry.files.values()) {
          if (file.received !== file.bytes) {
            throw new EngineError(
              'FAILED',
              `${file.name}: ${file.received.toLocaleString('en-US')} of the announced ` +
                `${file.bytes.toLocaleString('en-US')} bytes arrived; send the rest, then finish.`,
            );
          }
        }
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      entry.finishing = true;
      closeFiles(entry);
      const result = queue.then(() => run(entry));
      queue = result.catch(() => undefined);
      return result.finally(() => {
        discard(entry, null);
        listeners.delete(importId);
      });
    },

    progress(importId, listener) {
      let set = listeners.get(importId);
      if (set === undefined) {
        set = new Set();
        listeners.set(importId, set);
      }
      set.add(listener);
      return () => {
        const current = listeners.get(importId);
        current?.delete(listener);
        if (current?.size === 0) listeners.delete(importId);
      };
    },

    close() {
      if (closed) return;
      closed = true;
      for (const entry of [...imports.values()]) {
        entry.abort.abort();
        discard(entry, 'the engine stopped');
      }
      listeners.clear();
      if (root !== null) rmSync(root, { recursive: true, force: true });
      root = null;
    },
  };
}
