/**
 * The strategy model's predictions, one per (model version, daily decision bar): what the model saw
 * (features as JSON of FeatureValue[], with their z-scores and how many inputs were imputed) and what
 * it said (the strategy picked, its eight probabilities as a JSON array in STRATEGY_IDS order, the
 * halting probability), so any past prediction can be explained and scored later.
 *
 * `seq` (an explicit INTEGER PRIMARY KEY, so VACUUM keeps it) orders rows by when they were written:
 * where two models predicted the same bar (a candidate accepted mid-session), the later one is "the"
 * prediction of that bar. `bar_start` is indexed for range reads and for cutting back on a replay seek.
 */
export default {
  id: '0005_predictions',
  sql: `
    CREATE TABLE predictions (
      seq           INTEGER PRIMARY KEY,
      model_version TEXT    NOT NULL,
      bar_start     INTEGER NOT NULL,
      time          INTEGER NOT NULL,
      strategy      TEXT    NOT NULL,
      probabilities TEXT    NOT NULL,
      halt          REAL    NOT NULL,
      features      TEXT    NOT NULL,
      imputed       INTEGER NOT NULL,
      UNIQUE (model_version, bar_start)
    );
    CREATE INDEX predictions_by_bar ON predictions (bar_start, seq);
  `,
} as const;
