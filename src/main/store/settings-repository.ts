/**
 * Settings as JSON text under string keys. A value is validated on every read because the file outlives
 * the code that wrote it: a value from an older shape, or one edited by hand, reads as `undefined` (the
 * caller falls back to its default) and is reported, instead of crashing whoever asked.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { z } from 'zod';

export class SettingsRepository {
  private readonly select: BetterSqlite3.Statement<[string], string>;
  private readonly upsert: BetterSqlite3.Statement<[string, string, number]>;
  private readonly remove: BetterSqlite3.Statement<[string]>;

  constructor(
    db: BetterSqlite3.Database,
    private readonly report: (message: string) => void,
    private readonly now: () => number,
  ) {
    this.select = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
    this.upsert = db.prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare('DELETE FROM settings WHERE key = ?');
  }

  /** The stored value if present and valid against `schema`; otherwise undefined (an invalid one is reported). */
  get<T>(key: string, schema: z.ZodType<T>): T | undefined {
    const text = this.select.get(key);
    if (text === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.report(`Setting "${key}" is not valid JSON; using the default.`);
      return undefined;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const problem = parsed.error.issues.map((issue) => issue.message).join('; ');
      this.report(`Setting "${key}" has an unexpected shape (${problem}); using the default.`);
      return undefined;
    }
    return parsed.data;
  }

  /** Stores `value` as JSON. Values JSON cannot represent (undefined, functions) are refused. */
  set(key: string, value: unknown): void {
    const text = JSON.stringify(value) as string | undefined;
    if (text === undefined) throw new TypeError(`Setting "${key}": the value has no JSON representation`);
    this.upsert.run(key, text, this.now());
  }

  delete(key: string): void {
    this.remove.run(key);
  }
}
