/**
 * The domain types of the workstation, one module per area: market data (bars) and engine status.
 * Trading (orders, fills, positions, account) and signals (features, predictions, news) join here.
 */
export * from './bars';
export * from './status';
