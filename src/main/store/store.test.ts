import Database from 'better-sqlite3';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StoreFormatError, StoreInUseError } from './errors';
import { openStore, type Store } from './store';
import { runFixture } from './test-fixtures/child-process';
import { series, tempDir, type TempDir } from './test-fixtures/helpers';

let tmp: TempDir;
const opened: Store[] = [];
const open = (path: string): Store => {
  const store = openStore(path);
  opened.push(store);
  return store;
};

beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  tmp.remove();
});

describe('openStore', () => {
  it('creates missing directories and a WAL database there', () => {
    const path = tmp.file('nested/deeper/trm.sqlite');
    const store = open(path);
    expect(store.path).toBe(path);
    expect(existsSync(path)).toBe(true);
    store.close();

    const raw = new Database(path);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('keeps what was written across close and reopen', () => {
    const path = tmp.file('trm.sqlite');
    const first = open(path);
    first.bars.upsert(series('SPY', 10));
    first.settings.set('theme', 'dark');
    first.close();

    const second = open(path);
    expect(second.bars.count()).toBe(10);
    expect(second.settings.get('theme', z.string())).toBe('dark');
  });

  it('close() flushes queued bars, and a second close() does nothing', () => {
    const path = tmp.file('trm.sqlite');
    const store = open(path);
    store.barWriter.enqueue(series('SPY', 3));
    expect(store.barWriter.pending).toBe(3);
    store.close();
    expect(() => store.close()).not.toThrow();

    expect(open(path).bars.count()).toBe(3);
  });

  it('reports the database plus its write-ahead log as its size', () => {
    const path = tmp.file('trm.sqlite');
    const store = open(path);
    const empty = store.sizeBytes();
    store.bars.upsert(series('SPY', 2000));

    const wal = `${path}-wal`;
    expect(existsSync(wal)).toBe(true);
    expect(store.sizeBytes()).toBe(statSync(path).size + statSync(wal).size);
    expect(store.sizeBytes()).toBeGreaterThan(empty);
  });

  it('refuses a file that is not a SQLite database, naming it, and leaves it untouched', () => {
    const path = tmp.file('notes.sqlite');
    const content = 'these are my trading notes, not a database\n'.repeat(10);
    writeFileSync(path, content);

    expect(() => openStore(path)).toThrow(StoreFormatError);
    expect(() => openStore(path)).toThrow(`The file ${path} is not a SQLite database`);
    expect(readFileSync(path, 'utf8')).toBe(content);
  });

  it("refuses another application's SQLite database without altering it", () => {
    const path = tmp.file('other.sqlite');
    const raw = new Database(path);
    raw.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)');
    raw.close();

    expect(() => openStore(path)).toThrow(/is a SQLite database of another application/);
    const check = new Database(path);
    const tables = check.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();
    const journal = check.pragma('journal_mode', { simple: true });
    check.close();
    expect(tables).toEqual(['invoices']);
    expect(journal).toBe('delete');
  });
});

describe('single writer process', () => {
  it('refuses a second process while the first holds the database, and allows it once that one is gone', async () => {
    const path = tmp.file('shared.sqlite');
    const holder = runFixture('hold-store.ts', [path]);
    try {
      await holder.waitForLine(/^ready$/);

      let error: unknown;
      try {
        openStore(path);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(StoreInUseError);
      expect((error as Error).message).toBe(
        `The database ${path} is in use by another TRM Workstation process. ` +
          'Close it, or start with --db <another file>.',
      );
    } finally {
      holder.child.kill('SIGKILL');
      await holder.exited;
    }

    expect(open(path).bars.count()).toBe(0);
  });

  it('makes a second process fail with StoreInUseError while this one holds the database', async () => {
    const path = tmp.file('shared.sqlite');
    open(path);

    const second = runFixture('hold-store.ts', [path]);
    const line = await second.waitForLine(/^(ready|error)/);
    if (line === 'ready') second.child.kill('SIGKILL');
    const { code } = await second.exited;
    expect(line).toBe(
      `error StoreInUseError: The database ${path} is in use by another TRM Workstation process. Close it, or start with --db <another file>.`,
    );
    expect(code).toBe(3);
  });
});
