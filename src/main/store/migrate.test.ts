import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreTooNewError } from './errors';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';
import { openStore } from './store';
import { tempDir, type TempDir } from './test-fixtures/helpers';

let tmp: TempDir;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

interface ColumnShape {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}

/** Tables, their columns (type, NOT NULL, position in the primary key) and indexes, as SQLite reports them. */
function describeSchema(path: string): Record<string, unknown> {
  const db = new Database(path);
  try {
    const tables = db
      .prepare<[], { name: string; sql: string }>(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name",
      )
      .all();
    const shape: Record<string, unknown> = {};
    for (const { name, sql } of tables) {
      const columns = db
        .prepare<[], ColumnShape>(
          `SELECT name, type, "notnull", pk FROM pragma_table_info('${name}') ORDER BY cid`,
        )
        .all()
        .map((c) => `${c.name} ${c.type}${c.notnull ? ' NOT NULL' : ''}${c.pk ? ` PK${c.pk}` : ''}`);
      const indexes = db
        .prepare<[], string>(`SELECT name FROM pragma_index_list('${name}') WHERE origin = 'c' ORDER BY name`)
        .pluck()
        .all();
      shape[name] = { withoutRowid: /WITHOUT ROWID\s*$/i.test(sql), columns, indexes };
    }
    return shape;
  } finally {
    db.close();
  }
}

describe('migrations', () => {
  it('have unique ids in the order they apply', () => {
    const ids = MIGRATIONS.map((m) => m.id);
    for (const id of ids) expect(id).toMatch(/^\d{4}_[a-z0-9_]+$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  // Guards against an accidental destructive change: when a migration adds to the schema, extend this
  // expectation; if a column or table disappears or changes, this test says so.
  it('build the expected schema from an empty database', () => {
    const path = tmp.file('trm.sqlite');
    openStore(path).close();

    expect(describeSchema(path)).toEqual({
      bars: {
        withoutRowid: true,
        columns: [
          'symbol TEXT NOT NULL PK1',
          'timeframe TEXT NOT NULL PK2',
          'start INTEGER NOT NULL PK3',
          'open REAL NOT NULL',
          'high REAL NOT NULL',
          'low REAL NOT NULL',
          'close REAL NOT NULL',
          'volume REAL NOT NULL',
          'closed INTEGER NOT NULL',
          'vwap REAL',
          'trade_count INTEGER',
          'derived_from INTEGER NOT NULL',
        ],
        indexes: ['bars_forming'],
      },
      import_files: {
        withoutRowid: true,
        columns: [
          'path TEXT NOT NULL PK1',
          'size INTEGER NOT NULL',
          'mtime_ms INTEGER NOT NULL',
          'next_line INTEGER NOT NULL',
          'next_offset INTEGER NOT NULL',
          'rows INTEGER NOT NULL',
          'complete INTEGER NOT NULL',
          'unlisted_rejections INTEGER NOT NULL',
          'first_unlisted_line INTEGER',
          'updated_at INTEGER NOT NULL',
        ],
        indexes: [],
      },
      import_rejections: {
        withoutRowid: true,
        columns: ['path TEXT NOT NULL PK1', 'line INTEGER NOT NULL PK2', 'reason TEXT NOT NULL'],
        indexes: [],
      },
      news: {
        withoutRowid: false,
        columns: [
          'seq INTEGER PK1',
          'id TEXT NOT NULL',
          'text_key BLOB NOT NULL',
          'origin TEXT NOT NULL',
          'kind TEXT NOT NULL',
          'source TEXT NOT NULL',
          'time INTEGER NOT NULL',
          'headline TEXT NOT NULL',
          'summary TEXT NOT NULL',
          'url TEXT',
          'symbols TEXT NOT NULL',
          'sentiment_label INTEGER',
          'p_negative REAL',
          'p_neutral REAL',
          'p_positive REAL',
          'sentiment_score REAL',
          'sentiment_model TEXT',
          'catalysts TEXT NOT NULL',
        ],
        indexes: ['news_by_time'],
      },
      news_symbols: {
        withoutRowid: true,
        columns: ['symbol TEXT NOT NULL PK1', 'time INTEGER NOT NULL PK2', 'seq INTEGER NOT NULL PK3'],
        indexes: [],
      },
      predictions: {
        withoutRowid: false,
        columns: [
          'seq INTEGER PK1',
          'model_version TEXT NOT NULL',
          'bar_start INTEGER NOT NULL',
          'time INTEGER NOT NULL',
          'strategy TEXT NOT NULL',
          'probabilities TEXT NOT NULL',
          'halt REAL NOT NULL',
          'features TEXT NOT NULL',
          'imputed INTEGER NOT NULL',
        ],
        indexes: ['predictions_by_bar'],
      },
      schema_migrations: {
        withoutRowid: false,
        columns: ['id TEXT NOT NULL PK1', 'applied_at INTEGER NOT NULL'],
        indexes: [],
      },
      settings: {
        withoutRowid: true,
        columns: ['key TEXT NOT NULL PK1', 'value TEXT NOT NULL', 'updated_at INTEGER NOT NULL'],
        indexes: [],
      },
      symbols: {
        withoutRowid: true,
        columns: [
          'symbol TEXT NOT NULL PK1',
          'name TEXT NOT NULL',
          'kind TEXT NOT NULL',
          'calendar TEXT NOT NULL',
          'source TEXT NOT NULL',
          'registered_at INTEGER NOT NULL',
        ],
        indexes: [],
      },
      trading_cash: {
        withoutRowid: true,
        columns: [
          'account TEXT NOT NULL PK1',
          'id TEXT NOT NULL PK2',
          'time INTEGER NOT NULL',
          'amount REAL NOT NULL',
          'reason TEXT NOT NULL',
          'seq INTEGER NOT NULL',
        ],
        indexes: [],
      },
      trading_fills: {
        withoutRowid: true,
        columns: [
          'account TEXT NOT NULL PK1',
          'id TEXT NOT NULL PK2',
          'order_id TEXT NOT NULL',
          'client_order_id TEXT NOT NULL',
          'symbol TEXT NOT NULL',
          'side TEXT NOT NULL',
          'qty INTEGER NOT NULL',
          'price REAL NOT NULL',
          'fee REAL NOT NULL',
          'time INTEGER NOT NULL',
          'seq INTEGER NOT NULL',
        ],
        indexes: ['trading_fills_by_time'],
      },
      trading_orders: {
        withoutRowid: true,
        columns: [
          'account TEXT NOT NULL PK1',
          'client_order_id TEXT NOT NULL PK2',
          'id TEXT NOT NULL',
          'symbol TEXT NOT NULL',
          'side TEXT NOT NULL',
          'qty INTEGER NOT NULL',
          'type TEXT NOT NULL',
          'limit_price REAL',
          'stop_price REAL',
          'tif TEXT NOT NULL',
          'status TEXT NOT NULL',
          'filled_qty INTEGER NOT NULL',
          'avg_fill_price REAL',
          'submitted_at INTEGER NOT NULL',
          'updated_at INTEGER NOT NULL',
          'reason TEXT',
          'stop_triggered INTEGER NOT NULL',
          'seq INTEGER NOT NULL',
        ],
        indexes: ['trading_orders_open'],
      },
    });
  });

  it('record each applied id once and do not re-run on the next open', () => {
    const path = tmp.file('trm.sqlite');
    openStore(path, { now: () => 1000 }).close();
    openStore(path, { now: () => 2000 }).close();

    const db = new Database(path);
    const rows = db.prepare('SELECT id, applied_at FROM schema_migrations ORDER BY id').all();
    db.close();
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ id: m.id, applied_at: 1000 })));
  });

  it('bring a database from an older version up to date, keeping its data', () => {
    const path = tmp.file('old.sqlite');
    const old = new Database(path);
    migrate(old, MIGRATIONS.slice(0, 1), path, () => 1000);
    old.exec("INSERT INTO bars VALUES ('SPY', '1m', 0, 1, 2, 0.5, 1.5, 10, 1)");
    old.close();

    const store = openStore(path);
    expect(store.bars.latest('SPY', '1m')).toMatchObject({ start: 0, close: 1.5, closed: true });
    store.settings.set('theme', 'dark');
    store.close();

    const reopened = new Database(path);
    const ids = reopened.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all();
    reopened.close();
    expect(ids).toEqual(MIGRATIONS.map((m) => m.id));
  });

  it('apply all pending migrations or none', () => {
    const path = tmp.file('trm.sqlite');
    const db = new Database(path);
    const broken = [
      ...MIGRATIONS,
      { id: '9000_broken', sql: 'CREATE TABLE extra (a); SELECT * FROM missing;' },
    ];
    expect(() => migrate(db, broken, path, () => 1000)).toThrow(/no such table: missing/);

    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();
    db.close();
    expect(tables).toEqual([]);
  });

  it('refuse a database written by a newer version, without touching it', () => {
    const path = tmp.file('trm.sqlite');
    openStore(path).close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run('9999_from_the_future', 1);
    db.close();

    let error: unknown;
    try {
      openStore(path);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoreTooNewError);
    expect((error as StoreTooNewError).unknownMigrations).toEqual(['9999_from_the_future']);
    expect((error as Error).message).toContain(`The database ${path} was written by a newer version`);

    // The refusal released the file: a fixed build (here, raw access) can still open it.
    const check = new Database(path);
    expect(check.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length + 1);
    check.close();
  });
});
