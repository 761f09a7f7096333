/**
 * The store's side of an import: writes each batch of bars together with the file's progress (the line
 * and byte offset to continue from, the rows refused so far) and the symbol's registration, in ONE
 * transaction. A kill at any moment therefore leaves whole batches and a journal that agrees with them,
 * and rerunning the import continues after the last committed batch.
 *
 * Files are keyed by absolute path and identified by size and modification time: a file that changed
 * since it was journaled is imported again from its first line (the upsert makes that safe).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { BatchWrite, FileIdentity, FileProgress, RejectedLine } from '../core/import-records';
import type { BarRepository } from './bar-repository';
import type { SymbolRepository } from './symbol-repository';

interface FileRow {
  size: number;
  mtime_ms: number;
  next_line: number;
  next_offset: number;
  rows: number;
  complete: number;
  unlisted_rejections: number;
  first_unlisted_line: number | null;
}

export class ImportJournal {
  private readonly selectFile: BetterSqlite3.Statement<[string], FileRow>;
  private readonly selectRejections: BetterSqlite3.Statement<[string], RejectedLine>;
  private readonly upsertFile: BetterSqlite3.Statement<
    [{ path: string; size: number; mtime: number; now: number }]
  >;
  private readonly advanceFile: BetterSqlite3.Statement<
    [number, number, number, number, number, number | null, number, string]
  >;
  private readonly insertRejection: BetterSqlite3.Statement<[string, number, string]>;
  private readonly deleteFile: BetterSqlite3.Statement<[string]>;
  private readonly deleteRejections: BetterSqlite3.Statement<[string]>;
  private readonly startTx: (path: string, identity: FileIdentity) => void;
  private readonly commitTx: (batch: BatchWrite) => void;
  private readonly forgetTx: (path: string) => void;

  constructor(
    db: BetterSqlite3.Database,
    private readonly bars: BarRepository,
    private readonly symbols: SymbolRepository,
    private readonly now: () => number,
  ) {
    this.selectFile = db.prepare<[string], FileRow>(
      `SELECT size, mtime_ms, next_line, next_offset, rows, complete, unlisted_rejections, first_unlisted_line
       FROM import_files WHERE path = ?`,
    );
    this.selectRejections = db.prepare<[string], RejectedLine>(
      'SELECT line, reason FROM import_rejections WHERE path = ? ORDER BY line',
    );
    this.upsertFile = db.prepare(
      `INSERT INTO import_files (path, size, mtime_ms, next_line, next_offset, rows, complete, updated_at)
       VALUES (@path, @size, @mtime, 1, 0, 0, 0, @now)
       ON CONFLICT (path) DO UPDATE SET size = @size, mtime_ms = @mtime, next_line = 1, next_offset = 0,
         rows = 0, complete = 0, unlisted_rejections = 0, first_unlisted_line = NULL, updated_at = @now`,
    );
    this.advanceFile = db.prepare(
      `UPDATE import_files SET next_line = ?, next_offset = ?, rows = rows + ?, complete = ?,
         unlisted_rejections = unlisted_rejections + ?,
         first_unlisted_line = coalesce(first_unlisted_line, ?), updated_at = ?
       WHERE path = ?`,
    );
    this.insertRejection = db.prepare(
      'INSERT OR REPLACE INTO import_rejections (path, line, reason) VALUES (?, ?, ?)',
    );
    this.deleteFile = db.prepare('DELETE FROM import_files WHERE path = ?');
    this.deleteRejections = db.prepare('DELETE FROM import_rejections WHERE path = ?');

    this.startTx = db.transaction((path: string, identity: FileIdentity) => {
      this.deleteRejections.run(path);
      this.upsertFile.run({
        path,
        size: identity.size,
        mtime: Math.round(identity.mtimeMs),
        now: this.now(),
      });
    });
    this.commitTx = db.transaction((batch: BatchWrite) => {
      let stored = false;
      for (const series of batch.series) {
        if (series.length === 0) continue;
        this.bars.upsertSeries(series);
        stored = true;
      }
      if (stored) this.symbols.register(batch.symbol);
      const { path } = batch;
      if (path === null) return;
      for (const r of batch.rejections) this.insertRejection.run(path, r.line, r.reason);
      const changed = this.advanceFile.run(
        batch.nextLine,
        batch.nextOffset,
        batch.rows,
        batch.complete ? 1 : 0,
        batch.unlistedRejections,
        batch.firstUnlistedLine,
        this.now(),
        path,
      ).changes;
      if (changed !== 1) throw new Error(`import journal: ${path} was not started`);
    });
    this.forgetTx = db.transaction((path: string) => {
      this.deleteRejections.run(path);
      this.deleteFile.run(path);
    });
  }

  /** What the journal holds for a file, or null when it was never started. */
  fileState(path: string): FileProgress | null {
    const row = this.selectFile.get(path);
    if (row === undefined) return null;
    return {
      size: row.size,
      mtimeMs: row.mtime_ms,
      nextLine: row.next_line,
      nextOffset: row.next_offset,
      rows: row.rows,
      complete: row.complete === 1,
      rejections: this.selectRejections.all(path),
      unlistedRejections: row.unlisted_rejections,
      firstUnlistedLine: row.first_unlisted_line,
    };
  }

  /** Starts a file from its first line, forgetting any earlier progress and refused rows recorded for it. */
  startFile(path: string, identity: FileIdentity): void {
    this.startTx(path, identity);
  }

  /**
   * Stores a batch's bars, registers its symbol and advances the file's journal, in one transaction.
   * @throws Error when the file was not started (nothing is written then)
   */
  commit(batch: BatchWrite): void {
    this.commitTx(batch);
  }

  /** Drops what the journal holds for a file (its bars stay). */
  forget(path: string): void {
    this.forgetTx(path);
  }
}
