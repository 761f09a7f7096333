/**
 * Kills a writing process with SIGKILL (no chance to clean up) at several moments and checks what a
 * user relies on after a crash: the file is intact, every batch reported committed is there in full,
 * no batch is there in part, and the dead process's lock is gone so the app starts again.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from './store';
import { runFixture } from './test-fixtures/child-process';
import { tempDir, type TempDir } from './test-fixtures/helpers';

const BATCH = 2000;

let tmp: TempDir;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

describe('crash safety', () => {
  // Different kill points: during the first batches, and later, when the WAL has grown past the
  // auto-checkpoint size so a kill can also land during a checkpoint.
  it.each([0, 4, 25, 60])('keeps committed batches whole when killed after batch %i', async (killAfter) => {
    const path = tmp.file('crash.sqlite');
    const writer = runFixture('crash-writer.ts', [path, String(BATCH)]);
    await writer.waitForLine(new RegExp(`^committed ${killAfter}$`));
    writer.child.kill('SIGKILL');
    const { signal } = await writer.exited;
    expect(signal).toBe('SIGKILL');

    const reported = writer.lines.filter((l) => l.startsWith('committed ')).map((l) => Number(l.slice(10)));
    const lastReported = Math.max(...reported);
    expect(lastReported).toBeGreaterThanOrEqual(killAfter);

    // The dead writer's lock is gone: the app opens the database again.
    openStore(path).close();

    const db = new Database(path);
    const integrity = db.pragma('integrity_check', { simple: true });
    const batches = db
      .prepare<[], { batch: number; rows: number }>(
        `SELECT start / ${BATCH} AS batch, count(*) AS rows FROM bars GROUP BY batch ORDER BY batch`,
      )
      .all();
    db.close();

    expect(integrity).toBe('ok');
    // Whole batches only, numbered from 0 without gaps; at most one more than reported (committed, then
    // killed before it could print).
    for (const { batch, rows } of batches) expect({ batch, rows }).toEqual({ batch, rows: BATCH });
    expect(batches.map((b) => b.batch)).toEqual(batches.map((_, i) => i));
    expect(batches.length - 1).toBeGreaterThanOrEqual(lastReported);
    expect(batches.length - 1).toBeLessThanOrEqual(lastReported + 1);
  });
});
