/**
 * Imports price files into the store: the one code path of `trm import` and of imports sent from the
 * window. Worker threads parse and aggregate (file-parser.ts); this thread, which owns the database,
 * writes each batch through the ImportTarget port in one transaction with the file's journal.
 *
 * Per file: a file the journal holds as complete with the same size and modification time is not read
 * again (its report comes from the journal); one it holds as started continues after the last committed
 * batch; any other is read from the first line. Refused files are reported with line 0.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { ImportRejection, ImportReport } from '../../../shared/domain';
import type { FileHeader, FileJob, ParseEvent } from './file-parser';
import { hintsFromFileName } from './file-name';
import type { FileProgress, ImportTarget } from './import-target';
import { FileReadError, ImportWorker } from './worker-client';

export interface ImportSource {
  /** The file to read. */
  path: string;
  /** The name reported and read for the symbol and timeframe; default: `path`. */
  name?: string;
  /** Keep a journal (resume after a kill, skip when unchanged). Default true; false for temporary files. */
  journal?: boolean;
}

export interface ImportProgressInfo {
  /** The file being read (its reported name). */
  file: string;
  bytesDone: number;
  bytesTotal: number;
  /** Source rows stored so far, all files. */
  rows: number;
}

/** What became of one file. */
export interface FileOutcome {
  file: string;
  /** What the file holds, once its header was read. */
  header: FileHeader | null;
  /** Source rows stored (all runs). */
  rows: number;
  /** Rows refused (listed and unlisted). */
  rejectedRows: number;
  /** Why the whole file was refused, or null. */
  refused: string | null;
  /** Unchanged since a complete import: not read again. */
  unchanged: boolean;
  /** Continued after an interrupted import. */
  resumed: boolean;
}

export interface ImportOptions {
  target: ImportTarget;
  /** Rows per batch (one transaction each): bigger is faster, smaller keeps the thread freer. Default 20,000. */
  batchRows?: number;
  /** Refused rows listed one by one per file; the rest are counted. Default 1,000. */
  maxListedRejections?: number;
  onProgress?: (progress: ImportProgressInfo) => void;
  /** After each file. */
  onFile?: (outcome: FileOutcome) => void;
  /** Stops the import: the batch being written is finished, then the call rejects. */
  signal?: AbortSignal;
  /**
   * Parser threads. Default: 2 where the machine has four cores or more, else 1 (this thread's writes
   * need a core of their own: on two cores a second parser only takes time from them). Files of one
   * symbol always go to the same thread, in order, so an import gives the same store whatever the timing.
   */
  workers?: number;
}

export interface ImportResult {
  report: ImportReport;
  outcomes: FileOutcome[];
}

export class ImportStoppedError extends Error {
  override readonly name = 'ImportStoppedError';
  constructor() {
    super('the import was stopped; run it again to continue where it stopped');
  }
}

const DEFAULT_BATCH_ROWS = 20_000;
const DEFAULT_MAX_LISTED = 1000;

/** A rejection within the report schema's bounds (file names up to 1,024 and reasons up to 500 characters). */
function rejection(file: string, line: number, reason: string): ImportRejection {
  return {
    file: file.length > 1024 ? `...${file.slice(-1021)}` : file,
    line,
    reason: reason.length > 500 ? `${reason.slice(0, 497)}...` : reason,
  };
}

function sameIdentity(progress: FileProgress, size: number, mtimeMs: number): boolean {
  return progress.size === size && progress.mtimeMs === mtimeMs;
}

/** One file's way through an import. */
interface FileRun {
  file: string;
  path: string;
  journaled: boolean;
  /** Bytes, and how many of them progress has counted. */
  size: number;
  counted: number;
  outcome: FileOutcome;
  listed: ImportRejection[];
  unlisted: number;
  firstUnlisted: number | null;
  /** Settles when the worker is done with the file; null when it is not read. */
  done: Promise<void> | null;
}

/**
 * Imports the files in order and returns the report (ImportReportSchema's shape) and per-file outcomes.
 * Every file to read is queued at once in the parser threads, so they parse the next files while this
 * thread writes the batches of the ones before.
 * @throws ImportStoppedError when `signal` aborts; the store's error when a write fails (what was
 *   committed stays, and a rerun continues from there)
 */
export async function importFiles(
  sources: readonly ImportSource[],
  options: ImportOptions,
): Promise<ImportResult> {
  const began = performance.now();
  const { target, signal } = options;
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  const maxListed = options.maxListedRejections ?? DEFAULT_MAX_LISTED;
  const rejected: ImportRejection[] = [];
  const outcomes: FileOutcome[] = [];
  let files = 0;
  let totalRows = 0;
  let bytesTotal = 0;
  if (signal?.aborted) throw new ImportStoppedError();

  // What to do with each file: refuse it (unreadable), skip it (unchanged), continue it, or start it.
  const runs: FileRun[] = [];
  const jobs: { run: FileRun; job: FileJob }[] = [];
  for (const source of sources) {
    const file = source.name ?? source.path;
    const path = resolve(source.path);
    const run: FileRun = {
      file,
      path,
      journaled: source.journal !== false,
      size: 0,
      counted: 0,
      outcome: {
        file,
        header: null,
        rows: 0,
        rejectedRows: 0,
        refused: null,
        unchanged: false,
        resumed: false,
      },
      listed: [],
      unlisted: 0,
      firstUnlisted: null,
      done: null,
    };
    runs.push(run);
    let size: number;
    let mtimeMs: number;
    try {
      const stat = statSync(path);
      if (!stat.isFile()) throw Object.assign(new Error('not a file'), { code: 'not a file' });
      size = stat.size;
      mtimeMs = Math.round(stat.mtimeMs);
    } catch (error) {
      run.outcome.refused = `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
      continue;
    }
    bytesTotal += size;
    run.size = size;
    const state = run.journaled ? target.fileState(path) : null;
    // A file started but never advanced (queued when an earlier run stopped) starts over.
    const known =
      state !== null && sameIdentity(state, size, mtimeMs) && (state.complete || state.nextOffset > 0)
        ? state
        : null;
    if (known !== null) {
      run.outcome.rows = known.rows;
      for (const r of known.rejections) run.listed.push(rejection(file, r.line, r.reason));
      run.unlisted = known.unlistedRejections;
      run.firstUnlisted = known.firstUnlistedLine;
      totalRows += known.rows;
      if (known.complete) {
        run.outcome.unchanged = true;
        continue;
      }
      run.outcome.resumed = true;
      run.counted = known.nextOffset;
    } else if (run.journaled) {
      target.startFile(path, { size, mtimeMs });
    }
    jobs.push({
      run,
      job: {
        path,
        name: file,
        mtimeMs,
        resume:
          known === null
            ? null
            : { line: known.nextLine, offset: known.nextOffset, listedRejections: known.rejections.length },
        batchRows,
        maxListedRejections: maxListed,
      },
    });
  }

  let bytesDone = runs.reduce((sum, run) => sum + (run.outcome.unchanged ? run.size : run.counted), 0);
  const count = (run: FileRun, upTo: number): void => {
    bytesDone += upTo - run.counted;
    run.counted = upTo;
    options.onProgress?.({ file: run.file, bytesDone, bytesTotal, rows: totalRows });
  };

  // Files of one symbol form a chain read by one thread in order; chains go to the least loaded thread.
  const chains = new Map<string, { bytes: number; worker: number }>();
  const chainOf = (job: FileJob): string => hintsFromFileName(job.name).symbol ?? job.path;
  for (const { run, job } of jobs) {
    const chain = chains.get(chainOf(job)) ?? { bytes: 0, worker: 0 };
    chain.bytes += run.size;
    chains.set(chainOf(job), chain);
  }
  const poolSize = Math.max(
    1,
    Math.min(options.workers ?? (availableParallelism() >= 4 ? 2 : 1), chains.size),
  );
  const load = new Array<number>(poolSize).fill(0);
  for (const chain of [...chains.values()].sort((a, b) => b.bytes - a.bytes)) {
    chain.worker = load.indexOf(Math.min(...load));
    load[chain.worker]! += chain.bytes;
  }
  const workers = Array.from({ length: jobs.length > 0 ? poolSize : 0 }, () => new ImportWorker());
  const stop = (): void => {
    for (const worker of workers) void worker.close();
  };
  signal?.addEventListener('abort', stop);
  try {
    for (const { run, job } of jobs) {
      const worker = workers[chains.get(chainOf(job))!.worker]!;
      let header: FileHeader | null = null;
      const onEvent = (event: ParseEvent): void => {
        if (event.type === 'header') {
          header = event.header;
          run.outcome.header = header;
        } else if (event.type === 'refused') {
          run.outcome.refused = event.reason;
        } else {
          const b = event.batch;
          if (header === null) throw new Error('a batch came before the file header');
          target.commit({
            path: run.journaled ? run.path : null,
            symbol: {
              symbol: header.symbol,
              name: header.name,
              kind: header.kind,
              calendar: header.calendar,
              source: 'import',
            },
            series: b.series,
            rows: b.rows,
            nextLine: b.nextLine,
            nextOffset: b.nextOffset,
            rejections: b.rejections,
            unlistedRejections: b.unlisted,
            firstUnlistedLine: b.firstUnlistedLine,
            complete: b.complete,
          });
          worker.credit();
          run.outcome.rows += b.rows;
          totalRows += b.rows;
          for (const r of b.rejections) run.listed.push(rejection(run.file, r.line, r.reason));
          run.unlisted += b.unlisted;
          run.firstUnlisted ??= b.firstUnlistedLine;
          count(run, b.nextOffset);
        }
      };
      run.done = worker.submit(job, onEvent);
      // Awaited in order below; until then a failure must not count as unhandled.
      run.done.catch(() => undefined);
    }

    for (const run of runs) {
      if (run.done !== null) {
        try {
          await run.done;
        } catch (error) {
          if (signal?.aborted) throw new ImportStoppedError();
          // The parser failed on this file (a bug or a disk error): report it, go on with the next.
          if (!(error instanceof FileReadError)) throw error;
          run.outcome.refused = error.message;
        }
      }
      const { outcome } = run;
      if (outcome.refused !== null) {
        if (run.journaled && run.done !== null) target.forget(run.path);
        rejected.push(rejection(run.file, 0, outcome.refused));
      } else {
        files++;
        rejected.push(...run.listed);
        if (run.unlisted > 0) {
          rejected.push(
            rejection(
              run.file,
              run.firstUnlisted ?? 0,
              `and ${run.unlisted.toLocaleString('en-US')} more rows refused from this line on ` +
                `(only the first ${maxListed.toLocaleString('en-US')} of a file are listed)`,
            ),
          );
        }
      }
      outcome.rejectedRows = run.listed.length + run.unlisted;
      if (run.done !== null) count(run, run.size);
      outcomes.push(outcome);
      options.onFile?.(outcome);
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    await Promise.all(workers.map((worker) => worker.close()));
  }
  const seconds = Math.round((performance.now() - began) / 10) / 100;
  return { report: { files, rows: totalRows, rejected, seconds }, outcomes };
}
