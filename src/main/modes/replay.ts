/**
 * Replay mode: stored history from the market database, replayed at any speed through the same engine
 * as live (aggregation, store, and later features, inference and the demo broker).
 *
 * Design: two databases.
 * - The source is the market database (`--db`, default market.sqlite in the data folder), held for the
 *   run (another process holding it gets the store's StoreInUseError, which says what to do) and only
 *   read: the replay feed reads its closed 1m bars window by window (store/bar-scan.ts), in (start,
 *   symbol) order.
 * - The engine's own store is a scratch database, fresh at each start in the OS temp folder and removed
 *   on stop. The charts read it, so it holds exactly what the replay clock has reached and nothing after:
 *   seeded with history from before the range (the source's coarser bars from before it, then
 *   WARMUP_SESSIONS sessions of minutes delivered through the feed as fast as possible and aggregated
 *   like any minutes, which replace the copied bars of the sessions they cover), then the replayed
 *   minutes as the clock reaches them. A seek back deletes what
 *   follows the rewind point (FeedSink.rewind) and replays forward from there, so `market.bars` never
 *   shows a bar from the replay's future, and the source is never written.
 *
 * Range: --from/--to dates give the first session on or after `from` and the last on or before `to`;
 * by default the last DEFAULT_SESSIONS sessions that have minute bars (either end defaults on its own).
 * Symbols: those with minute bars in the range, with the kind and calendar the symbol registry records
 * (a symbol it does not know trades on NYSE hours, or around the clock if it is a pair like BTC/USD).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  ASSET_KINDS,
  SymbolSchema,
  type Bar,
  type Speed,
  type SymbolInfo,
  type Timeframe,
} from '../../shared/domain';
import {
  alwaysOpenCalendar,
  calendarById,
  nyseCalendar,
  type Session,
  type SessionCalendar,
} from '../core/calendar';
import { Engine } from '../engine/kernel';
import type { ImportIntakeFactory, KeysKeeper } from '../engine/ports';
import { ReplayFeed } from '../market/replay/replay-feed';
import {
  bucketBoundaryAtOrBefore,
  firstSessionOnOrAfterDate,
  lastSessionOnOrBeforeDate,
} from '../market/replay/replay-range';
import { systemTimers, type Timers } from '../platform/clock';
import type { Logger } from '../platform/log';
import { openStore, type Store } from '../store/store';
import { openEngineStore } from './engine-store';
import { ModeError } from './mode-choice';

/** Sessions replayed when no range is given. */
export const DEFAULT_SESSIONS = 5;
/** Sessions of minutes before the range that the charts start with. */
export const WARMUP_SESSIONS = 5;
/** How many of the source's coarser bars from before the range are copied, per symbol and timeframe. */
const HISTORY_LIMITS: Readonly<Record<Exclude<Timeframe, '1m'>, number>> = {
  '5m': 500,
  '15m': 500,
  '1h': 500,
  '4h': 500,
  '1D': 1000,
};

export interface ReplayEngineOptions {
  /** The market database to replay from. */
  dbPath: string;
  /** Epoch ms of midnight UTC of the first and last dates to replay (as the CLI parses --from/--to). */
  from?: number;
  to?: number;
  speed: Speed;
  /**
   * Play as soon as the warm-up is done. Default false: a replay waits at its first session's open for
   * the trader to press Play (a web-mode window may open long after the engine started).
   */
  autoplay?: boolean;
  timers?: Timers;
  log: Logger;
  keys?: KeysKeeper;
  /**
   * Imports from the window: they go into the source market database (which this run holds); what they
   * add shows in the next replay, not in the range already planned.
   */
  imports?: ImportIntakeFactory;
  /** better-sqlite3 addon built for Electron's ABI, when running in Electron. */
  sqliteBinding?: string;
}

/** What to replay: symbols, range and warm-up, worked out from the source. */
export interface ReplayPlan {
  symbols: SymbolInfo[];
  from: number;
  to: number;
  warmFrom: number;
}

const iso = (t: number): string => new Date(t).toISOString().slice(0, 10);

function importAdvice(db: string): string {
  return `Import history first with "npx trm import <files>" (1-minute bars), or start with --db <a market database>. (Database: ${db})`;
}

/**
 * Opens the source, plans the replay, and returns an engine ready to start. Throws ModeError when there
 * is nothing to replay (with what to do), StoreInUseError when another process holds the database.
 */
export function createReplayEngine(options: ReplayEngineOptions): Engine {
  const timers = options.timers ?? systemTimers;
  const { log } = options;
  const dbPath = resolve(options.dbPath);
  if (!existsSync(dbPath))
    throw new ModeError(`There is no market database to replay. ${importAdvice(dbPath)}`);
  const binding = options.sqliteBinding ? { nativeBinding: options.sqliteBinding } : {};
  const source = openStore(dbPath, { onWarning: (message) => log.warn(message), ...binding });
  let scratchDir: string | null = null;
  let scratch: Store | null = null;
  const release = (): void => {
    source.close();
    if (scratchDir !== null) rmSync(scratchDir, { recursive: true, force: true });
  };
  try {
    const plan = planReplay(source, options.from, options.to);
    scratchDir = mkdtempSync(join(tmpdir(), 'trm-replay-'));
    scratch = openEngineStore({
      dbPath: join(scratchDir, 'replay.sqlite'),
      timers,
      log,
      ...(options.sqliteBinding ? { sqliteBinding: options.sqliteBinding } : {}),
    });
    const symbols = plan.symbols.map((info) => info.symbol);
    const feed = new ReplayFeed({
      symbols: plan.symbols,
      from: plan.from,
      to: plan.to,
      warmFrom: plan.warmFrom,
      history: historyBefore(source, symbols, plan.from),
      minutes: { minuteBars: (from, to) => source.barScan.minuteBars(symbols, from, to) },
      calendar: nyseCalendar,
      speed: options.speed,
      timers,
      autoplay: options.autoplay ?? false,
    });
    log.info(
      `replaying ${symbols.join(', ')} from ${iso(plan.from)} to ${iso(plan.to - 1)} out of ${dbPath} ` +
        `(scratch store ${scratch.path})`,
    );
    return new Engine({
      mode: 'replay',
      feed,
      store: scratch,
      calendar: nyseCalendar,
      timers,
      log,
      replay: feed,
      release,
      ...(options.keys ? { keys: options.keys } : {}),
      ...(options.imports ? { imports: options.imports(source) } : {}),
    });
  } catch (error) {
    scratch?.close();
    release();
    throw error;
  }
}

/**
 * Picks the symbols and the range from what the source holds (see the module comment). Throws ModeError
 * when it holds no minute bars, or none in the range asked for.
 */
export function planReplay(source: Store, fromDay?: number, toDay?: number): ReplayPlan {
  const registered = new Map(source.symbols.list().map((record) => [record.symbol, record]));
  const candidates: { info: SymbolInfo; first: number; last: number }[] = [];
  for (const symbol of source.barScan.symbols()) {
    if (!SymbolSchema.safeParse(symbol).success) continue;
    const extent = source.barScan.minuteExtent(symbol);
    if (extent === null) continue;
    const record = registered.get(symbol);
    const info: SymbolInfo = record
      ? { symbol, name: record.name.slice(0, 120) || symbol, kind: record.kind, calendar: record.calendar }
      : { symbol, name: symbol, kind: 'stock', calendar: symbol.includes('/') ? '24x7' : 'XNYS' };
    candidates.push({ info, ...extent });
  }
  if (candidates.length === 0) {
    throw new ModeError(`The market database holds no 1-minute bars to replay. ${importAdvice(source.path)}`);
  }
  const all = candidates.map((c) => c.info.symbol);
  const firstMinute = Math.min(...candidates.map((c) => c.first));
  const lastMinute = Math.max(...candidates.map((c) => c.last));
  const held = `Stored minutes run from ${iso(firstMinute)} to ${iso(lastMinute)}.`;
  // Sessions are counted on the NYSE's calendar when any symbol trades there, else around the clock.
  const calendar = candidates.some((c) => (c.info.calendar ?? 'XNYS') === 'XNYS')
    ? nyseCalendar
    : alwaysOpenCalendar;
  const withMinutes = (s: Session): boolean => source.barScan.hasMinutes(all, s.open, s.close);

  // The range ends with the session of --to's date, else of the last stored minute.
  let last =
    toDay === undefined ? calendar.sessionOnOrBefore(lastMinute) : lastSessionOnOrBeforeDate(calendar, toDay);
  let first: Session;
  if (fromDay !== undefined) {
    first = firstSessionOnOrAfterDate(calendar, fromDay);
  } else {
    // The last sessions that have minutes, counting back from the end of the range.
    const found: Session[] = [];
    for (
      let s = last;
      s.close > firstMinute && found.length < DEFAULT_SESSIONS;
      s = calendar.previousSession(s)
    ) {
      if (withMinutes(s)) found.push(s);
    }
    if (found.length === 0) {
      throw new ModeError(
        `No minute bars on or before ${iso(last.open)} to replay. ${held} Pick dates with --from and --to.`,
      );
    }
    first = found.at(-1)!;
    last = found[0]!;
  }
  if (first.open > last.open) {
    throw new ModeError(
      `No trading session from ${iso(fromDay ?? first.open)} to ${iso(toDay ?? last.open)}. ` +
        'Pick a --from on or before --to.',
    );
  }
  const from = first.open;
  const to = last.close;
  // Display order, as a trader scans a market: index funds first, then bonds, commodities, sectors,
  // single stocks and crypto, each alphabetically.
  const symbols = candidates
    .filter((c) => source.barScan.hasMinutes([c.info.symbol], from, to))
    .map((c) => c.info)
    .sort(
      (a, b) => ASSET_KINDS.indexOf(a.kind) - ASSET_KINDS.indexOf(b.kind) || a.symbol.localeCompare(b.symbol),
    );
  if (symbols.length === 0) {
    throw new ModeError(
      `No minute bars between ${iso(from)} and ${iso(to - 1)} to replay. ${held} ` +
        'Pick dates in that span with --from and --to, or import history for these dates with "npx trm import <files>".',
    );
  }
  const calendars = [...new Set(symbols.map((info) => calendarOf(info)))];
  let warm = first;
  for (let i = 0; i < WARMUP_SESSIONS; i++) warm = calendar.previousSession(warm);
  return { symbols, from, to, warmFrom: bucketBoundaryAtOrBefore(calendars, warm.open) };
}

function calendarOf(info: SymbolInfo): SessionCalendar {
  return calendarById(info.calendar ?? 'XNYS');
}

/** The source's closed bars of coarser timeframes that start before `before`, oldest first. */
function historyBefore(source: Store, symbols: readonly string[], before: number): Bar[] {
  const bars: Bar[] = [];
  for (const symbol of symbols) {
    for (const [timeframe, limit] of Object.entries(HISTORY_LIMITS) as [Timeframe, number][]) {
      for (const bar of source.bars.range(symbol, timeframe, { before, limit }))
        if (bar.closed) bars.push(bar);
    }
  }
  return bars;
}
