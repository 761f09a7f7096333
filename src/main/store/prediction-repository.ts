/**
 * The strategy model's predictions on disk (table `predictions`, migration 0005): one row per (model
 * version, decision bar start). Rows come back as the contract's `Prediction`; probabilities and
 * features travel as JSON text, written only by `insert` from values the engine produced.
 *
 * Where several models predicted the same bar (a candidate accepted and a bar decided again), reads
 * answer with the one written last: `get` and `list` give one prediction per bar.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { FeatureValue, Prediction, StrategyId } from '../../shared/domain';

type PredictionRow = [string, number, number, string, string, number, string, number];

const COLUMNS = 'model_version, bar_start, time, strategy, probabilities, halt, features, imputed';
/** Larger than any epoch-ms timestamp the domain accepts, so "no upper bound" shares the ranged statement. */
const NO_UPPER_BOUND = Number.MAX_SAFE_INTEGER;
/** The latest-written row of its bar: what every read answers with. */
const LATEST_OF_BAR = 'p.seq = (SELECT max(q.seq) FROM predictions q WHERE q.bar_start = p.bar_start)';

export interface PredictionListQuery {
  /** Exclusive upper bound on `barStart` (epoch ms UTC); omitted: the most recent predictions. */
  before?: number;
  /** How many predictions at most (a non-negative integer). */
  limit: number;
}

export class PredictionRepository {
  private readonly upsertOne: BetterSqlite3.Statement<unknown[]>;
  private readonly insertMany: (predictions: readonly Prediction[]) => void;
  private readonly rangeDesc: BetterSqlite3.Statement<[number, number], PredictionRow>;
  private readonly everyAsc: BetterSqlite3.Statement<[], PredictionRow>;
  private readonly latestOf: BetterSqlite3.Statement<[number], PredictionRow>;
  private readonly exists: BetterSqlite3.Statement<[string, number], number>;
  private readonly cut: BetterSqlite3.Statement<[number]>;
  private readonly countAll: BetterSqlite3.Statement<[], number>;

  constructor(db: BetterSqlite3.Database) {
    // A bar decided again by the same model replaces its row and moves it last (a new seq).
    this.upsertOne = db.prepare(
      `INSERT OR REPLACE INTO predictions (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertMany = db.transaction((predictions: readonly Prediction[]) => {
      for (const p of predictions) {
        this.upsertOne.run(
          p.modelVersion,
          p.barStart,
          p.time,
          p.strategy,
          JSON.stringify(p.probabilities),
          p.haltProbability,
          JSON.stringify(p.features),
          p.imputed,
        );
      }
    });
    this.rangeDesc = db
      .prepare<[number, number], PredictionRow>(
        `SELECT ${COLUMNS} FROM predictions p WHERE p.bar_start < ? AND ${LATEST_OF_BAR}
         ORDER BY p.bar_start DESC LIMIT ?`,
      )
      .raw();
    this.everyAsc = db
      .prepare<[], PredictionRow>(
        `SELECT ${COLUMNS} FROM predictions p WHERE ${LATEST_OF_BAR} ORDER BY p.bar_start`,
      )
      .raw();
    this.latestOf = db
      .prepare<[number], PredictionRow>(
        `SELECT ${COLUMNS} FROM predictions WHERE bar_start = ? ORDER BY seq DESC LIMIT 1`,
      )
      .raw();
    this.exists = db
      .prepare<[string, number], number>(
        'SELECT 1 FROM predictions WHERE model_version = ? AND bar_start = ?',
      )
      .pluck();
    this.cut = db.prepare<[number]>('DELETE FROM predictions WHERE bar_start >= ?');
    this.countAll = db.prepare<[], number>('SELECT count(*) FROM predictions').pluck();
  }

  /** Stores predictions in one transaction; one of the same model and bar as a stored one replaces it. */
  insert(predictions: readonly Prediction[]): void {
    if (predictions.length > 0) this.insertMany(predictions);
  }

  /**
   * The `limit` most recent predictions (one per bar) whose bar starts before `before` (or overall),
   * returned oldest first. @throws RangeError when `limit` is not a non-negative integer
   */
  list(query: PredictionListQuery): Prediction[] {
    const { before = NO_UPPER_BOUND, limit } = query;
    // SQLite reads a negative LIMIT as "no limit": refuse it rather than return the whole history.
    if (!Number.isInteger(limit) || limit < 0)
      throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
    if (limit === 0) return [];
    const rows = this.rangeDesc.all(before, limit);
    const out = new Array<Prediction>(rows.length);
    for (let i = 0; i < rows.length; i++) out[rows.length - 1 - i] = toPrediction(rows[i]!);
    return out;
  }

  /** Every stored prediction (one per bar), oldest first: what the scorecard scores. */
  all(): Prediction[] {
    return this.everyAsc.all().map(toPrediction);
  }

  /** The prediction of the bar starting at `barStart` (the one written last), or null. */
  get(barStart: number): Prediction | null {
    const row = this.latestOf.get(barStart);
    return row ? toPrediction(row) : null;
  }

  /** Whether `modelVersion` has already predicted the bar starting at `barStart`. */
  has(modelVersion: string, barStart: number): boolean {
    return this.exists.get(modelVersion, barStart) !== undefined;
  }

  /** Deletes the predictions of bars starting at or after `time` (a replay seeking back); returns how many. */
  deleteFrom(time: number): number {
    return this.cut.run(time).changes;
  }

  count(): number {
    return this.countAll.get() ?? 0;
  }
}

function toPrediction(row: PredictionRow): Prediction {
  const [modelVersion, barStart, time, strategy, probabilities, halt, features, imputed] = row;
  return {
    barStart,
    time,
    modelVersion,
    strategy: strategy as StrategyId,
    probabilities: JSON.parse(probabilities) as number[],
    haltProbability: halt,
    features: JSON.parse(features) as FeatureValue[],
    imputed,
  };
}
