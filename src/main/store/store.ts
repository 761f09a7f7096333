/**
 * Opens the historical store: one SQLite file owned by exactly one process.
 *
 * - WAL with synchronous = NORMAL: a crash (even power loss) can lose the last few transactions but
 *   never corrupts the file, and commits do not wait for fsync.
 * - Single writer: `locking_mode = EXCLUSIVE` is set before switching to WAL, so SQLite keeps the WAL
 *   index in process memory (no -shm file) and holds the file lock for the life of the connection. The
 *   lock is taken at open by an empty write transaction with a short busy timeout, so a second app
 *   instance fails at once with `StoreInUseError` instead of waiting or interleaving writes. The OS
 *   releases the lock when the owner dies, even by SIGKILL.
 */
import Database from 'better-sqlite3';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BarRepository } from './bar-repository';
import { BarScan } from './bar-scan';
import { BarWriter, type BarWriterOptions } from './bar-writer';
import { StoreFormatError, StoreInUseError } from './errors';
import { ImportJournal } from './import-journal';
import { migrate, refuseForeignDatabase } from './migrate';
import { MIGRATIONS } from './migrations';
import { NewsRepository } from './news-repository';
import { PredictionRepository } from './prediction-repository';
import { SettingsRepository } from './settings-repository';
import { SymbolRepository } from './symbol-repository';
import { TradingJournalRepository } from './trading-journal';

export interface StoreOptions {
  /** How long to wait for another process to release the database before giving up. Default 250 ms. */
  lockTimeoutMs?: number;
  /** Options of the store's write-behind bar queue. */
  writer?: BarWriterOptions;
  /** Non-fatal problems (a corrupted setting). Default: console.warn. */
  onWarning?: (message: string) => void;
  /** Wall clock for bookkeeping timestamps (migrations applied, settings updated). Default Date.now. */
  now?: () => number;
  /**
   * The better-sqlite3 addon to load instead of the installed one: Electron needs a build for its own
   * ABI, which the postinstall keeps beside the Node build (node_modules/.trm-electron).
   */
  nativeBinding?: string;
}

export interface Store {
  /** Absolute path of the database file. */
  readonly path: string;
  readonly bars: BarRepository;
  /** Write-behind queue in front of `bars`, flushed by `close()`. */
  readonly barWriter: BarWriter;
  /** Replay's reads of stored minutes in delivery order, and rewinding a scratch store. */
  readonly barScan: BarScan;
  readonly settings: SettingsRepository;
  /** The symbol registry: what the store holds bars for (replay and the symbol list read it). */
  readonly symbols: SymbolRepository;
  /** Imports: batches of bars written with the file's progress, so a killed import resumes. */
  readonly imports: ImportJournal;
  /** The strategy model's predictions, one per decision bar (and model version). */
  readonly predictions: PredictionRepository;
  /** News items with their sentiment and catalyst tags, stored once (deduplicated by id and by text). */
  readonly news: NewsRepository;
  /** The trading journal: orders, fills and cash entries of each account, written before announced. */
  readonly trading: TradingJournalRepository;
  /** Database plus write-ahead log, in bytes. */
  sizeBytes(): number;
  /** Flushes the bar queue, checkpoints the WAL into the database and closes. Idempotent. */
  close(): void;
}

export function openStore(path: string, options: StoreOptions = {}): Store {
  const file = resolve(path);
  const now = options.now ?? Date.now;
  const warn = options.onWarning ?? ((message: string) => console.warn(message));
  mkdirSync(dirname(file), { recursive: true });

  const db = new Database(file, {
    timeout: options.lockTimeoutMs ?? 250,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    refuseForeignDatabase(db, file);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') {
      throw new StoreFormatError(file, `cannot use write-ahead logging (journal mode: ${String(mode)})`);
    }
    db.exec('BEGIN IMMEDIATE; COMMIT');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS, file, now);
  } catch (error) {
    db.close();
    throw explainOpenError(error, file);
  }

  const bars = new BarRepository(db);
  const barWriter = new BarWriter(bars, options.writer);
  const settings = new SettingsRepository(db, warn, now);
  const symbols = new SymbolRepository(db, now);
  const imports = new ImportJournal(db, bars, symbols, now);
  let closed = false;

  return {
    path: file,
    bars,
    barWriter,
    barScan: new BarScan(db),
    settings,
    symbols,
    imports,
    predictions: new PredictionRepository(db),
    news: new NewsRepository(db),
    trading: new TradingJournalRepository(db),
    sizeBytes: () => fileSize(file) + fileSize(`${file}-wal`),
    close: () => {
      if (closed) return;
      closed = true;
      try {
        barWriter.close();
      } finally {
        // The last connection to close checkpoints the WAL into the database file and removes it.
        db.close();
      }
    },
  };
}

function explainOpenError(error: unknown, file: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return new StoreInUseError(file, error);
  if (code === 'SQLITE_NOTADB') return new StoreFormatError(file, 'is not a SQLite database', error);
  if (code === 'SQLITE_CORRUPT') return new StoreFormatError(file, 'is a damaged SQLite database', error);
  return error;
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
