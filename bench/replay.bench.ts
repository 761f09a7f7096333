/**
 * Replay throughput and memory over the real intraday set (../shared/data/intraday/*_1min.csv, about
 * 518,000 minute bars of 13 symbols), written into a market database with the store API.
 *
 * Figures, all in the same run:
 * - the limit: reading the whole table back through better-sqlite3 (raw rows, 5,000 a statement);
 * - the replay's read path alone: closed minutes in (start, symbol) order, window by window, as Bars;
 * - the replay feed at speed 'max' (pacer slices, yielding to the event loop) into the live aggregator,
 *   every timeframe, as the engine runs it: the replay figure;
 * - replay mode end to end: feed, aggregation, the scratch store's writes and the bus, to the end;
 * - RSS at the start and end of each replay and its peak (sampled every 50 ms): flat means the replay
 *   holds a window of bars, not the range.
 * The database is built here; the replays run in a child process that never held the CSV's bars, so
 * its RSS is the replay's own. Skips, saying so, when the data folder is missing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Bar } from '../src/shared/domain';
import { BarAggregator } from '../src/main/core/bar-aggregator';
import { nyseCalendar } from '../src/main/core/calendar';
import type { FeedSink } from '../src/main/market/feed';
import { ReplayFeed } from '../src/main/market/replay/replay-feed';
import { createReplayEngine } from '../src/main/modes/replay';
import { systemTimers } from '../src/main/platform/clock';
import { createLogger } from '../src/main/platform/log';
import { openStore } from '../src/main/store/store';
import { INTRADAY_DIR, loadIntradayMinutes } from './lib/intraday';
import { report } from './lib/report';

const MB = 1024 * 1024;
const WRITE_BATCH = 5_000;

/** RSS while `run` runs: at the start, at the end, and the peak of samples every 50 ms. */
async function withRss<T>(
  run: () => Promise<T>,
): Promise<{ value: T; start: number; end: number; peak: number }> {
  // What earlier phases left is collected first (the child runs with --expose-gc).
  (globalThis as { gc?: () => void }).gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  try {
    const value = await run();
    const end = process.memoryUsage().rss;
    return { value, start, end, peak: Math.max(peak, end) };
  } finally {
    clearInterval(sampler);
  }
}

/** Runs a replay feed at 'max' over the whole database into `sink` until it finishes; returns seconds. */
function replayToEnd(feed: ReplayFeed, sink: FeedSink): Promise<number> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    feed.start({
      ...sink,
      state: (state, message) => {
        sink.state(state, message);
        if (state === 'closed') resolve(Number(process.hrtime.bigint() - started) / 1e9);
      },
    });
  });
}

interface Measured {
  readSeconds: number;
  scanSeconds: number;
  aggregated: { value: number; start: number; end: number; peak: number };
  /** RSS after each quarter of the bars of the aggregation replay. */
  quarters: number[];
  whole: { value: number; start: number; end: number; peak: number };
  scratchBytes: number;
}

/** The replays over a built database (run in a child process: see the module comment). */
async function measure(
  dbPath: string,
  total: number,
  symbols: string[],
  from: number,
  to: number,
): Promise<Measured> {
  // The limit: the table read back in primary-key order, 5,000 raw rows a statement, nothing else.
  const db = new Database(dbPath, { readonly: true });
  const next = db
    .prepare<[string, string, number], unknown[]>(
      `SELECT symbol, timeframe, start, open, high, low, close, volume, closed, vwap, trade_count FROM bars
       WHERE (symbol, timeframe, start) > (?, ?, ?) ORDER BY symbol, timeframe, start LIMIT 5000`,
    )
    .raw();
  const readStarted = process.hrtime.bigint();
  let rows = 0;
  for (let key: [string, string, number] = ['', '', 0]; ;) {
    const batch = next.all(...key);
    rows += batch.length;
    if (batch.length < 5000) break;
    const last = batch.at(-1)!;
    key = [last[0] as string, last[1] as string, last[2] as number];
  }
  const readSeconds = Number(process.hrtime.bigint() - readStarted) / 1e9;
  db.close();
  if (rows !== total) throw new Error(`read ${rows} rows back, wrote ${total}`);

  // The replay's read path: every window in order, as Bars.
  const source = openStore(dbPath);
  const scanStarted = process.hrtime.bigint();
  let scanned = 0;
  for (let t = from; t < to; t += 2 * 86_400_000) {
    scanned += source.barScan.minuteBars(symbols, t, t + 2 * 86_400_000).length;
  }
  const scanSeconds = Number(process.hrtime.bigint() - scanStarted) / 1e9;
  if (scanned !== total) throw new Error(`scanned ${scanned} bars, stored ${total}`);

  // The replay feed at max speed through the live aggregator.
  const aggregator = new BarAggregator(nyseCalendar, { forming: 'on-demand' });
  let emitted = 0;
  let minutes = 0;
  const quarters: number[] = [];
  const sink: FeedSink = {
    trade: () => undefined,
    minuteBar: (bar: Bar) => {
      minutes++;
      emitted += aggregator.onMinuteBar(bar).length;
      if (minutes % Math.ceil(total / 4) === 0) quarters.push(process.memoryUsage().rss);
    },
    historyBars: () => undefined,
    officialDailyBar: () => undefined,
    time: (t) => {
      emitted += aggregator.onTime(t).length;
    },
    state: () => undefined,
    rewind: () => undefined,
  };
  const feed = new ReplayFeed({
    symbols: symbols.map((symbol) => ({ symbol, name: symbol, kind: 'stock' })),
    from,
    to,
    minutes: { minuteBars: (a, b) => source.barScan.minuteBars(symbols, a, b) },
    calendar: nyseCalendar,
    speed: 'max',
    timers: systemTimers,
  });
  const aggregated = await withRss(() => replayToEnd(feed, sink));
  feed.stop();
  source.close();
  if (minutes !== total || emitted < total) throw new Error(`replayed ${minutes} of ${total} bars`);

  // Replay mode end to end: scratch store writes and the bus included.
  const engine = createReplayEngine({
    dbPath,
    from: Date.UTC(2000, 0, 1),
    to: Date.UTC(2100, 0, 1),
    speed: 'max',
    autoplay: true,
    log: createLogger('bench', 'warn'),
  });
  const finished = new Promise<void>((resolve) => {
    engine.service.events['replay.stateChanged']({}, (state) => {
      if (state.finished) resolve();
    });
  });
  const whole = await withRss(async () => {
    const started = process.hrtime.bigint();
    engine.start();
    await finished;
    return Number(process.hrtime.bigint() - started) / 1e9;
  });
  const scratchBytes = engine.status().store.bytes;
  engine.stop();
  return { readSeconds, scanSeconds, aggregated, quarters, whole, scratchBytes };
}

export default function replayBench(): void {
  const set = loadIntradayMinutes();
  if (set === null) {
    console.log(`replay: skipped: ${INTRADAY_DIR} is missing (the real intraday set is not on this machine)`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'trm-bench-replay-'));
  try {
    const dbPath = join(dir, 'market.sqlite');
    const total = set.bars.length;
    const symbols = [...set.symbols].sort();
    const from = set.bars[0]!.start;
    const to = nyseCalendar.sessionOnOrBefore(set.bars.at(-1)!.start).close;
    const store = openStore(dbPath);
    for (const symbol of symbols) {
      store.symbols.register({ symbol, name: symbol, kind: 'stock', calendar: 'XNYS', source: 'import' });
    }
    for (let i = 0; i < total; i += WRITE_BATCH) store.bars.upsert(set.bars.slice(i, i + WRITE_BATCH));
    store.close();

    const child = spawnSync(
      process.execPath,
      [
        '--expose-gc',
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        dbPath,
        String(total),
        String(from),
        String(to),
        ...symbols,
      ],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    if (child.status !== 0) throw new Error(`the replay run failed:\n${child.stderr}`);
    const m = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Measured;
    report(
      'replay',
      [
        {
          name: 'limit: the bars table read back (primary-key order, raw rows, 5,000 a statement)',
          value: total / m.readSeconds,
          unit: 'rows/s',
        },
        {
          name: "replay's read path alone (windows by start, symbol, as Bars)",
          value: total / m.scanSeconds,
          unit: 'bars/s',
        },
        {
          name: '1m bars read from the store through aggregation, speed max',
          value: total / m.aggregated.value,
          unit: 'bars/s',
        },
        {
          name: 'replay mode end to end (aggregation, scratch store, bus), speed max',
          value: total / m.whole.value,
          unit: 'bars/s',
        },
        { name: 'RSS at the start of the aggregation replay', value: m.aggregated.start / MB, unit: 'MB' },
        ...m.quarters.slice(0, 3).map((rss, i) => ({
          name: `RSS after ${(i + 1) * 25}% of the bars of the aggregation replay`,
          value: rss / MB,
          unit: 'MB',
        })),
        { name: 'RSS peak during the aggregation replay', value: m.aggregated.peak / MB, unit: 'MB' },
        { name: 'RSS at the end of the aggregation replay', value: m.aggregated.end / MB, unit: 'MB' },
        { name: 'RSS at the start of the end-to-end replay', value: m.whole.start / MB, unit: 'MB' },
        { name: 'RSS peak during the end-to-end replay', value: m.whole.peak / MB, unit: 'MB' },
        { name: 'RSS at the end of the end-to-end replay', value: m.whole.end / MB, unit: 'MB' },
      ],
      {
        minuteBars: total,
        symbols: symbols.length,
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        source: 'shared/data/intraday/*_1min.csv',
        scratchStoreBytes: m.scratchBytes,
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The child: node --import tsx bench/replay.bench.ts <db> <bars> <from> <to> <symbols...>
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dbPath, total, from, to, ...symbols] = process.argv.slice(2);
  const measured = await measure(dbPath!, Number(total), symbols, Number(from), Number(to));
  console.log(JSON.stringify(measured));
}
