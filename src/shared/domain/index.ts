/**
 * The domain types of the workstation, one module per area: market data (bars), engine status, replay,
 * imports and broker keys. Trading (orders, fills, positions, account) and signals (features,
 * predictions) and news (sentiment, regime, meta-score) are here.
 */
export * from './bars';
export * from './imports';
export * from './keys';
export * from './news';
export * from './replay';
export * from './signals';
export * from './status';
export * from './trading';
export * from './workspace';
