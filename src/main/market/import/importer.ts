/**
 * Imports price files into the store: the one code path of `trm import` and of imports sent from the
 * window. The worker thread parses and aggregates (file-parser.ts); this thread, which owns the
 * database, writes each batch through the ImportTarget port in one transaction with the file's journal.
 *
 * Per file: a file the journal holds as complete with the same size and modification time is not read
 * again (its report comes from the journal); one it holds as started continues after the last committed
 * batch; any other is read from the first line. Refused files are reported with line 0.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ImportRejection, ImportReport } from '../../../shared/domain';
import type { FileHeader, ParseEvent } from './file-parser';
import type { FileProgress, ImportTarget } from './import-target';
import { ImportWorker } from './worker-client';

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

/**
 * Imports the files in order and returns the report (ImportReportSchema's shape) and per-file outcomes.
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

  const sizes = sources.map((source) => {
    try {
      return statSync(source.path).size;
    } catch {
      return 0;
    }
  });
  const bytesTotal = sizes.reduce((a, b) => a + b, 0);
  let bytesBefore = 0;

  let worker: ImportWorker | null = null;
  const stop = (): void => void worker?.close();
  signal?.addEventListener('abort', stop);
  try {
    for (let index = 0; index < sources.length; index++) {
      if (signal?.aborted) throw new ImportStoppedError();
      const source = sources[index]!;
      const file = source.name ?? source.path;
      const path = resolve(source.path);
      const journaled = source.journal !== false;
      const outcome: FileOutcome = {
        file,
        header: null,
        rows: 0,
        rejectedRows: 0,
        refused: null,
        unchanged: false,
        resumed: false,
      };
      const listed: ImportRejection[] = [];
      let unlisted = 0;
      let firstUnlisted: number | null = null;
      const progress = (offset: number): void =>
        options.onProgress?.({ file, bytesDone: bytesBefore + offset, bytesTotal, rows: totalRows });

      let size: number;
      let mtimeMs: number;
      try {
        const stat = statSync(path);
        if (!stat.isFile()) throw Object.assign(new Error('not a file'), { code: 'not a file' });
        size = stat.size;
        mtimeMs = Math.round(stat.mtimeMs);
      } catch (error) {
        outcome.refused = `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
        rejected.push(rejection(file, 0, outcome.refused));
        outcomes.push(outcome);
        options.onFile?.(outcome);
        continue;
      }

      const state = journaled ? target.fileState(path) : null;
      const known = state !== null && sameIdentity(state, size, mtimeMs) ? state : null;
      if (known?.complete) {
        outcome.unchanged = true;
        outcome.rows = known.rows;
        for (const r of known.rejections) listed.push(rejection(file, r.line, r.reason));
        unlisted = known.unlistedRejections;
        firstUnlisted = known.firstUnlistedLine;
      } else {
        if (known !== null) {
          outcome.resumed = true;
          outcome.rows = known.rows;
          for (const r of known.rejections) listed.push(rejection(file, r.line, r.reason));
          unlisted = known.unlistedRejections;
          firstUnlisted = known.firstUnlistedLine;
        } else if (journaled) {
          target.startFile(path, { size, mtimeMs });
        }
        totalRows += outcome.rows;
        worker ??= new ImportWorker();
        const active = worker;
        let header: FileHeader | null = null;
        const onEvent = (event: ParseEvent): void => {
          if (event.type === 'header') {
            header = event.header;
            outcome.header = header;
          } else if (event.type === 'refused') {
            outcome.refused = event.reason;
          } else {
            const b = event.batch;
            if (header === null) throw new Error('a batch came before the file header');
            target.commit({
              path: journaled ? path : null,
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
            active.credit();
            outcome.rows += b.rows;
            totalRows += b.rows;
            for (const r of b.rejections) listed.push(rejection(file, r.line, r.reason));
            unlisted += b.unlisted;
            firstUnlisted ??= b.firstUnlistedLine;
            progress(b.nextOffset);
          }
        };
        try {
          await active.run(
            {
              path,
              name: source.name ?? source.path,
              mtimeMs,
              resume:
                known === null
                  ? null
                  : {
                      line: known.nextLine,
                      offset: known.nextOffset,
                      listedRejections: known.rejections.length,
                    },
              batchRows,
              maxListedRejections: maxListed,
            },
            onEvent,
          );
        } catch (error) {
          if (signal?.aborted) throw new ImportStoppedError();
          const message = error instanceof Error ? error.message : String(error);
          if (!message.startsWith('reading the file failed')) throw error;
          // The parser failed on this file (a bug or a disk error): report it, go on with the next.
          outcome.refused = message;
        }
        if (outcome.refused !== null && journaled) target.forget(path);
      }

      if (outcome.refused !== null) {
        rejected.push(rejection(file, 0, outcome.refused));
      } else {
        files++;
        rejected.push(...listed);
        if (unlisted > 0) {
          rejected.push(
            rejection(
              file,
              firstUnlisted ?? 0,
              `and ${unlisted.toLocaleString('en-US')} more rows refused from this line on ` +
                `(only the first ${maxListed.toLocaleString('en-US')} of a file are listed)`,
            ),
          );
        }
      }
      outcome.rejectedRows = listed.length + unlisted;
      if (outcome.unchanged) totalRows += outcome.rows;
      bytesBefore += sizes[index]!;
      progress(0);
      outcomes.push(outcome);
      options.onFile?.(outcome);
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    await worker?.close();
  }
  const seconds = Math.round((performance.now() - began) / 10) / 100;
  return { report: { files, rows: totalRows, rejected, seconds }, outcomes };
}
