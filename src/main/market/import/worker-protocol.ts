/** Messages between the importer (main thread) and the import worker (import-worker.ts). */
import type { FileJob, ParseEvent } from './file-parser';

/**
 * Batches the worker may have sent and not yet seen committed: it waits for a credit beyond this, so a
 * slow disk slows the parser instead of filling memory (a batch of 20,000 minute rows and the bars
 * aggregated from them is about 1.5 MB). Eight, not two: the parser's pace varies (slow at a file's
 * start and while its code is compiled, fast after) and so does the writer's; with two in flight each
 * waited for the other in turn (the writer ran dry at file boundaries right after the parser had been
 * held back), with eight the parser keeps far enough ahead.
 */
export const WORKER_CREDITS = 8;

export type ToWorker =
  /** Read this file after those sent before it; its events follow, then `end`. */
  | { type: 'file'; id: number; job: FileJob }
  /** One batch was committed: the worker may send another. */
  | { type: 'credit' };

/** Messages about file `id`, in the order the files were sent. */
export type FromWorker =
  | { type: 'event'; id: number; event: ParseEvent }
  /** The file is done (all its events were sent). */
  | { type: 'end'; id: number }
  /** Reading failed unexpectedly (a bug, or the disk); the file's events stop here. */
  | { type: 'failed'; id: number; message: string };
