/**
 * What the engine's services publish to each other on the bus. Every topic is published after the
 * state it announces was written (queued to the store's writer), never before.
 */
import type { Bar, FeedState, MetaScore, Prediction, ScoredNews, Trade } from '../../shared/domain';

export interface EngineTopics {
  /**
   * Bars that changed, every timeframe: closed ones as they close, already queued for the store; forming
   * ones once per turn of the event loop with their latest state, held in memory (snapshotted to the
   * store about once a second).
   */
  'market.bars': readonly Bar[];
  /** A trade from the feed, after it went into aggregation. */
  'market.trade': Trade;
  /** The feed's market clock moved to this epoch ms. */
  'market.time': number;
  /** The feed went back to this epoch ms (a replay seek): bars from it on were deleted. */
  'market.rewound': number;
  /** The feed's life cycle changed. */
  'market.feedState': { state: FeedState; message: string | null };
  /** A new prediction of the strategy model, after it was stored. */
  'signals.prediction': Prediction;
  /** Scored news items, after they were stored, in publication order. */
  'news.items': readonly ScoredNews[];
  /** A symbol's meta-score changed. */
  'signals.meta': MetaScore;
}
