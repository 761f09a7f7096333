/**
 * News items with their sentiment and catalyst tags (store/news-repository.ts reads and writes them).
 *
 * - `seq` (an explicit INTEGER PRIMARY KEY, so VACUUM keeps it) orders items of the same `time` by when
 *   they were stored, so every read and the replay feed's cursor are deterministic, ties included.
 * - `id` is the item's id (`<origin>:<provider id>`), stored once. `text_key` is the time (8 bytes,
 *   big-endian) and 8 bytes of SHA-256 over the normalised headline (trimmed, whitespace collapsed,
 *   case-folded): the same text at the same time is stored once even under another id (a wire story
 *   syndicated twice). Time first, so news arriving in time order appends to the index.
 * - `symbols` holds the item's symbols space-separated ('' for market-wide news; a symbol never contains
 *   a space), so a read needs no join; `news_symbols` holds one row per (symbol, item), keyed
 *   (symbol, time, seq), so "news naming AAPL before t, newest first" is one index range scan.
 * - Sentiment columns are NULL while unscored: `sentiment_label` is the SENTIMENT_LABELS index,
 *   `p_negative`/`p_neutral`/`p_positive` the probabilities, `sentiment_score` P(positive) − P(negative).
 *   `catalysts` is a JSON array of CATALYST_TAGS names (names, not bit positions, so a tag added to the
 *   contract later cannot change what stored rows mean).
 */
export default {
  id: '0006_news',
  sql: `
    CREATE TABLE news (
      seq             INTEGER PRIMARY KEY,
      id              TEXT    NOT NULL UNIQUE,
      text_key        BLOB    NOT NULL UNIQUE,
      origin          TEXT    NOT NULL,
      kind            TEXT    NOT NULL,
      source          TEXT    NOT NULL,
      time            INTEGER NOT NULL,
      headline        TEXT    NOT NULL,
      summary         TEXT    NOT NULL,
      url             TEXT,
      symbols         TEXT    NOT NULL,
      sentiment_label INTEGER,
      p_negative      REAL,
      p_neutral       REAL,
      p_positive      REAL,
      sentiment_score REAL,
      sentiment_model TEXT,
      catalysts       TEXT    NOT NULL DEFAULT '[]'
    );
    CREATE INDEX news_by_time ON news (time, seq);
    CREATE TABLE news_symbols (
      symbol TEXT    NOT NULL,
      time   INTEGER NOT NULL,
      seq    INTEGER NOT NULL,
      PRIMARY KEY (symbol, time, seq)
    ) WITHOUT ROWID;
  `,
} as const;
