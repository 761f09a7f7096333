/**
 * Every `trm` start registers every command, so registering must not load what the commands run: the
 * engine, the store, the Alpaca SDK, zod (together about 200 ms before `--help` could print).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './index';

/** Heavy modules in the order they were first imported (vi.mock's factories run on first import). */
const { loaded, record } = vi.hoisted(() => {
  const loaded: string[] = [];
  const record =
    (name: string) =>
    async <T>(original: () => Promise<T>): Promise<T> => {
      loaded.push(name);
      return original();
    };
  return { loaded, record };
});
vi.mock('zod', record('zod'));
vi.mock('./web-run', record('web-run'));
vi.mock('./feed-run', record('feed-run'));
vi.mock('./backfill-run', record('backfill-run'));
vi.mock('./calendar-run', record('calendar-run'));
vi.mock('./import-run', record('import-run'));

afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

describe('trm start-up', () => {
  it('prints the help and refuses a bad option value without loading any command', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await main(['--help']);
    await main(['web', '--help']);
    await main(['web', '--port', 'abc']);
    expect(process.exitCode).toBe(2);
    expect(loaded).toEqual([]);
  });

  it('loads only the module of the command that runs', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await main(['calendar', '--from', '2025-01-02', '--to', '2025-01-03']);
    expect(process.exitCode ?? 0).toBe(0);
    expect(loaded).toEqual(['calendar-run']);
  });
});
