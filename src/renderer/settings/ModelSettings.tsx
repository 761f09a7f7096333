/**
 * The strategy model in Settings: which TRM model decides (the shipped one or one accepted from
 * Retrain), going back to the shipped one (`signals.useShippedModel`), and the word on a retrained
 * candidate that waits for it (the same decision as the Retrain tab's, `signals.decideCandidate`).
 */
import { useState } from 'react';
import { useEngineClient } from '../engine/engine-context';
import { awaitsDecision } from '../signals/training-view';
import { describeCallError } from '../signals/use-engine-call';
import type { ModelState } from '../signals/use-signal-views';
import type { TrainingControl } from '../signals/use-training';

export function ModelSettings({ model, training }: { model: ModelState; training: TrainingControl }) {
  const client = useEngineClient();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const running = model.model;
  const candidate = awaitsDecision(training.state) ? training.state.progress?.report : null;
  // Why "Use the shipped model" cannot be pressed now, as its tooltip; null when it can.
  const shippedBlocked =
    running === null
      ? 'No model runs now (see above)'
      : running.shipped
        ? 'The shipped model is already the one in use'
        : busy
          ? 'Switching to the shipped model…'
          : null;

  const backToShipped = (): void => {
    setBusy(true);
    setNotice(null);
    setError(null);
    client
      .call('signals.useShippedModel', {})
      .then(
        (answer) =>
          answer.model
            ? setNotice(`The shipped model ${answer.model.version} decides from now on, and after a restart.`)
            : setError(answer.message ?? 'The engine loaded no model.'),
        (failure: unknown) => setError(describeCallError(failure)),
      )
      .finally(() => setBusy(false));
  };

  return (
    <div
      className="settings-model"
      data-testid="settings-model"
      data-shipped={running?.shipped ? 'true' : 'false'}
    >
      {running ? (
        <p className="panel-text" data-testid="settings-model-running">
          <strong>{running.version}</strong> decides:{' '}
          {running.shipped ? 'the model shipped with the workstation' : 'a model you accepted from Retrain'},
          trained on {running.trainedFrom} to {running.trainedTo}, running on {running.provider.toUpperCase()}
          .
        </p>
      ) : (
        <p className="panel-text">
          {model.known ? (model.message ?? 'No model runs.') : 'Asking the engine…'}
        </p>
      )}
      {candidate ? (
        <div className="panel-actions" data-testid="settings-model-candidate">
          <span>Candidate {candidate.candidateVersion} waits for your word:</span>
          <button
            type="button"
            className="primary"
            disabled={training.state.deciding}
            onClick={() => training.decide(true)}
          >
            Use it
          </button>
          <button type="button" disabled={training.state.deciding} onClick={() => training.decide(false)}>
            Reject it
          </button>
        </div>
      ) : null}
      <div className="panel-actions">
        <button
          type="button"
          data-testid="settings-model-shipped"
          disabled={shippedBlocked !== null}
          onClick={backToShipped}
          title={
            shippedBlocked ?? 'Go back to the model shipped with the workstation, now and at the next start'
          }
        >
          Use the shipped model
        </button>
      </div>
      <p className="panel-muted">
        A new candidate comes from the strategy column’s Retrain tab, with its backtest next to the running
        model’s.
      </p>
      {notice !== null ? (
        <div className="panel-notice" role="status">
          {notice}
        </div>
      ) : null}
      {error !== null || training.state.error !== null ? (
        <div className="panel-error" role="alert">
          {error ?? training.state.error}
        </div>
      ) : null}
    </div>
  );
}
