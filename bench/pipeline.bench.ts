/**
 * The whole demo pipeline as it runs at start-up: the synthetic feed generating minute history as fast
 * as possible, through aggregation into every timeframe, into the SQLite store (WAL, batched writes).
 * This is how long a fresh demo world takes to fill, and the rate any fast replay is bounded by.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoEngine } from '../src/main/modes/demo';
import { createLogger } from '../src/main/platform/log';
import { report } from './lib/report';

const SESSIONS = 60;
const SYMBOLS = 10;

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
      ],
      { sessions: SESSIONS, symbols: SYMBOLS, minuteBars, databaseBytes: bytes },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
