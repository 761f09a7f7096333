/**
 * Store throughput on a real file in WAL mode: fresh inserts and re-upserts in batches of 5,000 bars
 * (the BarWriter's default flush size), and chart-style range reads (500-bar windows at random
 * positions) from a table of about a million rows.
 *
 * Writes are measured three ways on the same bars: `upsert` (multi-row statements over runs of
 * consecutive keys), `upsertSeries` (an import's columns), and, for comparison, one prepared statement
 * run per row (how `upsert` wrote before); fresh-row figures are the best of two runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore, type BarSeries } from '../src/main/store';
import type { Bar } from '../src/shared/domain';
import { report } from './lib/report';

const SYMBOLS = 200;
const MINUTES = 5000; // 200 symbols x 5,000 one-minute bars = 1,000,000 rows
const BATCH = 5000;
const WINDOW = 500;
const REUPSERT_ROWS = 200_000;
const READ_SECONDS = 2;
const T0 = Date.UTC(2024, 0, 2, 14, 30);

/** Deterministic pseudo-random numbers (mulberry32), so every run writes the same data. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random-walk 1m bars, minute by minute across all symbols, as a live or demo feed closes them. */
function makeBars(rand: () => number): Bar[] {
  const symbols = Array.from({ length: SYMBOLS }, (_, i) => `S${String(i).padStart(3, '0')}`);
  const last = symbols.map(() => 50 + rand() * 400);
  const bars: Bar[] = [];
  for (let m = 0; m < MINUTES; m++) {
    for (let s = 0; s < SYMBOLS; s++) {
      const open = last[s]!;
      const close = open * (1 + (rand() - 0.5) * 0.004);
      bars.push({
        symbol: symbols[s]!,
        timeframe: '1m',
        start: T0 + m * 60_000,
        open,
        high: Math.max(open, close) * (1 + rand() * 0.001),
        low: Math.min(open, close) * (1 - rand() * 0.001),
        close,
        volume: Math.round(rand() * 50_000),
        closed: true,
      });
      last[s] = close;
    }
  }
  return bars;
}

/** The same bars as columns, per symbol (what an import hands the store). */
function asSeries(bars: readonly Bar[]): BarSeries[] {
  const bySymbol = new Map<string, Bar[]>();
  for (const bar of bars) {
    const list = bySymbol.get(bar.symbol);
    if (list === undefined) bySymbol.set(bar.symbol, [bar]);
    else list.push(bar);
  }
  return [...bySymbol.values()].map((list) => ({
    symbol: list[0]!.symbol,
    timeframe: '1m',
    derivedFrom: 0,
    length: list.length,
    start: Float64Array.from(list, (b) => b.start),
    open: Float64Array.from(list, (b) => b.open),
    high: Float64Array.from(list, (b) => b.high),
    low: Float64Array.from(list, (b) => b.low),
    close: Float64Array.from(list, (b) => b.close),
    volume: Float64Array.from(list, (b) => b.volume),
  }));
}

/** Rows per second of the old write path: one prepared INSERT ... ON CONFLICT run per bar. */
function oneRowPerStatement(path: string, bars: readonly Bar[]): number {
  openStore(path).close(); // the real schema
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const one = db.prepare(
    `INSERT INTO bars (symbol, timeframe, start, open, high, low, close, volume, closed, vwap, trade_count)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (symbol, timeframe, start) DO UPDATE SET
       open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
       volume = excluded.volume, closed = excluded.closed, vwap = excluded.vwap,
       trade_count = excluded.trade_count`,
  );
  const write = db.transaction((batch: readonly Bar[]) => {
    for (const b of batch) {
      one.run(
        b.symbol,
        b.timeframe,
        b.start,
        b.open,
        b.high,
        b.low,
        b.close,
        b.volume,
        b.closed ? 1 : 0,
        null,
        null,
      );
    }
  });
  const start = process.hrtime.bigint();
  for (let i = 0; i < bars.length; i += BATCH) write(bars.slice(i, i + BATCH));
  const rate = bars.length / seconds(start);
  db.close();
  return rate;
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

// eslint-disable-next-line @typescript-eslint/require-await -- the runner's contract is an async default export
export default async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trm-store-bench-'));
  const store = openStore(join(dir, 'bench.sqlite'));
  try {
    const rand = random(42);
    const bars = makeBars(rand);

    let start = process.hrtime.bigint();
    for (let i = 0; i < bars.length; i += BATCH) store.bars.upsert(bars.slice(i, i + BATCH));
    const insertSeconds = seconds(start);

    const updated = bars.slice(0, REUPSERT_ROWS).map((b) => ({ ...b, volume: b.volume + 1 }));
    start = process.hrtime.bigint();
    for (let i = 0; i < updated.length; i += BATCH) store.bars.upsert(updated.slice(i, i + BATCH));
    const reupsertSeconds = seconds(start);

    const first = bars[0]!;
    let reads = 0;
    let rowsRead = 0;
    start = process.hrtime.bigint();
    while (seconds(start) < READ_SECONDS) {
      const symbol = `S${String(Math.floor(rand() * SYMBOLS)).padStart(3, '0')}`;
      const before = first.start + Math.floor(WINDOW + rand() * (MINUTES - WINDOW)) * 60_000;
      rowsRead += store.bars.range(symbol, '1m', { before, limit: WINDOW }).length;
      reads++;
    }
    const readSeconds = seconds(start);

    // The comparison on fresh files, twice each and interleaved (the machine is shared): best of two.
    let after = bars.length / insertSeconds;
    let before = 0;
    for (let round = 0; round < 2; round++) {
      before = Math.max(before, oneRowPerStatement(join(dir, `before-${round}.sqlite`), bars));
      if (round === 0) continue;
      const again = openStore(join(dir, `after-${round}.sqlite`));
      start = process.hrtime.bigint();
      for (let i = 0; i < bars.length; i += BATCH) again.bars.upsert(bars.slice(i, i + BATCH));
      after = Math.max(after, bars.length / seconds(start));
      again.close();
    }
    const seriesStore = openStore(join(dir, 'series.sqlite'));
    const series = asSeries(bars);
    start = process.hrtime.bigint();
    for (const s of series) seriesStore.bars.upsertSeries(s);
    const seriesSeconds = seconds(start);
    seriesStore.close();

    report(
      'store',
      [
        {
          name: `upsert, fresh rows (batches of ${BATCH})`,
          value: after,
          unit: 'rows/s',
        },
        {
          name: `before: one statement per row, fresh rows (batches of ${BATCH})`,
          value: before,
          unit: 'rows/s',
        },
        {
          name: `upsertSeries, fresh rows (an import's columns, ${MINUTES} per symbol)`,
          value: bars.length / seriesSeconds,
          unit: 'rows/s',
        },
        {
          name: `upsert, existing keys (batches of ${BATCH})`,
          value: updated.length / reupsertSeconds,
          unit: 'rows/s',
        },
        { name: `range read, ${WINDOW}-bar windows`, value: rowsRead / readSeconds, unit: 'rows/s' },
        { name: `range read, ${WINDOW}-bar window latency`, value: (readSeconds * 1000) / reads, unit: 'ms' },
      ],
      { rows: store.bars.count(), databaseBytes: store.sizeBytes(), symbols: SYMBOLS, reads },
    );
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
