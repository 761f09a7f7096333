/**
 * The prediction history: the engine's stored predictions (`signals.predictions`, the latest 500, in
 * pages) and
 * each new one as it is pushed (`signals.prediction`). The listen is made first, so a prediction made
 * while the history is on its way is not lost; both are merged by decision bar (prediction-history.ts).
 * Asked again after each reconnect, when the model changes, and when `reloadKey` changes (a replay
 * seek rewinds the engine, which deletes the predictions after the new time): the history then
 * replaces what was held.
 */
import { useEffect, useState } from 'react';
import type { Prediction } from '../../shared/domain';
import { useConnection, useEngineClient } from '../engine/engine-context';
import { loadPredictionPages, mergePredictions } from './prediction-history';
import { describeCallError } from './use-engine-call';

/** How many stored predictions the window asks for: about two years of sessions, the daily chart's span. */
export const HISTORY_PREDICTIONS = 500;

export interface PredictionsState {
  /** Oldest first, one per decision bar. */
  predictions: readonly Prediction[];
  /** The history is on its way. */
  loading: boolean;
  /** Why there is no history (the engine's words: no model runs, say), or null. */
  error: string | null;
  /** Why new predictions do not arrive, or null. */
  liveError: string | null;
}

interface Held {
  key: string;
  predictions: readonly Prediction[];
  loaded: boolean;
  error: string | null;
}

/**
 * @param reloadKey changes when what the engine holds may have changed wholesale: the model that runs,
 *   a replay seek, an import.
 */
export function usePredictions(reloadKey: string): PredictionsState {
  const client = useEngineClient();
  const { linkEpoch } = useConnection();
  const key = `${reloadKey}|${linkEpoch}`;
  const [held, setHeld] = useState<Held>({ key: '', predictions: [], loaded: false, error: null });
  const [liveError, setLiveError] = useState<{ key: string; message: string } | null>(null);

  useEffect(() => {
    if (linkEpoch === 0) return;
    let cancelled = false;
    // Pushed while the history is out: merged into it when it arrives.
    let early: Prediction[] = [];
    let historyIn = false;
    const unlisten = client.listen(
      'signals.prediction',
      {},
      (prediction) => {
        if (!historyIn) early.push(prediction);
        else
          setHeld((previous) => ({
            ...previous,
            predictions: mergePredictions(previous.predictions, [prediction]),
          }));
      },
      (error) => setLiveError({ key, message: describeCallError(error) }),
    );
    loadPredictionPages((params) => client.call('signals.predictions', params), HISTORY_PREDICTIONS).then(
      (stored) => {
        if (cancelled) return;
        historyIn = true;
        setHeld({ key, predictions: mergePredictions(stored, early), loaded: true, error: null });
        early = [];
      },
      (error: unknown) => {
        if (cancelled) return;
        historyIn = true;
        setHeld({
          key,
          predictions: mergePredictions([], early),
          loaded: true,
          error: describeCallError(error),
        });
        early = [];
      },
    );
    return () => {
      cancelled = true;
      unlisten();
    };
  }, [client, linkEpoch, key]);

  const current = held.key === key;
  return {
    predictions: held.predictions,
    loading: linkEpoch !== 0 && !(current && held.loaded),
    error: current ? held.error : null,
    liveError: liveError?.key === key ? liveError.message : null,
  };
}
