/**
 * What the importer needs from where bars are kept (the port; the store's ImportJournal implements it):
 * a journal per file, and one transaction per batch holding its bars, its rejections, the file's new
 * position and the symbol's registration. The records are core's (core/import-records.ts), shared with
 * the store; the wiring (CLI, engine) checks that the journal fits this port.
 */
import type { BatchWrite, FileIdentity, FileProgress } from '../../core/import-records';

export type { BatchWrite, FileIdentity, FileProgress, RejectedLine } from '../../core/import-records';

export interface ImportTarget {
  /** The journal of a file, or null when it was never started. */
  fileState(path: string): FileProgress | null;
  /** Starts a file from its first line (forgets earlier progress). */
  startFile(path: string, identity: FileIdentity): void;
  /** Writes a batch and advances the file's journal in one transaction. */
  commit(batch: BatchWrite): void;
  /** Drops a file's journal. */
  forget(path: string): void;
}
