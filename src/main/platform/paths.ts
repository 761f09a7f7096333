/**
 * Where the workstation keeps its data when no path is given: the platform's per-user data folder
 * (the same folder Electron's app.getPath('userData') uses), overridable with TRM_DATA_DIR.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

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
