/**
 * The strategy views' other engine answers: the model that runs (`signals.model`), the feature streams
 * (`signals.features`) and the explanation of one prediction (`signals.explain`).
 */
import type {
  EngineStatus,
  FeatureStream,
  FeatureValue,
  ModelInfo,
  PredictionExplanation,
} from '../../shared/domain';
import { useEngineCall, type CallState } from './use-engine-call';

export interface ModelState {
  model: ModelInfo | null;
  /** Why no model runs (the engine's words, or why it could not be asked), or null. */
  message: string | null;
  /** The engine has answered (or refused) at least once for the current model. */
  known: boolean;
}

/** What identifies the running model in the engine's status: asked again whenever it changes. */
export const modelKey = (status: EngineStatus | null): string =>
  status?.model ? `${status.model.version}|${status.model.provider}` : 'none';

/** The running model, asked again whenever the status names another (an accepted candidate). */
export function useSignalsModel(status: EngineStatus | null): ModelState {
  const call = useEngineCall('signals.model', {}, modelKey(status));
  return {
    model: call.value?.model ?? null,
    message: call.value?.message ?? call.error,
    known: call.value !== null || call.error !== null,
  };
}

/** The feature streams and their latest values, while the Features tab is shown. */
export function useFeatures(
  shown: boolean,
  refreshKey: string,
): CallState<{ streams: FeatureStream[]; latest: FeatureValue[] | null }> {
  return useEngineCall('signals.features', shown ? {} : null, refreshKey);
}

/** Why the model said what it said for the prediction of this decision bar (null: none selected). */
export function useExplanation(
  barStart: number | null,
  refreshKey: string,
): CallState<PredictionExplanation> {
  return useEngineCall('signals.explain', barStart === null ? null : { barStart }, refreshKey);
}
