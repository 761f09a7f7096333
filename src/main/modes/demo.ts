/**
 * Demo mode: the synthetic market in a database of its own, a simulated clock, (later) the demo broker.
 * No account and no data needed; the world persists and resumes where it stopped.
 */
import { z } from 'zod';
import type { Speed } from '../../shared/domain';
import { nyseCalendar } from '../core/calendar';
import { planDemoWorld, type StoredWorld } from '../core/demo-plan';
import { DEFAULT_UNIVERSE, SyntheticMarket } from '../core/synthetic/market';
import { Engine } from '../engine/kernel';
import type { KeysKeeper } from '../engine/ports';
import { createSyntheticFeed } from '../market/synthetic-feed';
import { systemTimers, type Timers } from '../platform/clock';
import type { Logger } from '../platform/log';
import type { Store } from '../store/store';
import { openEngineStore } from './engine-store';

const DemoWorldSchema = z.object({ seed: z.number().int() });
const DEMO_WORLD_KEY = 'demo.world';

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
}

export class NotADemoDatabaseError extends Error {
  override readonly name = 'NotADemoDatabaseError';
}

function readStoredWorld(store: Store, symbols: readonly string[]): StoredWorld | null {
  const world = store.settings.get(DEMO_WORLD_KEY, DemoWorldSchema);
  if (!world) return null;
  let lastMinute: number | null = null;
  const lastCloses: Record<string, number> = {};
  for (const symbol of symbols) {
    const latest = store.bars.latest(symbol, '1m');
    if (!latest) {
      lastMinute = null;
      break;
    }
    lastCloses[symbol] = latest.close;
    // Resume after the oldest of the symbols' last minutes: a crash may have cut a minute's batch.
    lastMinute = lastMinute === null ? latest.start : Math.min(lastMinute, latest.start);
  }
  return { seed: world.seed, lastMinute, lastCloses };
}

/** Opens (or creates) a demo world and returns an engine ready to start. */
export function createDemoEngine(options: DemoEngineOptions): Engine {
  const timers = options.timers ?? systemTimers;
  const calendar = nyseCalendar;
  const { log } = options;
  const store = openEngineStore({ ...options, timers });
  try {
    const symbols = DEFAULT_UNIVERSE.map((spec) => spec.symbol);
    const stored = readStoredWorld(store, symbols);
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
    if (plan.reset) {
      log.info(`starting a fresh demo world (seed ${options.seed}) in ${store.path}`);
      store.bars.deleteAll();
    } else if (stored) {
      log.info(`resuming the demo world (seed ${options.seed}) at ${new Date(plan.liveFrom).toISOString()}`);
    }
    store.settings.set(DEMO_WORLD_KEY, { seed: options.seed });
    const market = new SyntheticMarket({
      seed: plan.generatorSeed,
      ...(plan.initialPrices ? { initialPrices: plan.initialPrices } : {}),
    });
    const feed = createSyntheticFeed({ market, calendar, plan, speed: options.speed, timers });
    return new Engine({
      mode: 'demo',
      feed,
      store,
      calendar,
      timers,
      log,
      ...(options.keys ? { keys: options.keys } : {}),
    });
  } catch (error) {
    store.close();
    throw error;
  }
}
