/** The historical store's public surface: what the engine and entries import. */
export { openStore, type Store, type StoreOptions } from './store';
export { BarRepository, type BarRangeQuery } from './bar-repository';
export { BarWriter, type BarSink, type BarWriterOptions } from './bar-writer';
export { SettingsRepository } from './settings-repository';
export { StoreError, StoreFormatError, StoreInUseError, StoreTooNewError } from './errors';
export { MIGRATIONS, type Migration } from './migrations';
