/**
 * OHLCV bars, one row per (symbol, timeframe, start). WITHOUT ROWID: the primary key is the only access
 * path (range reads by symbol and timeframe ordered by start), so the table is that b-tree itself.
 * The partial index keeps the restart query for forming bars cheap without indexing closed history.
 */
export default {
  id: '0001_bars',
  sql: `
    CREATE TABLE bars (
      symbol    TEXT    NOT NULL,
      timeframe TEXT    NOT NULL,
      start     INTEGER NOT NULL,
      open      REAL    NOT NULL,
      high      REAL    NOT NULL,
      low       REAL    NOT NULL,
      close     REAL    NOT NULL,
      volume    REAL    NOT NULL,
      closed    INTEGER NOT NULL CHECK (closed IN (0, 1)),
      PRIMARY KEY (symbol, timeframe, start)
    ) WITHOUT ROWID;

    CREATE INDEX bars_forming ON bars (symbol, timeframe) WHERE closed = 0;
  `,
} as const;
