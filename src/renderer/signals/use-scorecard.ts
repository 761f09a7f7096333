/**
 * The scorecard while it is on screen: asked when the tab opens, after each reconnect, and again when
 * a new prediction was made or the model changed (`refreshKey`), since either changes what it scores.
 */
import type { Scorecard } from '../../shared/domain';
import { useEngineCall, type CallState } from './use-engine-call';

export function useScorecard(shown: boolean, refreshKey: string): CallState<Scorecard> {
  return useEngineCall('signals.scorecard', shown ? {} : null, refreshKey);
}
