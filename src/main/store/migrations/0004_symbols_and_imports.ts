/**
 * The symbol registry, the import journal, and where a stored bar came from.
 *
 * - `symbols`: every symbol the store holds bars for, with its display name, asset kind, session
 *   calendar ('XNYS' or '24x7') and source ('import' or 'alpaca'). Bar coverage is not kept here: it is
 *   read from `bars` on demand, so it is never stale.
 * - `bars.derived_from`: 0 for a bar as its source gave it (a feed, a file row); otherwise the length in
 *   minutes of the bars it was aggregated from (1: minutes, 5: 5-minute bars). A write replaces a stored
 *   bar only when its derived_from is at most the stored one's: given bars win over computed ones, and
 *   bars computed from finer data win over those from coarser data, whatever order files arrive in.
 * - `import_files` and `import_rejections`: per imported file (absolute path), its identity (size, mtime),
 *   how far the import got (the line and byte offset to continue from, committed with the bars in one
 *   transaction, so a killed import resumes), and the rows it refused, with their line and reason.
 */
export default {
  id: '0004_symbols_and_imports',
  sql: `
    CREATE TABLE symbols (
      symbol        TEXT    PRIMARY KEY NOT NULL,
      name          TEXT    NOT NULL,
      kind          TEXT    NOT NULL,
      calendar      TEXT    NOT NULL CHECK (calendar IN ('XNYS', '24x7')),
      source        TEXT    NOT NULL CHECK (source IN ('import', 'alpaca')),
      registered_at INTEGER NOT NULL
    ) WITHOUT ROWID;

    ALTER TABLE bars ADD COLUMN derived_from INTEGER NOT NULL DEFAULT 0;

    CREATE TABLE import_files (
      path                TEXT    PRIMARY KEY NOT NULL,
      size                INTEGER NOT NULL,
      mtime_ms            INTEGER NOT NULL,
      next_line           INTEGER NOT NULL,
      next_offset         INTEGER NOT NULL,
      rows                INTEGER NOT NULL,
      complete            INTEGER NOT NULL CHECK (complete IN (0, 1)),
      unlisted_rejections INTEGER NOT NULL DEFAULT 0,
      first_unlisted_line INTEGER,
      updated_at          INTEGER NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE import_rejections (
      path   TEXT    NOT NULL,
      line   INTEGER NOT NULL,
      reason TEXT    NOT NULL,
      PRIMARY KEY (path, line)
    ) WITHOUT ROWID;
  `,
} as const;
