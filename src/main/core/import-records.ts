/**
 * What an import records where bars are kept: a file's identity and its journaled progress (the line
 * and byte offset to continue from, the rows refused so far), and each batch written with them in one
 * transaction. The importer hands these over its port (market/import/import-target.ts); the store's
 * ImportJournal (store/import-journal.ts) keeps them. Types only.
 */
import type { BarSeries } from './bar-series';
import type { SymbolRegistration } from './symbol-registration';

/** Which version of a file: one that changed since it was journaled is imported again from its first line. */
export interface FileIdentity {
  /** Bytes. */
  size: number;
  /** Last modification, epoch ms. */
  mtimeMs: number;
}

/** A row the import refused: 1-based line number in the file and the reason, in plain words. */
export interface RejectedLine {
  line: number;
  reason: string;
}

/** A file's journal. */
export interface FileProgress extends FileIdentity {
  /** 1-based line to continue from. */
  nextLine: number;
  /** Byte offset in the file where `nextLine` starts. */
  nextOffset: number;
  /** Source rows stored so far. */
  rows: number;
  /** The whole file was imported. */
  complete: boolean;
  /** Refused rows recorded so far, by line. */
  rejections: RejectedLine[];
  /** Refused rows beyond those listed (a file full of bad rows lists only the first ones). */
  unlistedRejections: number;
  /** Line of the first refused row not listed; null when none. */
  firstUnlistedLine: number | null;
}

/** One batch of a file: written, with the file's new position, in one transaction. */
export interface BatchWrite {
  /** The file's journal key (absolute path); null for an import that is not journaled (a temporary file). */
  path: string | null;
  /** Registered when the batch stores any bar. */
  symbol: SymbolRegistration;
  series: readonly BarSeries[];
  /** Source rows this batch stores (before aggregation). */
  rows: number;
  /** Where the file continues after this batch. */
  nextLine: number;
  nextOffset: number;
  /** Rows refused in this batch's span of lines, listed. */
  rejections: readonly RejectedLine[];
  /** Rows refused in this batch's span beyond those listed, and the first such line (or null). */
  unlistedRejections: number;
  firstUnlistedLine: number | null;
  /** This batch ends the file. */
  complete: boolean;
}
