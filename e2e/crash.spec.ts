/**
 * Killing the workstation mid-stream (SIGKILL: no chance to flush) and starting it again: the database
 * is intact, the demo world resumes where the last committed write left it, and the history has no
 * hole, no duplicate, and higher timeframes that still agree with their minutes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { startTrmProcess, stopProcess } from './workstation';

const MINUTE = 60_000;

interface Row {
  start: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  closed: number;
}

test('after a SIGKILL the demo world resumes intact: no hole, no duplicate, consistent timeframes', async () => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'trm-crash-'));
  const dbPath = join(dir, 'demo.sqlite');
  try {
    const first = await startTrmProcess(dbPath, [/feed synthetic: live/]);
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // about six market minutes at 120x
    await stopProcess(first.child, 'SIGKILL');

    const second = await startTrmProcess(dbPath, [/feed synthetic: live/]);
    expect(second.output()).toContain('resuming the demo world');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await stopProcess(second.child, 'SIGTERM');

    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const minutes = db
        .prepare("SELECT * FROM bars WHERE symbol = 'SPY' AND timeframe = '1m' AND start >= ? ORDER BY start")
        .all(Date.UTC(2025, 2, 14, 13, 30)) as Row[];
      // The whole morning, minute after minute, through the crash and the restart.
      expect(minutes.length).toBeGreaterThan(30 + 8);
      minutes.forEach((row, i) => expect(row.start).toBe(Date.UTC(2025, 2, 14, 13, 30) + i * MINUTE));
      const fives = db
        .prepare(
          "SELECT * FROM bars WHERE symbol = 'SPY' AND timeframe = '5m' AND start >= ? AND closed = 1 ORDER BY start",
        )
        .all(Date.UTC(2025, 2, 14, 13, 30)) as Row[];
      expect(fives.length).toBeGreaterThan(6);
      for (const five of fives) {
        const inside = minutes.filter((m) => m.start >= five.start && m.start < five.start + 5 * MINUTE);
        expect(inside).toHaveLength(5);
        expect({
          open: inside[0]!.open,
          high: Math.max(...inside.map((m) => m.high)),
          low: Math.min(...inside.map((m) => m.low)),
          close: inside.at(-1)!.close,
        }).toEqual({ open: five.open, high: five.high, low: five.low, close: five.close });
        expect(five.volume).toBeCloseTo(
          inside.reduce((sum, m) => sum + m.volume, 0),
          3,
        );
      }
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
