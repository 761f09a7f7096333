/**
 * The whole demo pipeline as it runs at start-up: the synthetic feed generating minute history as fast
 * as possible, through aggregation into every timeframe, into the SQLite store (WAL, batched writes).
 * This is how long a fresh demo world takes to fill. Closed bars are written as they close and forming
 * bars as snapshots; the figure from before that change is printed beside it (recorded, not re-run:
 * the code that wrote every forming update is gone).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoEngine } from '../src/main/modes/demo';
import { createLogger } from '../src/main/platform/log';
import { report } from './lib/report';

const SESSIONS = 60;
const SYMBOLS = 10;
/**
 * Before forming bars became snapshots (every update of every forming bar was queued as a row): this
 * benchmark at c82216f, 2026-11-22, on the 2-core development machine (bench/results/pipeline.json then).
 */
const BEFORE_SNAPSHOTS = { barsPerSecond: 122_522, commit: 'c82216f', measuredAt: '2026-11-22' };

export default async function pipeline(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trm-bench-pipeline-'));
  try {
    const engine = createDemoEngine({
      dbPath: join(dir, 'demo.sqlite'),
      seed: 1,
      speed: 1,
      startAt: Date.UTC(2025, 2, 14, 13, 30), // a session open, so history is whole sessions
      minuteSessions: SESSIONS,
      dailySessions: 0,
      log: createLogger('bench', 'warn'),
    });
    const started = process.hrtime.bigint();
    const live = new Promise<void>((resolve) => {
      engine.service.events['engine.statusChanged']({}, (status) => {
        if (status.feed.state === 'live') resolve();
      });
    });
    engine.start();
    await live;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const bytes = engine.status().store.bytes;
    engine.stop();
    const minuteBars = SESSIONS * 390 * SYMBOLS;
    report(
      'pipeline',
      [
        {
          name: 'demo history, 1m bars generated, aggregated and stored',
          value: minuteBars / seconds,
          unit: 'bars/s',
        },
        { name: `fresh demo world of ${SESSIONS} sessions x ${SYMBOLS} symbols`, value: seconds, unit: 's' },
        {
          name: `before snapshots (every forming update written; ${BEFORE_SNAPSHOTS.commit}, ${BEFORE_SNAPSHOTS.measuredAt})`,
          value: BEFORE_SNAPSHOTS.barsPerSecond,
          unit: 'bars/s',
        },
      ],
      { sessions: SESSIONS, symbols: SYMBOLS, minuteBars, databaseBytes: bytes, before: BEFORE_SNAPSHOTS },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
