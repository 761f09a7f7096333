/**
 * Demo mode: the synthetic market in a database of its own, a simulated clock, (later) the demo broker.
 * No account and no data needed; the world persists and resumes where it stopped.
 *
 * What is saved, and why a crash cannot put it out of step with the bars: before each minute-level
 * session the generator hands out its state (regime, volatility, volume level, trend, prices, random
 * stream); the bar queue is flushed (one committed transaction) and only then is the state written
 * (a second one) under the 'demo.world' setting. SQLite's write-ahead log commits in order and a crash
 * (SIGKILL, even power loss) keeps a prefix of the commits, so a stored state never refers to bars that
 * are not stored. The bars may be ahead of the state (up to a session): on restart the generator
 * regenerates them from the state, bit for bit, so the two always agree (see core/demo-plan.ts).
 */
import { z } from 'zod';
import type { Bar, Speed } from '../../shared/domain';
import { nyseCalendar, type SessionCalendar } from '../core/calendar';
import {
  planDemoWorld,
  resumeMarket,
  type DemoPlan,
  type SavedWorld,
  type StoredWorld,
} from '../core/demo-plan';
import { DEFAULT_UNIVERSE, SyntheticMarket } from '../core/synthetic/market';
import { MarketStateSchema } from '../core/synthetic/market-state';
import { DemoBroker } from '../broker/demo/demo-broker';
import { Engine } from '../engine/kernel';
import type { ImportIntakeFactory, KeysKeeper } from '../engine/ports';
import type { NewsFactory } from '../engine/news-service';
import type { SignalsFactory } from '../engine/signals-service';
import { createSyntheticFeed } from '../market/synthetic-feed';
import { systemTimers, type Timers } from '../platform/clock';
import type { Logger } from '../platform/log';
import type { Store } from '../store/store';
import { DEMO_WORLD_KEY } from '../store/database-role';
import { openEngineStore } from './engine-store';

/** The saved state is read on its own, so a state from another version never hides the world's seed. */
const DemoWorldSchema = z.object({ seed: z.number().int(), saved: z.unknown().optional() });
const SavedWorldSchema = z.object({ state: MarketStateSchema, from: z.number().int() });

export interface DemoEngineOptions {
  dbPath: string;
  seed: number;
  speed: Speed;
  /** Where a fresh world starts (defaults to the wall clock). */
  startAt?: number;
  /** Start a fresh world even if the database holds one. */
  reset?: boolean;
  minuteSessions?: number;
  dailySessions?: number;
  timers?: Timers;
  log: Logger;
  /** better-sqlite3 addon built for Electron's ABI, when running in Electron. */
  sqliteBinding?: string;
  /** Broker keys (saved in demo mode for paper and live later). */
  keys?: KeysKeeper;
  /** Imports from the window (into the market database, never the demo world's). */
  imports?: ImportIntakeFactory;
  /** The strategy model (predictions at each daily close of the generated market). */
  signals?: SignalsFactory;
  /** News: demo mode has no source (the panel says how to get news); the sentiment model still loads. */
  news?: NewsFactory;
}

/** What the news panel says in demo mode. */
export const DEMO_NO_NEWS =
  'Demo mode has no news source: import recorded news (npx trm news import <files>) and replay it ' +
  '(--mode replay), or use paper/live with Alpaca keys.';

export class NotADemoDatabaseError extends Error {
  override readonly name = 'NotADemoDatabaseError';
}

/**
 * The newest final 1m bar of `symbol`, if any: the newest bar when it is closed, else the one before it
 * (only the newest minute can still be forming).
 */
function finalMinute(store: Store, symbol: string): Bar | null {
  const recent = store.bars.range(symbol, '1m', { limit: 2 });
  const newest = recent.at(-1);
  if (newest === undefined) return null;
  return newest.closed ? newest : (recent.at(-2) ?? null);
}

function readSaved(value: unknown, symbols: readonly string[], log: Logger): SavedWorld | null {
  if (value === undefined) return null;
  const parsed = SavedWorldSchema.safeParse(value);
  const state = parsed.success ? parsed.data.state : null;
  if (parsed.success && state!.symbols.join() === symbols.join()) return parsed.data;
  log.warn(
    'the saved state of this demo world is from another version; it continues from its last prices, ' +
      'with a fresh regime',
  );
  return null;
}

function readStoredWorld(store: Store, symbols: readonly string[], log: Logger): StoredWorld | null {
  const world = store.settings.get(DEMO_WORLD_KEY, DemoWorldSchema);
  if (!world) return null;
  // Resume after the newest minute every symbol has closed: a crash may have cut a minute's batch,
  // or left only the forming bar that trades built.
  let lastMinute: number | null = null;
  let newest = Number.NEGATIVE_INFINITY;
  for (const symbol of symbols) {
    const closed = finalMinute(store, symbol);
    if (closed === null) {
      lastMinute = null;
      break;
    }
    lastMinute = lastMinute === null ? closed.start : Math.min(lastMinute, closed.start);
    newest = Math.max(newest, store.bars.latest(symbol, '1m')!.start);
  }
  const lastCloses: Record<string, number> = {};
  if (lastMinute !== null) {
    // Every symbol has that minute: it is at or before each one's newest final minute.
    const before = lastMinute + 1;
    for (const symbol of symbols)
      lastCloses[symbol] = store.bars.range(symbol, '1m', { before, limit: 1 })[0]!.close;
  }
  return {
    seed: world.seed,
    lastMinute,
    lastCloses,
    partialMinute: lastMinute !== null && newest > lastMinute,
    saved: readSaved(world.saved, symbols, log),
  };
}

/**
 * Saves the generator's state before a session: bars first, then the state (see the module comment).
 * A failed flush keeps the older state, from which the newer bars are regenerated anyway.
 */
function saveWorld(store: Store, seed: number, saved: SavedWorld, log: Logger): void {
  if (!store.barWriter.flush()) return;
  try {
    store.settings.set(DEMO_WORLD_KEY, { seed, saved });
  } catch (error) {
    log.error(
      `saving the demo world's state failed (it resumes from an older one): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function createMarket(
  plan: DemoPlan,
  stored: StoredWorld | null,
  calendar: SessionCalendar,
  log: Logger,
): SyntheticMarket {
  if (plan.resume !== null && stored !== null) {
    try {
      const { market, matched } = resumeMarket(plan, stored, calendar);
      if (!matched) {
        log.warn(
          'the demo generator has changed since this world was saved; it continues from its last prices',
        );
      }
      return market;
    } catch (error) {
      // A state that cannot be replayed must not keep the workstation from starting.
      log.warn(
        `the saved state of this demo world cannot be used (${error instanceof Error ? error.message : String(error)}); ` +
          'it continues from its last prices, with a fresh regime',
      );
    }
  }
  return new SyntheticMarket({
    seed: plan.generatorSeed,
    ...(plan.initialPrices ? { initialPrices: plan.initialPrices } : {}),
    ...(plan.pricesAt !== undefined ? { pricesAt: plan.pricesAt } : {}),
  });
}

/** Opens (or creates) a demo world and returns an engine ready to start. */
export function createDemoEngine(options: DemoEngineOptions): Engine {
  const timers = options.timers ?? systemTimers;
  const calendar = nyseCalendar;
  const { log } = options;
  const store = openEngineStore({ ...options, timers });
  try {
    const symbols = DEFAULT_UNIVERSE.map((spec) => spec.symbol);
    const stored = readStoredWorld(store, symbols, log);
    if (stored === null && store.bars.count() > 0) {
      throw new NotADemoDatabaseError(
        `${store.path} holds market data that is not a demo world; demo mode will not overwrite it. ` +
          'Start the demo with --db <another file>.',
      );
    }
    const plan = planDemoWorld({
      now: options.startAt ?? timers.now(),
      calendar,
      seed: options.seed,
      stored,
      reset: options.reset ?? false,
      minuteSessions: options.minuteSessions ?? 20,
      dailySessions: options.dailySessions ?? 250,
    });
    const resuming = !plan.reset && stored !== null && stored.lastMinute !== null;
    if (resuming) {
      log.info(
        `resuming the demo world (seed ${options.seed}) at ${new Date(plan.backfillFrom).toISOString()}`,
      );
    } else {
      if (plan.reset) {
        log.info(`starting a fresh demo world (seed ${options.seed}) in ${store.path}`);
        store.bars.deleteAll();
      }
      // A fresh world: the seed marks the database as a demo world; its state is saved once its first
      // minute-level session starts (after its daily history is stored).
      store.settings.set(DEMO_WORLD_KEY, { seed: options.seed });
    }
    const market = createMarket(plan, resuming ? stored : null, calendar, log);
    const seed = options.seed;
    market.onSessionStart = (state, _session, from) => saveWorld(store, seed, { state, from }, log);
    const feed = createSyntheticFeed({ market, calendar, plan, speed: options.speed, timers });
    return new Engine({
      mode: 'demo',
      feed,
      store,
      calendar,
      timers,
      log,
      ...(options.keys ? { keys: options.keys } : {}),
      // The demo broker journals into the demo database; strategy following runs without a confirmation.
      trading: {
        broker: new DemoBroker({
          journal: store.trading,
          account: 'demo',
          sessionClose: (time) => calendar.sessionOnOrAfter(time).close,
        }),
        settings: store.settings,
        account: 'demo',
        following: 'automatic',
      },
      ...(options.imports ? { imports: options.imports(null) } : {}),
      ...(options.signals ? { signals: options.signals(store.settings) } : {}),
      ...(options.news
        ? { news: options.news({ settings: store.settings, feed: null, noSourceMessage: DEMO_NO_NEWS }) }
        : {}),
    });
  } catch (error) {
    store.close();
    throw error;
  }
}
