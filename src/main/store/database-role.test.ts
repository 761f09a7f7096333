import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_WORLD_KEY, DemoWorldDatabaseError, holdsDemoWorld, refuseDemoWorld } from './database-role';
import { openStore, type Store } from './store';
import { tempDir, type TempDir } from './test-fixtures/helpers';

let tmp: TempDir;
let store: Store;
beforeEach(() => {
  tmp = tempDir();
  store = openStore(tmp.file('trm.sqlite'));
});
afterEach(() => {
  store.close();
  tmp.remove();
});

describe('database role', () => {
  it('tells a demo world’s database from a market database, and refuses writing real data into the first', () => {
    expect(holdsDemoWorld(store.settings)).toBe(false);
    expect(() => refuseDemoWorld(store)).not.toThrow();
    store.settings.set(DEMO_WORLD_KEY, { seed: 1 });
    expect(holdsDemoWorld(store.settings)).toBe(true);
    expect(() => refuseDemoWorld(store)).toThrow(DemoWorldDatabaseError);
    expect(() => refuseDemoWorld(store)).toThrow(/holds a generated demo world.*market database/);
  });
});
