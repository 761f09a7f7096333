/**
 * Where the workstation keeps its data when no path is given: the platform's per-user data folder
 * (the same folder Electron's app.getPath('userData') uses), overridable with TRM_DATA_DIR.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_FOLDER = 'TRM Workstation';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.TRM_DATA_DIR) return env.TRM_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_FOLDER);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_FOLDER);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_FOLDER);
}

/** The demo world's database: separate from real market data, so the two never mix. */
export function defaultDemoDbPath(dataDir = defaultDataDir()): string {
  return join(dataDir, 'demo.sqlite');
}

/** Real market data (imports, Alpaca feeds and backfills; the source of replays). */
export function defaultMarketDbPath(dataDir = defaultDataDir()): string {
  return join(dataDir, 'market.sqlite');
}

/** The shipped strategy model's folder name, under `models/` in the repository and in the app's resources. */
export const DEFAULT_MODEL_FOLDER = 'trm-default';

/** What `defaultModelDir` looks at (parameters for tests; the process and this module by default). */
export interface ModelDirContext {
  /** Electron's `process.resourcesPath` (undefined under plain Node). */
  resourcesPath?: string | undefined;
  /** Electron's `process.defaultApp`: true when the app runs from its sources (`electron .`), not packaged. */
  defaultApp?: boolean | undefined;
  /** A folder inside the repository (default: this module's). */
  from?: string;
}

/**
 * The shipped TRM model's folder: `process.resourcesPath/models/trm-default` in the packaged app, else
 * `models/trm-default` in the repository (dev, `trm web`, the CLI, tests), found as the nearest folder
 * above this module (source or bundle) holding a package.json. The folder may not exist; the caller
 * says so when it loads it.
 */
export function defaultModelDir(context: ModelDirContext = processModelContext()): string {
  const { resourcesPath, defaultApp } = context;
  if (resourcesPath !== undefined && !defaultApp) return join(resourcesPath, 'models', DEFAULT_MODEL_FOLDER);
  let dir = context.from ?? dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'models', DEFAULT_MODEL_FOLDER);
    const parent = dirname(dir);
    if (parent === dir) return join(process.cwd(), 'models', DEFAULT_MODEL_FOLDER);
    dir = parent;
  }
}

function processModelContext(): ModelDirContext {
  const electron = process as { resourcesPath?: string; defaultApp?: boolean };
  return { resourcesPath: electron.resourcesPath, defaultApp: electron.defaultApp };
}

/** Where Retrain writes candidate models, one folder per job: `<data folder>/models/candidates`. */
export function modelCandidatesDir(dataDir = defaultDataDir()): string {
  return join(dataDir, 'models', 'candidates');
}

/** The shipped sentiment model's folder name, under `models/` in the repository and in the app's resources. */
export const DEFAULT_SENTIMENT_MODEL_FOLDER = 'sentiment-default';

/**
 * The shipped sentiment model's folder (Hugging Face layout): `models/sentiment-default` beside
 * `defaultModelDir`'s folder (repository or packaged resources). The folder may not exist.
 */
export function defaultSentimentModelDir(context: ModelDirContext = processModelContext()): string {
  return join(dirname(defaultModelDir(context)), DEFAULT_SENTIMENT_MODEL_FOLDER);
}

/** Where `trm models fetch` installs models from the Hugging Face hub: `<data folder>/models/fetched`. */
export function fetchedModelsDir(dataDir = defaultDataDir()): string {
  return join(dataDir, 'models', 'fetched');
}
