/**
 * Every schema migration, in the order they apply. Forward-only: never edit or remove one that has
 * shipped; add a new one with the next id. They are TypeScript modules, not .sql files, so the bundler
 * carries them into the app and nothing is read from disk at run time.
 */
import bars from './0001_bars';
import settings from './0002_settings';
import vwapTrades from './0003_bar_vwap_trades';
import symbolsAndImports from './0004_symbols_and_imports';
import predictions from './0005_predictions';
import news from './0006_news';
import trading from './0007_trading';

export interface Migration {
  /** Sortable and unique: a four-digit sequence number and a name, e.g. `0001_bars`. */
  readonly id: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  bars,
  settings,
  vwapTrades,
  symbolsAndImports,
  predictions,
  news,
  trading,
];
