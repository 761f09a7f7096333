import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openStore } from './store';
import { tempDir, type TempDir } from './test-fixtures/helpers';

const Layout = z.object({ symbols: z.array(z.string()), columns: z.number().int().positive() });

let tmp: TempDir;
let path: string;
let warnings: string[];
const open = () => openStore(path, { onWarning: (message) => warnings.push(message) });

beforeEach(() => {
  tmp = tempDir();
  path = tmp.file('trm.sqlite');
  warnings = [];
});
afterEach(() => tmp.remove());

describe('SettingsRepository', () => {
  it('stores values as JSON and reads them back validated, across restarts', () => {
    const store = open();
    store.settings.set('layout', { symbols: ['SPY', 'QQQ'], columns: 2 });
    store.settings.set('layout', { symbols: ['SPY'], columns: 1 });
    store.close();

    const reopened = open();
    expect(reopened.settings.get('layout', Layout)).toEqual({ symbols: ['SPY'], columns: 1 });
    expect(reopened.settings.get('missing', Layout)).toBeUndefined();
    reopened.close();
    expect(warnings).toEqual([]);
  });

  it('reads a value of the wrong shape as undefined and reports it', () => {
    const store = open();
    store.settings.set('layout', { symbols: 'SPY', columns: 0 });
    expect(store.settings.get('layout', Layout)).toBeUndefined();
    store.close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Setting "layout" has an unexpected shape/);
  });

  it('reads text that is not JSON as undefined and reports it', () => {
    open().close();
    const raw = new Database(path);
    raw
      .prepare("INSERT INTO settings (key, value, updated_at) VALUES ('layout', '{\"symbols\": [', 0)")
      .run();
    raw.close();

    const store = open();
    expect(store.settings.get('layout', Layout)).toBeUndefined();
    store.close();
    expect(warnings).toEqual(['Setting "layout" is not valid JSON; using the default.']);
  });

  it('refuses a value JSON cannot hold, and deletes on request', () => {
    const store = open();
    expect(() => store.settings.set('x', undefined)).toThrow(TypeError);
    store.settings.set('speed', 10);
    store.settings.delete('speed');
    expect(store.settings.get('speed', z.number())).toBeUndefined();
    store.close();
  });
});
