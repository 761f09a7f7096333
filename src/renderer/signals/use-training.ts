/**
 * Retraining from the window: start a job on a date range, follow its progress (`signals.training`),
 * read its report and accept or reject the candidate. The listen lives as long as the window (a job
 * goes on when the tab is left); the state and its rules are training-view.ts's reducer.
 */
import { useCallback, useEffect, useReducer, useState } from 'react';
import { useEngineClient } from '../engine/engine-context';
import { INITIAL_TRAINING, trainingReducer, type TrainingState } from './training-view';
import { describeCallError } from './use-engine-call';

export interface TrainingControl {
  state: TrainingState;
  /** Why progress cannot be followed (the engine refused the `signals.training` listen), or null. */
  listenError: string | null;
  /** Start retraining on the stored daily history (dates inclusive, YYYY-MM-DD; absent = all of it). */
  readonly start: (range: { from?: string; to?: string }) => void;
  /** The trader's word on the finished candidate. */
  readonly decide: (accept: boolean) => void;
}

/** @param listenKey changes when the engine may now accept the listen it refused (a model loaded). */
export function useTraining(listenKey: string): TrainingControl {
  const client = useEngineClient();
  const [state, dispatch] = useReducer(trainingReducer, INITIAL_TRAINING);
  const [listenError, setListenError] = useState<{ key: string; message: string } | null>(null);

  useEffect(
    () =>
      client.listen(
        'signals.training',
        {},
        (progress) => dispatch({ type: 'progress', progress }),
        (error) => setListenError({ key: listenKey, message: describeCallError(error) }),
      ),
    [client, listenKey],
  );

  const start = useCallback(
    (range: { from?: string; to?: string }) => {
      dispatch({ type: 'start' });
      client.call('signals.retrain', range).then(
        ({ jobId }) => dispatch({ type: 'started', jobId }),
        (error: unknown) => dispatch({ type: 'startFailed', message: describeCallError(error) }),
      );
    },
    [client],
  );

  const jobId = state.jobId;
  const decide = useCallback(
    (accept: boolean) => {
      if (jobId === null) return;
      dispatch({ type: 'decide' });
      client.call('signals.decideCandidate', { jobId, accept }).then(
        ({ model, message }) => dispatch({ type: 'decided', decision: { accepted: accept, model, message } }),
        (error: unknown) => dispatch({ type: 'decideFailed', message: describeCallError(error) }),
      );
    },
    [client, jobId],
  );

  return {
    state,
    listenError: listenError?.key === listenKey ? listenError.message : null,
    start,
    decide,
  };
}
