/**
 * Starting the engine in a mode: each mode picks its feed, clock and (later) broker, and refuses an
 * impossible combination of options before anything is opened. Both entries (the `trm` CLI and the
 * Electron app) start the engine through here.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { EngineMode, ReplayGranularity, Speed } from '../../shared/domain';
import type { Engine } from '../engine/kernel';
import type { Timers } from '../platform/clock';
import type { Logger } from '../platform/log';
import {
  defaultDataDir,
  defaultDemoDbPath,
  defaultMarketDbPath,
  defaultModelDir,
  defaultSentimentModelDir,
  DEFAULT_SENTIMENT_MODEL_FOLDER,
  fetchedModelsDir,
  modelCandidatesDir,
} from '../platform/paths';
import type { OsCipher } from '../platform/secrets';
import { createImportIntake } from '../engine/import-intake';
import type { ImportIntakeFactory } from '../engine/ports';
import type { CatalystTagger, NewsFactory } from '../engine/news-service';
import type { SentimentScorer, StrategyModel } from '../engine/ports';
import type { SignalsFactory } from '../engine/signals-service';
import type { SettingsRepository } from '../store/settings-repository';
import { createModelTrainer } from './model-trainer';
import { createAlpacaEngine, createKeysKeeper, type AlpacaModeFlags } from './alpaca';
import { createDemoEngine } from './demo';
import { createReplayEngine } from './replay';
import { checkModeOptions } from './mode-choice';

export { ModeError, checkModeOptions } from './mode-choice';

export const DEFAULT_SEED = 42;

/** The settings key of the sentiment model chosen by registry name (a model fetched with `trm models fetch`). */
export const SENTIMENT_MODEL_SETTING = 'sentiment.model';

/** Everything a mode may be started with; which options apply to which mode is checked on start. */
export interface ModeStartOptions {
  mode: EngineMode;
  /** Database file; default: demo.sqlite (demo) or market.sqlite (the others) in the data folder. */
  db?: string;
  /** Where the default databases live (Electron's userData; the CLI's default data folder otherwise). */
  dataDir?: string;
  seed?: number;
  speed?: Speed;
  start?: number;
  fresh?: boolean;
  /** Replay range: epoch ms of midnight UTC of the first and last session dates. */
  from?: number;
  to?: number;
  /** Replay: minute or daily bars (default: minutes when the range holds any). */
  bars?: ReplayGranularity;
  log: Logger;
  timers?: Timers;
  sqliteBinding?: string;
  /** Paper and live: the Alpaca feed and symbols chosen on the command line. */
  alpaca?: AlpacaModeFlags;
  /** Where keys and Alpaca endpoints are read (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Electron's safeStorage, injected by index.ts: saved keys are then encrypted by the OS key store. */
  secretCipher?: OsCipher | null;
  /**
   * News and sentiment (default true). False for commands that only store market data (`trm feed`): no
   * news source connects and no sentiment model loads.
   */
  news?: boolean;
}

/** One line for the start-up banner, e.g. "demo, seed 42, speed 1". */
export function describeMode(options: Pick<ModeStartOptions, 'mode' | 'seed' | 'speed'>): string {
  switch (options.mode) {
    case 'demo':
      return `demo, seed ${options.seed ?? DEFAULT_SEED}, speed ${options.speed ?? 1}`;
    case 'replay':
      return `replay, speed ${options.speed ?? 1}`;
    case 'paper':
    case 'live':
      return options.mode;
  }
}

/**
 * The sentiment model's folder: `<data folder>/models/fetched/<name>` when the settings choose a registry
 * name (`sentiment.model`) other than the shipped one and that folder exists; otherwise the shipped
 * models/sentiment-default (a chosen model that is not installed is reported once in the log).
 */
export function sentimentModelDir(
  settings: SettingsRepository,
  dataDir: string,
  log: Logger,
): { dir: string; name: string } {
  const chosen = settings.get(SENTIMENT_MODEL_SETTING, z.string().min(1).max(200));
  if (chosen !== undefined && chosen !== DEFAULT_SENTIMENT_MODEL_FOLDER) {
    const dir = join(fetchedModelsDir(dataDir), chosen);
    if (existsSync(dir)) return { dir, name: chosen };
    log.warn(
      `the sentiment model "${chosen}" chosen in the settings is not installed (${dir}); running the ` +
        `shipped one (install it with "npx trm models fetch ${chosen}")`,
    );
  }
  return { dir: defaultSentimentModelDir(), name: DEFAULT_SENTIMENT_MODEL_FOLDER };
}

/**
 * The zero-shot catalyst tagger when a model of that task in the registry was fetched (`trm models fetch
 * <name>`, which leaves its record in the folder once complete), else null (the keyword rules tag).
 */
async function loadZeroShotTagger(dataDir: string, log: Logger): Promise<CatalystTagger | null> {
  const { readModelRegistry } = await import('../inference/model-registry');
  const { FETCHED_MARKER } = await import('../inference/sentiment/model-folder');
  const fetched = fetchedModelsDir(dataDir);
  const entry = readModelRegistry(dirname(defaultModelDir())).models.find(
    (model) => model.task === 'zero-shot-catalysts' && existsSync(join(fetched, model.name, FETCHED_MARKER)),
  );
  if (entry === undefined) return null;
  const { loadZeroShotTagger: load } = await import('../inference/sentiment/zero-shot-tagger');
  return load(join(fetched, entry.name), { log, name: entry.name });
}

/** Opens the mode's database and parts; returns an engine ready to start. Throws ModeError on a mismatch. */
export function createModeEngine(options: ModeStartOptions): Engine {
  checkModeOptions(options.mode, options);
  const env = options.env ?? process.env;
  const dataDir = options.dataDir ?? defaultDataDir(env);
  const marketDb = defaultMarketDbPath(dataDir);
  // Imports from the window always land in the market database: through the engine's store where the
  // engine runs on it, else (demo) by opening it for the import.
  const imports: ImportIntakeFactory = (store) =>
    createImportIntake({
      marketDbPath: options.mode === 'demo' ? marketDb : (options.db ?? marketDb),
      ...(store ? { store } : {}),
      log: options.log.child('import'),
    });
  // Keys can be saved in any mode (demo included, ready for paper or live).
  const keys = (): ReturnType<typeof createKeysKeeper> =>
    createKeysKeeper({ dataDir, env, secretCipher: options.secretCipher ?? null });
  // The strategy model: the accepted one (remembered in the settings), else the shipped one. ONNX
  // Runtime loads on first use, so commands that never start an engine do not pay for it.
  const modelLog = options.log.child('model');
  const loadModel = async (dir: string): Promise<StrategyModel> =>
    (await import('../inference/trm-model')).loadStrategyModel(dir, { log: modelLog });
  const trainer = createModelTrainer({ log: options.log.child('retrain'), loadModel });
  const signals: SignalsFactory = (settings) => ({
    loadModel,
    trainer,
    defaultModelDir: defaultModelDir(),
    candidatesDir: modelCandidatesDir(dataDir),
    settings,
  });
  // The sentiment model: the one chosen in the settings (a fetched registry name) when installed, else the
  // shipped one. transformers.js and ONNX Runtime load on first use, like the strategy model.
  const sentimentLog = options.log.child('sentiment');
  const news: NewsFactory = ({ settings, feed, noSourceMessage }) => ({
    feed,
    noSourceMessage: noSourceMessage ?? null,
    settings,
    loadSentiment: async (): Promise<SentimentScorer> => {
      const { dir, name } = sentimentModelDir(settings, dataDir, sentimentLog);
      // The folder's files first (light): a missing model is said at once, before transformers.js loads.
      (await import('../inference/sentiment/model-folder')).checkModelFolder(dir, name);
      return (await import('../inference/sentiment/sentiment-model')).loadSentimentModel(dir, {
        log: sentimentLog,
        name,
      });
    },
    loadCatalystTagger: () => loadZeroShotTagger(dataDir, sentimentLog),
  });
  const shared = {
    imports,
    signals,
    ...(options.news === false ? {} : { news }),
    log: options.log,
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.sqliteBinding ? { sqliteBinding: options.sqliteBinding } : {}),
  };
  switch (options.mode) {
    case 'demo':
      return createDemoEngine({
        ...shared,
        keys: keys(),
        dbPath: options.db ?? defaultDemoDbPath(dataDir),
        seed: options.seed ?? DEFAULT_SEED,
        speed: options.speed ?? 1,
        ...(options.start !== undefined ? { startAt: options.start } : {}),
        reset: options.fresh ?? false,
      });
    case 'paper':
    case 'live':
      return createAlpacaEngine({
        ...shared,
        mode: options.mode,
        dbPath: options.db ?? marketDb,
        dataDir,
        env,
        secretCipher: options.secretCipher ?? null,
        ...(options.alpaca ? { flags: options.alpaca } : {}),
      });
    case 'replay':
      return createReplayEngine({
        ...shared,
        keys: keys(),
        dbPath: options.db ?? marketDb,
        ...(options.from !== undefined ? { from: options.from } : {}),
        ...(options.to !== undefined ? { to: options.to } : {}),
        ...(options.bars !== undefined ? { bars: options.bars } : {}),
        // Default: by what it replays (real time for minutes, a session a second for daily bars).
        ...(options.speed !== undefined ? { speed: options.speed } : {}),
      });
  }
}
