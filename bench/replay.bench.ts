/**
 * Replay throughput and memory over the real intraday set (../shared/data/intraday/*_1min.csv, about
 * 518,000 minute bars of 13 symbols), written into a market database with the store API.
 *
 * Figures, all in the same run:
 * - the limit: reading the whole table back through better-sqlite3 (one statement, raw rows);
 * - the replay's read path alone: closed minutes in (start, symbol) order, window by window, as Bars;
 * - the replay feed at speed 'max' (pacer slices, yielding to the event loop) into the live aggregator,
 *   every timeframe, as the engine runs it: the replay figure;
 * - replay mode end to end: feed, aggregation, the scratch store's writes and the bus, to the end;
 * - RSS at the start and end of each replay and its peak (sampled every 50 ms): flat means the replay
 *   holds a window of bars, not the range.
 * Skips, saying so, when the data folder is missing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

export default async function replayBench(): Promise<void> {
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
    {
      const store = openStore(dbPath);
      for (const symbol of symbols) {
        store.symbols.register({ symbol, name: symbol, kind: 'stock', calendar: 'XNYS', source: 'import' });
      }
      for (let i = 0; i < total; i += WRITE_BATCH) store.bars.upsert(set.bars.slice(i, i + WRITE_BATCH));
      store.close();
    }
    set.bars.length = 0; // the CSV's bars are not the replay's to hold

    // The limit: the table read back, nothing else.
    const db = new Database(dbPath, { readonly: true });
    const readStarted = process.hrtime.bigint();
    let rows = 0;
    for (const row of db.prepare('SELECT * FROM bars').raw().iterate()) if (row) rows++;
    const readSeconds = Number(process.hrtime.bigint() - readStarted) / 1e9;
    db.close();
    if (rows !== total) throw new Error(`read ${rows} rows back, wrote ${total}`);

    // The replay's read path: every window in order, as Bars.
    const source = openStore(dbPath);
    const scanStarted = process.hrtime.bigint();
    let scanned = 0;
    for (let t = from; t < to; t += 2 * 86_400_000)
      scanned += source.barScan.minuteBars(symbols, t, t + 2 * 86_400_000).length;
    const scanSeconds = Number(process.hrtime.bigint() - scanStarted) / 1e9;
    if (scanned !== total) throw new Error(`scanned ${scanned} bars, stored ${total}`);

    // The replay feed at max speed through the live aggregator.
    const aggregator = new BarAggregator(nyseCalendar, { forming: 'on-demand' });
    let emitted = 0;
    let minutes = 0;
    const sink: FeedSink = {
      trade: () => undefined,
      minuteBar: (bar: Bar) => {
        minutes++;
        emitted += aggregator.onMinuteBar(bar).length;
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

    report(
      'replay',
      [
        {
          name: 'limit: the bars table read back (one statement, raw rows)',
          value: total / readSeconds,
          unit: 'rows/s',
        },
        {
          name: "replay's read path alone (windows by start, symbol, as Bars)",
          value: total / scanSeconds,
          unit: 'bars/s',
        },
        {
          name: '1m bars read from the store through aggregation, speed max',
          value: total / aggregated.value,
          unit: 'bars/s',
        },
        {
          name: 'replay mode end to end (aggregation, scratch store, bus), speed max',
          value: total / whole.value,
          unit: 'bars/s',
        },
        { name: 'RSS at the start of the aggregation replay', value: aggregated.start / MB, unit: 'MB' },
        { name: 'RSS peak during the aggregation replay', value: aggregated.peak / MB, unit: 'MB' },
        { name: 'RSS at the end of the aggregation replay', value: aggregated.end / MB, unit: 'MB' },
        { name: 'RSS at the start of the end-to-end replay', value: whole.start / MB, unit: 'MB' },
        { name: 'RSS peak during the end-to-end replay', value: whole.peak / MB, unit: 'MB' },
        { name: 'RSS at the end of the end-to-end replay', value: whole.end / MB, unit: 'MB' },
      ],
      {
        minuteBars: total,
        symbols: symbols.length,
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        source: 'shared/data/intraday/*_1min.csv',
        scratchStoreBytes: scratchBytes,
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
