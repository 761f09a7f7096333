/** Test helpers: temporary directories, a fresh store per test, and bars with sensible defaults. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { Bar } from '../../../shared/domain';
import { sampleBar } from '../../../shared/test-support/sample-bar';
import { openStore, type Store } from '../store';

export interface TempDir {
  readonly dir: string;
  file(name: string): string;
  remove(): void;
}

export function tempDir(): TempDir {
  const dir = mkdtempSync(join(tmpdir(), 'trm-store-'));
  return {
    dir,
    file: (name) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Before each test of the calling file (or describe block): a new store in a new temporary directory,
 * handed to `use`; after it, the store is closed and the directory removed.
 */
export function storePerTest(use: (store: Store) => void): void {
  let tmp: TempDir | undefined;
  let store: Store | undefined;
  beforeEach(() => {
    tmp = tempDir();
    store = openStore(tmp.file('trm.sqlite'));
    use(store);
  });
  afterEach(() => {
    store?.close();
    tmp?.remove();
  });
}

export const MINUTE = 60_000;
export const T0 = Date.UTC(2024, 0, 2, 14, 30);

export function bar(overrides: Partial<Bar> = {}): Bar {
  return sampleBar({
    start: T0,
    open: 470,
    high: 471,
    low: 469.5,
    close: 470.5,
    volume: 12_000,
    closed: true,
    ...overrides,
  });
}

/** `count` consecutive closed 1m bars of `symbol` from `from`, with distinct closes (close = 100 + index). */
export function series(symbol: string, count: number, from = T0): Bar[] {
  return Array.from({ length: count }, (_, i) =>
    bar({ symbol, start: from + i * MINUTE, open: 100 + i, high: 101 + i, low: 99 + i, close: 100 + i }),
  );
}
