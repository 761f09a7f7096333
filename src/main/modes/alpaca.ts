/**
 * Paper and live modes: the Alpaca feed into the market database, on the exchange's clock, with the
 * broker keys from the environment or the secret store. Also the keys keeper every mode hands the
 * engine (so a trader can save keys in demo mode before switching), and `trm backfill`'s job wiring.
 *
 * Without keys, paper and live refuse to start with a message saying how to give them. Live says in
 * the log, loudly, that it is live. Orders go to the Alpaca account (broker/alpaca); paper mode also runs
 * them through a shadow demo broker for the divergence report (`trm divergence`).
 */
import { z } from 'zod';
import type { Bar, EngineMode } from '../../shared/domain';
import { BarAggregator } from '../core/bar-aggregator';
import { nyseCalendar } from '../core/calendar';
import { AlpacaKeysKeeper } from '../engine/keys-keeper';
import type { ImportIntakeFactory } from '../engine/ports';
import type { NewsFactory } from '../engine/news-service';
import type { SignalsFactory } from '../engine/signals-service';
import { createAlpacaBroker } from '../broker/alpaca/alpaca-broker';
import { DemoBroker } from '../broker/demo/demo-broker';
import { Engine } from '../engine/kernel';
import { AlpacaFeed, type AlpacaFeedTuning } from '../market/alpaca/alpaca-feed';
import { createAlpacaNewsFeed } from '../market/alpaca/alpaca-news-feed';
import { AlpacaConfigError, resolveAlpacaConfig, type AlpacaConfig } from '../market/alpaca/config';
import {
  runHistoryJob,
  type HistoryProgressEvent,
  type HistorySummary,
  type HistoryTimeframe,
} from '../market/alpaca/history-job';
import { AlpacaRest, AlpacaRestError } from '../market/alpaca/rest';
import { readAppSettings } from '../platform/app-settings';
import { systemTimers, type Timers } from '../platform/clock';
import type { Logger } from '../platform/log';
import { createSecretStore, redact, redactingLogger, type OsCipher } from '../platform/secrets';
import { refuseDemoWorld } from '../store/database-role';
import type { Store } from '../store/store';
import { openEngineStore } from './engine-store';
import { ModeError } from './mode-choice';

export interface KeysKeeperOptions {
  dataDir: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Electron's safeStorage (index.ts); absent in the web mode and the CLI. */
  secretCipher?: OsCipher | null;
  log?: Logger;
}

/** The keys keeper of a data folder: environment first, else the saved keys. */
export function createKeysKeeper(options: KeysKeeperOptions): AlpacaKeysKeeper {
  return new AlpacaKeysKeeper({
    secrets: createSecretStore({
      dataDir: options.dataDir,
      cipher: options.secretCipher ?? null,
      ...(options.log ? { log: options.log } : {}),
    }),
    ...(options.env ? { env: options.env } : {}),
  });
}

/** Alpaca choices given on the command line (undefined: not given). */
export interface AlpacaModeFlags {
  feed?: string;
  symbols?: readonly string[];
}

interface AlpacaParts {
  keeper: AlpacaKeysKeeper;
  config: AlpacaConfig;
  log: Logger;
}

function alpacaParts(
  mode: 'paper' | 'live',
  /** Who needs the keys, for the refusal: "paper mode", "trm backfill". */
  purpose: string,
  options: {
    dataDir: string;
    env?: Readonly<Record<string, string | undefined>>;
    secretCipher?: OsCipher | null;
    flags?: AlpacaModeFlags;
    log: Logger;
  },
): AlpacaParts {
  const env = options.env ?? process.env;
  const keeper = createKeysKeeper({ ...options, env });
  // Every line below this point is redacted of the keys, whatever prints it.
  const log = redactingLogger(options.log, () => keeper.secretsToRedact());
  if (!keeper.current()) {
    throw new ModeError(
      `${purpose} needs Alpaca API keys: ${keeper.howToGiveKeys()}. ` +
        'To look around without an account, start with --mode demo.',
    );
  }
  const settings = readAppSettings(options.dataDir, (message) => log.warn(message)).alpaca ?? {};
  try {
    const config = resolveAlpacaConfig({ environment: mode, env, settings, flags: options.flags ?? {} });
    return { keeper, config, log };
  } catch (error) {
    if (error instanceof AlpacaConfigError) throw new ModeError(error.message);
    throw error;
  }
}

export interface AlpacaEngineOptions {
  mode: Extract<EngineMode, 'paper' | 'live'>;
  dbPath: string;
  /** The data folder (saved keys, settings.json). */
  dataDir: string;
  log: Logger;
  flags?: AlpacaModeFlags;
  env?: Readonly<Record<string, string | undefined>>;
  secretCipher?: OsCipher | null;
  timers?: Timers;
  /** Uniform [0, 1) for reconnect jitter (default Math.random). */
  random?: () => number;
  tuning?: Partial<AlpacaFeedTuning>;
  sqliteBinding?: string;
  /** Imports from the window: they go through this engine's store (the market database). */
  imports?: ImportIntakeFactory;
  /** The strategy model (predictions at each daily close). */
  signals?: SignalsFactory;
  /** News: Alpaca's news stream with REST catch-up, with the market feed's config and keys. */
  news?: NewsFactory;
}

/** An engine streaming Alpaca into the market database. Throws ModeError without keys or on bad settings. */
export function createAlpacaEngine(options: AlpacaEngineOptions): Engine {
  const { mode } = options;
  const timers = options.timers ?? systemTimers;
  const { keeper, config, log } = alpacaParts(mode, `${mode} mode`, options);
  const keys = keeper.current()!;
  if (mode === 'live') {
    log.warn(
      `LIVE MODE: using the Alpaca LIVE account (${config.tradingUrl}, keys ${keeper.status().keyIdHint}). ` +
        'Orders placed here will use real money.',
    );
  }
  log.info(
    `${mode} mode: Alpaca ${config.feed} feed for ${config.symbols.join(', ')} ` +
      `(keys from ${keeper.source() === 'environment' ? 'the environment' : 'saved settings'}; ` +
      `market data ${config.dataUrl}, stream ${config.stockStreamUrl}, trading ${config.tradingUrl})`,
  );
  const store = openEngineStore({
    dbPath: options.dbPath,
    timers,
    log,
    ...(options.sqliteBinding ? { sqliteBinding: options.sqliteBinding } : {}),
  });
  try {
    refuseDemoWorld(store);
    const feed = new AlpacaFeed({
      config,
      keys,
      calendar: nyseCalendar,
      timers,
      log: log.child('alpaca'),
      history: {
        lastStoredStart: (symbol, timeframe) => store.bars.latest(symbol, timeframe)?.start ?? null,
      },
      ...(options.random ? { random: options.random } : {}),
      ...(options.tuning ? { tuning: options.tuning } : {}),
    });
    const newsFeed = options.news
      ? createAlpacaNewsFeed({
          config,
          keys,
          timers,
          log: log.child('news'),
          ...(options.random ? { random: options.random } : {}),
          lastStoredTime: () => newestAlpacaNews(store),
        })
      : null;
    // Keys saved in the UI reach the feeds at once (a feed halted on refused keys reconnects with them).
    keeper.onChange((next) => {
      if (!next) return;
      feed.updateKeys(next);
      newsFeed?.updateKeys(next);
    });
    return new Engine({
      mode,
      feed,
      store,
      calendar: nyseCalendar,
      timers,
      log,
      keys: keeper,
      // Orders at the Alpaca account of the mode, journaled in the market database; strategy plans go out
      // only when the trader confirms them.
      trading: {
        broker: createAlpacaBroker({
          environment: mode,
          tradingUrl: config.tradingUrl,
          tradingStreamUrl: config.tradingStreamUrl,
          // Read at each request and connect: keys saved in the UI reach the broker without a restart.
          keys: {
            get keyId() {
              return (keeper.current() ?? keys).keyId;
            },
            get secret() {
              return (keeper.current() ?? keys).secret;
            },
          },
          journal: store.trading,
          account: mode === 'paper' ? 'alpaca-paper' : 'alpaca-live',
          timers,
          log,
          ...(options.random ? { random: options.random } : {}),
        }),
        settings: store.settings,
        account: mode === 'paper' ? 'alpaca-paper' : 'alpaca-live',
        following: 'confirmed',
        // Paper's orders also run through the demo broker (account 'alpaca-paper-shadow', the demo's fill
        // model and its default config) over the same market data, for `trm divergence`. Not in live mode:
        // live orders are real money, and nothing may ride along with them; the comparison is for paper.
        ...(mode === 'paper'
          ? {
              shadow: new DemoBroker({
                journal: store.trading,
                account: 'alpaca-paper-shadow',
                sessionClose: (time) => nyseCalendar.sessionOnOrAfter(time).close,
              }),
            }
          : {}),
      },
      ...(options.imports ? { imports: options.imports(store) } : {}),
      ...(options.signals ? { signals: options.signals(store.settings) } : {}),
      ...(options.news ? { news: options.news({ settings: store.settings, feed: newsFeed }) } : {}),
      latestQuote: (symbol) => feed.latestQuote(symbol),
    });
  } catch (error) {
    store.close();
    throw error;
  }
}

/**
 * Publication time of the newest Alpaca article in the store, or null: where the news catch-up starts.
 * Recorded news imported into the same database (origin 'recorded', usually years older) is skipped.
 */
function newestAlpacaNews(store: Store): number | null {
  const recent = store.news.latestBefore(Number.MAX_SAFE_INTEGER, 200);
  let newest: number | null = null;
  for (const item of recent) if (item.origin === 'alpaca') newest = Math.max(newest ?? item.time, item.time);
  return newest;
}

export interface AlpacaBackfillOptions {
  dbPath: string;
  dataDir: string;
  log: Logger;
  symbols: readonly string[];
  timeframe: HistoryTimeframe;
  /** YYYY-MM-DD. */
  from: string;
  /** YYYY-MM-DD, or null for "up to now". */
  to: string | null;
  feed?: string;
  restart?: boolean;
  env?: Readonly<Record<string, string | undefined>>;
  timers?: Timers;
  onProgress?: (event: HistoryProgressEvent) => void;
}

export interface AlpacaBackfill {
  readonly storePath: string;
  readonly feed: AlpacaConfig['feed'];
  /** Runs to the end; throws AlpacaRestError, AbortedError (after stop()) or HistoryRangeError. */
  run(): Promise<HistorySummary>;
  /** Cancels the run; what was written stays, and the next run resumes from it. */
  stop(): void;
  /** Writes what is queued and closes the database. Idempotent. */
  close(): void;
}

/** Runs `work`; an Alpaca error on the way out has the keys redacted (a server may echo them). */
async function withRedactedErrors<T>(keeper: AlpacaKeysKeeper, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AlpacaRestError) {
      const secrets = keeper.secretsToRedact();
      throw new AlpacaRestError(
        redact(error.plain, secrets),
        error.failure,
        error.status,
        error.technical === null ? null : redact(error.technical, secrets),
      );
    }
    throw error;
  }
}

const ProgressSchema = z.object({ through: z.number(), bars: z.number(), done: z.boolean() });

/**
 * `trm backfill`'s job: Alpaca REST into the market database. Minute bars go through a bar aggregator
 * (one per symbol, as the engine's market path does per symbol), daily bars straight to the store as
 * official ones; progress lives in the database's settings so an interrupted run resumes.
 */
export function createAlpacaBackfill(options: AlpacaBackfillOptions): AlpacaBackfill {
  const timers = options.timers ?? systemTimers;
  const { keeper, config, log } = alpacaParts('paper', 'trm backfill', {
    ...options,
    flags: { symbols: options.symbols, ...(options.feed !== undefined ? { feed: options.feed } : {}) },
  });
  const store = openEngineStore({ dbPath: options.dbPath, timers, log });
  try {
    refuseDemoWorld(store);
  } catch (error) {
    store.close();
    throw error;
  }
  const abort = new AbortController();
  const rest = new AlpacaRest({
    dataUrl: config.dataUrl,
    tradingUrl: config.tradingUrl,
    keys: () => keeper.current()!,
    timers,
    onRateLimited: (waitMs) =>
      log.info(`Alpaca's rate limit was reached; waiting ${Math.ceil(waitMs / 1000)} s`),
  });
  let closed = false;
  return {
    storePath: store.path,
    feed: config.feed,
    run: () =>
      withRedactedErrors(keeper, () =>
        runHistoryJob({
          rest,
          calendar: nyseCalendar,
          symbols: config.symbols,
          timeframe: options.timeframe,
          from: options.from,
          to: options.to,
          feed: config.restFeed,
          now: timers.now() - config.delayMs,
          restart: options.restart ?? false,
          signal: abort.signal,
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
          progress: {
            get: (key) => store.settings.get(key, ProgressSchema) ?? null,
            set: (key, record) => store.settings.set(key, record),
          },
          sinkFor: (symbol) => {
            // Closed bars as they close; the buckets still open at the end (a range up to now) once.
            const aggregator = new BarAggregator(nyseCalendar, { forming: 'on-demand' });
            const write = (bars: readonly Bar[]): void => {
              if (bars.length > 0) store.barWriter.enqueue(bars);
            };
            return {
              minuteBar: (bar) => write(aggregator.onMinuteBar(bar)),
              officialDailyBar: (bar) => write([bar]),
              finishMinutes: (t) => write([...aggregator.onTime(t), ...aggregator.formingBars(symbol)]),
              commit: () => {
                // Write, then record progress: a crash between the two repeats a page, never skips one.
                if (!store.barWriter.flush()) {
                  throw new Error(
                    `writing bars to ${store.path} failed (see the log); run the command again to resume`,
                  );
                }
              },
            };
          },
        }),
      ),
    stop: () => abort.abort(),
    close: () => {
      if (closed) return;
      closed = true;
      store.close();
    },
  };
}
