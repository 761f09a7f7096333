/**
 * Test harness around the loopback Alpaca server: a real Engine with a temporary store and the Alpaca
 * feed on manual timers, plus helpers to wait for what happens over the (real) loopback sockets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bar, FeedState } from '../../../../shared/domain';
import { nyseCalendar } from '../../../core/calendar';
import { Random } from '../../../core/synthetic/random';
import { Engine } from '../../../engine/kernel';
import { AlpacaFeed, type AlpacaFeedTuning } from '../alpaca-feed';
import { resolveAlpacaConfig, type AlpacaConfig } from '../config';
import { createMemoryLogger } from '../../../platform/log';
import { openStore, type Store } from '../../../store/store';
import { manualTimers, type ManualTimers } from '../../../test-support/manual-timers';
import { AlpacaTestServer, type AlpacaTestServerOptions } from '../../../test-support/alpaca-server/server';

export const TEST_KEYS = { keyId: 'PKTESTKEY0123456789', secret: 'tEsTsEcReT0123456789abcdefGHIJ' } as const;

/** Friday 14 March 2025, 10:00 New York: an ordinary session, half an hour after the open. */
export const FRIDAY_10AM = Date.parse('2025-03-14T14:00:00Z');
export const MINUTE = 60_000;

/** Polls `condition` on the real clock until it holds; throws with `what` after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Lets loopback I/O run for `ms` of real time. */
export function settle(ms = 30): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface FeedRig {
  server: AlpacaTestServer;
  timers: ManualTimers;
  store: Store;
  engine: Engine;
  feed: AlpacaFeed;
  config: AlpacaConfig;
  log: ReturnType<typeof createMemoryLogger>;
  states: { state: FeedState; message: string | null }[];
  /** The 1m bars of `symbol` as `market.bars` answers (stored, plus the forming one), oldest first. */
  minutes(symbol: string): Bar[];
  bars(symbol: string, timeframe: Bar['timeframe']): Bar[];
  /** Waits until the feed's latest state is `state`. */
  reach(state: FeedState, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface FeedRigOptions {
  symbols?: string[];
  now?: number;
  server?: Partial<AlpacaTestServerOptions>;
  tuning?: Partial<AlpacaFeedTuning>;
  feed?: string;
  seed?: number;
  keys?: { keyId: string; secret: string };
  /** Base URL of the stream instead of the loopback server's (an unresolvable host, a closed port). */
  streamUrl?: string;
  /** Start the engine (default true). */
  start?: boolean;
}

export async function feedRig(options: FeedRigOptions = {}): Promise<FeedRig> {
  const now = options.now ?? FRIDAY_10AM;
  const server = await AlpacaTestServer.start({
    keys: TEST_KEYS,
    horizon: now,
    pageSize: 500,
    ...options.server,
  });
  const timers = manualTimers(now);
  const dir = mkdtempSync(join(tmpdir(), 'trm-alpaca-'));
  const log = createMemoryLogger();
  const store = openStore(join(dir, 'market.sqlite'), {
    writer: { setTimer: (fn, ms) => timers.setTimeout(fn, ms), clearTimer: (h) => timers.clearTimeout(h) },
    onWarning: (m) => log.warn(m),
  });
  const config = resolveAlpacaConfig({
    environment: 'paper',
    env: { ...server.env(), ...(options.streamUrl ? { TRM_ALPACA_STREAM_URL: options.streamUrl } : {}) },
    flags: { symbols: options.symbols ?? ['SPY', 'QQQ'], ...(options.feed ? { feed: options.feed } : {}) },
  });
  const random = Random.fromSeed(options.seed ?? 7);
  const feed = new AlpacaFeed({
    config,
    keys: options.keys ?? TEST_KEYS,
    calendar: nyseCalendar,
    timers,
    random: () => random.uniform(),
    log: log.child('alpaca'),
    history: { lastStoredStart: (symbol, timeframe) => store.bars.latest(symbol, timeframe)?.start ?? null },
    tuning: {
      initialMinuteSessions: 1,
      initialDailySessions: 5,
      ...options.tuning,
      stream: { pingIntervalMs: 0, silenceMs: 0, ...options.tuning?.stream },
    },
  });
  const engine = new Engine({
    mode: 'paper',
    feed,
    store,
    calendar: nyseCalendar,
    timers,
    log: log.child('engine'),
  });
  const states: FeedRig['states'] = [];
  engine.bus.subscribe('market.feedState', (s) => states.push(s));
  // What a client sees: the stored bars with the forming ones from memory (the market service answers
  // this call synchronously).
  const bars = (symbol: string, timeframe: Bar['timeframe']): Bar[] =>
    engine.market.handlers['market.bars']({ symbol, timeframe, limit: 100_000 }) as Bar[];
  const rig: FeedRig = {
    server,
    timers,
    store,
    engine,
    feed,
    config,
    log,
    states,
    bars,
    minutes: (symbol) => bars(symbol, '1m'),
    reach: (state, timeoutMs) =>
      until(() => states.at(-1)?.state === state, `feed state ${state}`, timeoutMs),
    close: async () => {
      engine.stop();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  if (options.start ?? true) engine.start();
  return rig;
}
