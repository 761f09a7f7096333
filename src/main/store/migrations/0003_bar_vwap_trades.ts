/**
 * VWAP and trade count per bar, where the source supplies them (Alpaca's `vw` and `n`, an imported
 * file's `vwap` and `transactions` columns). NULL means the source did not say; never zero.
 */
export default {
  id: '0003_bar_vwap_trades',
  sql: `
    ALTER TABLE bars ADD COLUMN vwap REAL;
    ALTER TABLE bars ADD COLUMN trade_count INTEGER;
  `,
} as const;
