/** The historical store's public surface: what the engine and entries import. */
export { openStore, type Store, type StoreOptions } from './store';
export { BarRepository, type BarRangeQuery, type BarSeries } from './bar-repository';
export { BarWriter, type BarSink, type BarWriterOptions } from './bar-writer';
export { SettingsRepository } from './settings-repository';
export {
  SymbolRepository,
  SYMBOL_CALENDARS,
  SYMBOL_SOURCES,
  type AssetKind,
  type SymbolCalendar,
  type SymbolRecord,
  type SymbolRegistration,
  type SymbolSource,
} from './symbol-repository';
export { ImportJournal } from './import-journal';
export { PredictionRepository, type PredictionListQuery } from './prediction-repository';
export {
  NewsRepository,
  newsTextKey,
  type NewsCursor,
  type NewsListQuery,
  type NewsPage,
  type NewsScoreUpdate,
} from './news-repository';
export {
  OPEN_ORDER_STATUSES,
  TradingJournalError,
  TradingJournalRepository,
  type JournalFillQuery,
  type JournalOrderQuery,
} from './trading-journal';
export { DEMO_WORLD_KEY, DemoWorldDatabaseError, holdsDemoWorld, refuseDemoWorld } from './database-role';
export { StoreError, StoreFormatError, StoreInUseError, StoreTooNewError } from './errors';
export { MIGRATIONS, type Migration } from './migrations';
