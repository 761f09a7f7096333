/**
 * Applies pending migrations at open, the way actualbudget/actual does: applied ids are recorded in
 * `schema_migrations`, pending ones run in order inside one transaction (the schema moves to the new
 * version entirely or not at all), and a database that records an id this build does not know was
 * written by a newer version, so it is refused rather than half-understood.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { StoreFormatError, StoreTooNewError } from './errors';
import type { Migration } from './migrations';

/** `PRAGMA application_id` of our databases ('TRMW'), so another application's SQLite file is not altered. */
export const APPLICATION_ID = 0x54524d57;

export interface MigrationResult {
  /** Ids applied by this call, in order. */
  applied: string[];
}

export function migrate(
  db: BetterSqlite3.Database,
  migrations: readonly Migration[],
  path: string,
  now: () => number,
): MigrationResult {
  return db
    .transaction((): MigrationResult => {
      db.exec(
        'CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY NOT NULL, applied_at INTEGER NOT NULL)',
      );
      const appliedIds = new Set(
        db.prepare<[], string>('SELECT id FROM schema_migrations ORDER BY id').pluck().all(),
      );
      const known = new Set(migrations.map((m) => m.id));
      const unknown = [...appliedIds].filter((id) => !known.has(id));
      if (unknown.length > 0) throw new StoreTooNewError(path, unknown);

      const record = db.prepare<[string, number]>(
        'INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)',
      );
      const applied: string[] = [];
      for (const migration of migrations) {
        if (appliedIds.has(migration.id)) continue;
        db.exec(migration.sql);
        record.run(migration.id, now());
        applied.push(migration.id);
      }
      db.pragma(`application_id = ${APPLICATION_ID}`);
      return { applied };
    })
    .immediate();
}

/**
 * Refuses another application's SQLite file before anything (journal mode included) is changed in it.
 * A fresh file has no schema and application id 0; anything else must carry our id.
 */
export function refuseForeignDatabase(db: BetterSqlite3.Database, path: string): void {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  if (applicationId === APPLICATION_ID) return;
  const objects = db.prepare<[], number>('SELECT count(*) FROM sqlite_schema').pluck().get() ?? 0;
  if (applicationId !== 0 || objects > 0) {
    throw new StoreFormatError(path, 'is a SQLite database of another application, not TRM Workstation');
  }
}
