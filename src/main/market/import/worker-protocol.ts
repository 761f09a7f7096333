/** Messages between the importer (main thread) and the import worker (import-worker.ts). */
import type { FileJob, ParseEvent } from './file-parser';

/** Batches the worker may have sent and not yet seen committed: it waits for a credit beyond this. */
export const WORKER_CREDITS = 2;

export type ToWorker =
  /** Read this file; events follow, then `end`. */
  | { type: 'file'; job: FileJob }
  /** One batch was committed: the worker may send another. */
  | { type: 'credit' };

export type FromWorker =
  | { type: 'event'; event: ParseEvent }
  /** The file is done (all its events were sent). */
  | { type: 'end' }
  /** Reading failed unexpectedly (a bug, or the disk); the file's events stop here. */
  | { type: 'failed'; message: string };
