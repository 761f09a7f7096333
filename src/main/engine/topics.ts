/**
 * What the engine's services publish to each other on the bus. Every topic is published after the
 * state it announces was written (queued to the store's writer), never before.
 */
import type { Bar, FeedState, Trade } from '../../shared/domain';

export interface EngineTopics {
  /** Bars that changed (forming and closed, every timeframe), already queued for the store. */
  'market.bars': readonly Bar[];
  /** A trade from the feed, after it went into aggregation. */
  'market.trade': Trade;
  /** The feed's market clock moved to this epoch ms. */
  'market.time': number;
  /** The feed's life cycle changed. */
  'market.feedState': { state: FeedState; message: string | null };
}
