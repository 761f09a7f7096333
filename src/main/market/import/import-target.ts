/**
 * What the importer needs from where bars are kept (the port; the store's ImportJournal implements it):
 * a journal per file, and one transaction per batch holding its bars, its rejections, the file's new
 * position and the symbol's registration. The shapes mirror the store's; the wiring (CLI, engine)
 * checks that they agree.
 */
import type { SymbolInfo } from '../../../shared/domain';
import type { BarSeries } from '../../core/bar-series';

export interface FileIdentity {
  /** Bytes. */
  size: number;
  /** Last modification, epoch ms. */
  mtimeMs: number;
}

export interface RejectedLine {
  /** 1-based line in the file. */
  line: number;
  reason: string;
}

export interface FileProgress extends FileIdentity {
  nextLine: number;
  nextOffset: number;
  rows: number;
  complete: boolean;
  rejections: RejectedLine[];
  unlistedRejections: number;
  firstUnlistedLine: number | null;
}

export interface SymbolEntry {
  symbol: string;
  name: string;
  kind: SymbolInfo['kind'];
  calendar: 'XNYS' | '24x7';
  source: 'import' | 'alpaca';
}

export interface BatchWrite {
  /** Journal key (absolute path), or null when the file is not journaled. */
  path: string | null;
  symbol: SymbolEntry;
  series: readonly BarSeries[];
  rows: number;
  nextLine: number;
  nextOffset: number;
  rejections: readonly RejectedLine[];
  unlistedRejections: number;
  firstUnlistedLine: number | null;
  complete: boolean;
}

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
