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
 * Granularity (--bars): 1-minute bars, or daily bars a session at a time (a daily replay: each
 * session's bars of every symbol go out as closed 1D bars at its close, where the strategy model
 * decides; it also serves a database of daily history alone, such as end-of-day files of 1993-2021). By
 * default minutes when the range holds any, else daily bars. A daily replay has no warm-up minutes: the
 * source's daily bars before the range (HISTORY_LIMITS) are its history, and its default speed plays a
 * session in about a second. Daily bars are read per symbol through the bar repository.
 *
 * Range: --from/--to dates give the first session on or after `from` and the last on or before `to`;
 * by default the last DEFAULT_SESSIONS sessions that have minute bars, or DEFAULT_DAILY_SESSIONS that
 * have daily bars (either end defaults on its own).
 * Symbols: those with bars of the granularity in the range, with the kind and calendar the symbol
 * registry records (a symbol it does not know trades on NYSE hours, or around the clock if it is a pair
 * like BTC/USD).
 *
 * Trading: each run trades a fresh demo account of its own, `replay:<run start>` (core/trading/
 * replay-account.ts), journaled in the market database and kept there after the run for review; its
 * settings (trading state, limits, strategy following: off until turned on) are that account's alone.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  ASSET_KINDS,
  SymbolSchema,
  type Bar,
  type ReplayGranularity,
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
import { utcDateOf } from '../core/calendar-dates';
import { replayAccount } from '../core/trading/replay-account';
import { DemoBroker } from '../broker/demo/demo-broker';
import { Engine } from '../engine/kernel';
import type { ImportIntakeFactory, KeysKeeper } from '../engine/ports';
import type { NewsFactory } from '../engine/news-service';
import type { SignalsFactory } from '../engine/signals-service';
import { RecordedNewsFeed } from '../market/news/recorded-news-feed';
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

/** Sessions replayed when no range is given: of minutes, and of daily bars. */
export const DEFAULT_SESSIONS = 5;
export const DEFAULT_DAILY_SESSIONS = 250;
/** A daily replay's default speed: a 6.5-hour session in about a wall second. */
export const DAILY_SPEED = 23_400;
const DAY = 86_400_000;
/** Sessions of minutes before the range that the charts start with. */
export const WARMUP_SESSIONS = 5;
/**
 * How many of the source's coarser bars from before the range are copied, per symbol and timeframe. A
 * daily replay's features look back 60 sessions: 1000 daily bars (at least 300) are ample warm-up.
 */
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
  /** Minute or daily bars; default: minutes when the range holds any, else daily bars. */
  bars?: ReplayGranularity;
  /** Default: 1 (real time) for minutes, DAILY_SPEED for daily bars. */
  speed?: Speed;
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
  /** The strategy model (predictions at each daily close the replay reaches). */
  signals?: SignalsFactory;
  /**
   * News: the market database's recorded news (`trm news import`) released on the replay clock from the
   * replay's first bar (the warm-up's start), scored as it arrives.
   */
  news?: NewsFactory;
  /** better-sqlite3 addon built for Electron's ABI, when running in Electron. */
  sqliteBinding?: string;
}

/** What to replay: symbols, range and warm-up, worked out from the source. */
export interface ReplayPlan {
  granularity: ReplayGranularity;
  symbols: SymbolInfo[];
  from: number;
  to: number;
  warmFrom: number;
}

function importAdvice(db: string): string {
  return `Import history first with "npx trm import <files>" (1-minute or daily bars), or start with --db <a market database>. (Database: ${db})`;
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
    const plan = planReplay(source, options.from, options.to, options.bars);
    scratchDir = mkdtempSync(join(tmpdir(), 'trm-replay-'));
    const store = openEngineStore({
      dbPath: join(scratchDir, 'replay.sqlite'),
      timers,
      log,
      ...(options.sqliteBinding ? { sqliteBinding: options.sqliteBinding } : {}),
    });
    scratch = store;
    const symbols = plan.symbols.map((info) => info.symbol);
    const daily = plan.granularity === '1D';
    const settings = {
      symbols: plan.symbols,
      from: plan.from,
      to: plan.to,
      warmFrom: plan.warmFrom,
      // Minutes: the warm-up's minutes replace the copied bars of the sessions they cover.
      history: historyBefore(source, symbols, daily ? plan.warmFrom : plan.from),
      calendar: nyseCalendar,
      speed: options.speed ?? (daily ? DAILY_SPEED : 1),
      timers,
      autoplay: options.autoplay ?? false,
    };
    const feed = daily
      ? new ReplayFeed({
          ...settings,
          daily: { dailyBars: (from, to) => dailyBars(source, symbols, from, to) },
          // A session is a few dozen bars, far below the writer's batch: write each before the next.
          flushWrites: () => store.barWriter.flush(),
        })
      : new ReplayFeed({
          ...settings,
          minutes: { minuteBars: (from, to) => source.barScan.minuteBars(symbols, from, to) },
        });
    log.info(
      `replaying ${daily ? 'daily' : '1-minute'} bars of ${symbols.join(', ')} from ${utcDateOf(plan.from)} ` +
        `to ${utcDateOf(plan.to - 1)} out of ${dbPath} (scratch store ${store.path})`,
    );
    // Each run trades a fresh account ($100,000, strategy following off, default limits) keyed by its start,
    // so runs never mix: an earlier replay's positions, P&L, kill switch and following stay in its own.
    const account = replayAccount(timers.now(), source.trading.accounts());
    log.info(
      `trading in a fresh replay account, ${account}; its journal stays in ${dbPath} ` +
        `(after the run: npx trm orders --db ${dbPath} --account ${account})`,
    );
    if (daily && !symbols.includes('SPY')) {
      log.warn(
        'SPY has no daily bars in this range: the strategy model decides on them, so this replay shows ' +
          'no predictions (import SPY daily history, e.g. "npx trm import spy.csv", for predictions)',
      );
    }
    return new Engine({
      mode: 'replay',
      feed,
      store: scratch,
      calendar: nyseCalendar,
      timers,
      log,
      replay: feed,
      release,
      // Trading in a replay is kept: the demo broker journals into the market database (the scratch store
      // is gone at stop), with that database's settings, in a fresh account of this run's own.
      trading: {
        broker: new DemoBroker({
          journal: source.trading,
          account,
          sessionClose: (time) => nyseCalendar.sessionOnOrAfter(time).close,
        }),
        settings: source.settings,
        account,
        following: 'automatic',
      },
      ...(options.keys ? { keys: options.keys } : {}),
      ...(options.imports ? { imports: options.imports(source) } : {}),
      // The accepted model is remembered in the market database: the scratch store is gone at stop.
      ...(options.signals ? { signals: options.signals(source.settings) } : {}),
      // News from the source only as the clock reaches it: from the first bar the replay delivers.
      ...(options.news
        ? {
            news: options.news({
              settings: source.settings,
              feed: new RecordedNewsFeed(source.news, { startTime: plan.warmFrom }),
            }),
          }
        : {}),
    });
  } catch (error) {
    scratch?.close();
    release();
    throw error;
  }
}

/**
 * Picks the granularity, symbols and range from what the source holds (see the module comment): the
 * granularity asked for, else minutes when the range holds any, else daily bars. Throws ModeError when
 * there is nothing to replay, or nothing of the granularity asked for in the range asked for, saying what
 * the database holds and what to pass.
 */
export function planReplay(
  source: Store,
  fromDay?: number,
  toDay?: number,
  bars?: ReplayGranularity,
): ReplayPlan {
  const registered = new Map(source.symbols.list().map((record) => [record.symbol, record]));
  const candidates: Candidate[] = [];
  for (const symbol of source.barScan.symbols()) {
    if (!SymbolSchema.safeParse(symbol).success) continue;
    const minutes = source.barScan.minuteExtent(symbol);
    const daily = source.barScan.extent(symbol, '1D');
    if (minutes === null && daily === null) continue;
    const record = registered.get(symbol);
    const info: SymbolInfo = record
      ? { symbol, name: record.name.slice(0, 120) || symbol, kind: record.kind, calendar: record.calendar }
      : { symbol, name: symbol, kind: 'stock', calendar: symbol.includes('/') ? '24x7' : 'XNYS' };
    candidates.push({ info, extents: { '1m': minutes, '1D': daily } });
  }
  const has = (granularity: ReplayGranularity): boolean =>
    candidates.some((c) => c.extents[granularity] !== null);
  if (!has('1m') && !has('1D')) {
    throw new ModeError(
      `The market database holds no 1-minute or daily bars to replay. ${importAdvice(source.path)}`,
    );
  }
  const held = heldText(candidates);
  const other = (granularity: ReplayGranularity): ReplayGranularity => (granularity === '1m' ? '1D' : '1m');
  if (bars !== undefined && !has(bars)) {
    throw new ModeError(
      `The market database holds no ${GRANULARITY_WORDS[bars]} to replay, only ` +
        `${spanOf(candidates, other(bars))}: replay those with --bars ${other(bars)}, or import ` +
        `${GRANULARITY_WORDS[bars]} with "npx trm import <files>". (Database: ${source.path})`,
    );
  }
  // Minutes when the range holds any (unless daily bars are asked for), else daily bars.
  let missing: { problem: string; span: string } | null = null;
  for (const granularity of bars === undefined ? (['1m', '1D'] as const) : [bars]) {
    if (!has(granularity)) continue;
    const plan = planSessions(source, granularity, candidates, fromDay, toDay);
    if ('symbols' in plan) return plan;
    if (bars !== undefined) {
      const instead = has(other(bars))
        ? `, or replay ${GRANULARITY_WORDS[other(bars)]} with --bars ${other(bars)}`
        : '';
      throw new ModeError(`${plan.problem} ${held} Pick dates in that span with --from and --to${instead}.`);
    }
    missing ??= plan;
  }
  throw new ModeError(
    `No 1-minute or daily bars ${missing!.span} to replay. ${held} Pick dates in those spans with --from ` +
      'and --to, or import history for these dates with "npx trm import <files>".',
  );
}

interface Candidate {
  info: SymbolInfo;
  /** Start of the first and last stored bar of each granularity, null when none. */
  extents: Record<ReplayGranularity, { first: number; last: number } | null>;
}

const GRANULARITY_WORDS: Record<ReplayGranularity, string> = { '1m': '1-minute bars', '1D': 'daily bars' };

/** "daily bars from 1993-01-29 to 2021-12-31", or "no daily bars". */
function spanOf(candidates: readonly Candidate[], granularity: ReplayGranularity): string {
  const extents = candidates.flatMap((c) => c.extents[granularity] ?? []);
  if (extents.length === 0) return `no ${GRANULARITY_WORDS[granularity]}`;
  const first = Math.min(...extents.map((e) => e.first));
  const last = Math.max(...extents.map((e) => e.last));
  return `${GRANULARITY_WORDS[granularity]} from ${utcDateOf(first)} to ${utcDateOf(last)}`;
}

/**
 * "The database holds 1-minute bars from 2025-03-05 to 2025-03-13 and daily bars from ... to ...", or
 * "The database holds daily bars from ... to ... (no 1-minute bars)".
 */
function heldText(candidates: readonly Candidate[]): string {
  const [minutes, daily] = [spanOf(candidates, '1m'), spanOf(candidates, '1D')];
  if (minutes.startsWith('no ')) return `The database holds ${daily} (${minutes}).`;
  if (daily.startsWith('no ')) return `The database holds ${minutes} (${daily}).`;
  return `The database holds ${minutes} and ${daily}.`;
}

/**
 * The range and symbols of a replay of one granularity (see the module comment), or why there is nothing
 * of it to replay there. Throws ModeError when --from is after --to.
 */
function planSessions(
  source: Store,
  granularity: ReplayGranularity,
  all: readonly Candidate[],
  fromDay: number | undefined,
  toDay: number | undefined,
): ReplayPlan | { problem: string; span: string } {
  const candidates = all.filter((c) => c.extents[granularity] !== null);
  const names = candidates.map((c) => c.info.symbol);
  const kind = granularity === '1m' ? 'minute bars' : 'daily bars';
  const firstBar = Math.min(...candidates.map((c) => c.extents[granularity]!.first));
  const lastBar = Math.max(...candidates.map((c) => c.extents[granularity]!.last));
  const holds = (symbols: readonly string[], from: number, to: number): boolean =>
    granularity === '1m'
      ? source.barScan.hasMinutes(symbols, from, to)
      : symbols.some(
          (symbol) => (source.bars.range(symbol, '1D', { before: to, limit: 1 })[0]?.start ?? -1) >= from,
        );
  // Sessions are counted on the NYSE's calendar when any symbol trades there, else around the clock.
  const calendar = candidates.some((c) => (c.info.calendar ?? 'XNYS') === 'XNYS')
    ? nyseCalendar
    : alwaysOpenCalendar;
  const withBars = (s: Session): boolean => holds(names, s.open, s.close);

  // The range ends with the session of --to's date, else of the last stored bar.
  let last =
    toDay === undefined ? calendar.sessionOnOrBefore(lastBar) : lastSessionOnOrBeforeDate(calendar, toDay);
  let first: Session;
  if (fromDay !== undefined) {
    first = firstSessionOnOrAfterDate(calendar, fromDay);
  } else {
    // The last sessions that have bars, counting back from the end of the range.
    const wanted = granularity === '1m' ? DEFAULT_SESSIONS : DEFAULT_DAILY_SESSIONS;
    const found: Session[] = [];
    for (let s = last; s.close > firstBar && found.length < wanted; s = calendar.previousSession(s)) {
      if (withBars(s)) found.push(s);
    }
    if (found.length === 0) {
      const span = `on or before ${utcDateOf(last.open)}`;
      return { problem: `No ${kind} ${span} to replay.`, span };
    }
    first = found.at(-1)!;
    last = found[0]!;
  }
  if (first.open > last.open) {
    throw new ModeError(
      `No trading session from ${utcDateOf(fromDay ?? first.open)} to ${utcDateOf(toDay ?? last.open)}. ` +
        'Pick a --from on or before --to.',
    );
  }
  const from = first.open;
  const to = last.close;
  // Display order, as a trader scans a market: index funds first, then bonds, commodities, sectors,
  // single stocks and crypto, each alphabetically.
  const symbols = candidates
    .filter((c) => holds([c.info.symbol], from, to))
    .map((c) => c.info)
    .sort(
      (a, b) => ASSET_KINDS.indexOf(a.kind) - ASSET_KINDS.indexOf(b.kind) || a.symbol.localeCompare(b.symbol),
    );
  if (symbols.length === 0) {
    const span = `between ${utcDateOf(from)} and ${utcDateOf(to - 1)}`;
    return { problem: `No ${kind} ${span} to replay.`, span };
  }
  const calendars = [...new Set(symbols.map((info) => calendarOf(info)))];
  if (granularity === '1D') {
    // No warm-up: the daily bars before the range are the history the charts and features start with.
    return { granularity, symbols, from, to, warmFrom: bucketBoundaryAtOrBefore(calendars, from) };
  }
  let warm = first;
  for (let i = 0; i < WARMUP_SESSIONS; i++) warm = calendar.previousSession(warm);
  return { granularity, symbols, from, to, warmFrom: bucketBoundaryAtOrBefore(calendars, warm.open) };
}

function calendarOf(info: SymbolInfo): SessionCalendar {
  return calendarById(info.calendar ?? 'XNYS');
}

/** Closed 1D bars of `symbols` with from <= start < to, by symbol, oldest first. */
function dailyBars(source: Store, symbols: readonly string[], from: number, to: number): Bar[] {
  // At most one daily bar per symbol and calendar day.
  const limit = Math.ceil((to - from) / DAY) + 1;
  const bars: Bar[] = [];
  for (const symbol of symbols) {
    for (const bar of source.bars.range(symbol, '1D', { before: to, limit }))
      if (bar.closed && bar.start >= from) bars.push(bar);
  }
  return bars;
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
