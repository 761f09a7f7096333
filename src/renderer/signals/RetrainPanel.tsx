/**
 * Retrain: choose the training window, start, follow the job (epoch, loss, accuracy, time left), read
 * the report (the candidate's backtest next to the running model's and the baselines') and accept or
 * reject the candidate. The engine uses a new model only after Accept; the job runs in its worker and
 * goes on while the trader looks elsewhere.
 */
import { useCallback, useId, useState } from 'react';
import type { ModelInfo, TrainingProgress } from '../../shared/domain';
import { useEngineClient } from '../engine/engine-context';
import { formatPercent } from './format';
import { MetricsTable } from './Scorecard';
import { MODEL_COLOR, baselineColor, baselineName } from './strategy-style';
import {
  awaitsDecision,
  canStart,
  describeTraining,
  retrainParams,
  trainingFigures,
  trainingShare,
} from './training-view';
import { describeCallError } from './use-engine-call';
import type { TrainingControl } from './use-training';

export function RetrainPanel({ training, model }: { training: TrainingControl; model: ModelInfo | null }) {
  const { state } = training;
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const range = retrainParams(from, to);
  const startable = canStart(state);
  // A half-typed date is not a mistake yet: the problem shows once both fields look complete, or on Start.
  const [tried, setTried] = useState(false);
  const complete = (text: string): boolean => text.trim() === '' || text.trim().length >= 10;
  const problem = tried || (complete(from) && complete(to)) ? range.problem : null;
  return (
    <div className="signals-retrain" data-testid="signals-retrain">
      <p className="signals-muted">
        Trains a candidate model in the background on the daily history this workstation holds now (in a
        replay: the sessions before the replay range and those replayed so far), then backtests it next to the
        running model{model ? ` (${model.version}, trained ${model.trainedFrom} to ${model.trainedTo})` : ''}{' '}
        and the baselines. The candidate is used only if you accept it, and from then on also at the next
        start. Dates as YYYY-MM-DD (New York sessions, inclusive); empty: all of that history.
      </p>
      <form
        className="signals-retrain-form"
        onSubmit={(event) => {
          event.preventDefault();
          setTried(true);
          if (range.params !== null && startable) training.start(range.params);
        }}
      >
        <DateField
          label="From"
          placeholder="first stored session"
          value={from}
          onChange={setFrom}
          invalid={problem !== null && from !== ''}
          disabled={!startable}
        />
        <DateField
          label="To"
          placeholder="last stored session"
          value={to}
          onChange={setTo}
          invalid={problem !== null && to !== ''}
          disabled={!startable}
        />
        <button type="submit" className="primary" data-testid="signals-retrain-start" disabled={!startable}>
          {state.starting ? 'Starting…' : 'Start'}
        </button>
      </form>
      {awaitsDecision(state) ? (
        <div className="signals-muted">Accept or reject the candidate before training another.</div>
      ) : null}
      {problem !== null ? (
        <div className="signals-warn" role="alert">
          {problem}
        </div>
      ) : null}
      {model !== null && !model.shipped ? <ShippedModelSwitch version={model.version} /> : null}
      {training.listenError !== null ? (
        <div className="signals-unavailable" role="status">
          Training progress cannot be followed: {training.listenError}
        </div>
      ) : null}
      {state.error !== null ? (
        <div className="panel-error" role="alert" data-testid="signals-retrain-error">
          {state.error}
        </div>
      ) : null}
      {state.progress !== null ? <Progress progress={state.progress} /> : null}
      {state.progress?.report ? (
        <Report
          progress={state.progress}
          report={state.progress.report}
          currentVersion={model?.version ?? null}
        />
      ) : null}
      {awaitsDecision(state) ? (
        <div className="panel-actions">
          <button
            type="button"
            className="primary"
            data-testid="signals-accept"
            disabled={state.deciding}
            onClick={() => training.decide(true)}
          >
            Accept: use it from the next decision
          </button>
          <button
            type="button"
            data-testid="signals-reject"
            disabled={state.deciding}
            onClick={() => training.decide(false)}
          >
            Reject
          </button>
        </div>
      ) : null}
      {state.decision !== null ? (
        <div className="signals-decided" role="status" data-testid="signals-decided">
          {state.decision.accepted
            ? `Accepted: ${state.decision.model ? `${state.decision.model.version} runs from the next decision on.` : 'the engine runs no model.'}`
            : 'Rejected: the running model stays.'}
          {state.decision.message ? ` ${state.decision.message}` : ''}
        </div>
      ) : null}
    </div>
  );
}

function Progress({ progress }: { progress: TrainingProgress }) {
  const share = trainingShare(progress);
  const failed = progress.phase === 'failed';
  return (
    <div className="signals-progress" data-testid="signals-progress" data-phase={progress.phase}>
      <div className={failed ? 'panel-error' : 'signals-progress-line'} role={failed ? 'alert' : 'status'}>
        {describeTraining(progress)}
      </div>
      {failed ? null : share === null ? (
        <progress aria-label="Training progress" />
      ) : (
        <progress aria-label="Training progress" max={1} value={share} />
      )}
      {failed ? null : (
        <dl className="signals-figures">
          {trainingFigures(progress).map((figure) => (
            <div key={figure.label}>
              <dt>{figure.label}</dt>
              <dd className="numeric">{figure.value}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

function Report({
  progress,
  report,
  currentVersion,
}: {
  progress: TrainingProgress;
  report: NonNullable<TrainingProgress['report']>;
  currentVersion: string | null;
}) {
  return (
    <div className="signals-report" data-testid="signals-report" data-job={progress.jobId}>
      <p className="signals-lead">
        Candidate {report.candidateVersion}: accuracy {formatPercent(report.accuracy)} against a majority rate
        of {formatPercent(report.majorityRate)} (always the most frequent strategy); balanced accuracy{' '}
        {formatPercent(report.balancedAccuracy)} (chance: 12.5 %).
      </p>
      <MetricsTable
        caption={`Backtest ${report.from} to ${report.to}: the candidate's validation days (held out of its training, used to stop it); the model that ran may have trained on them`}
        rows={[
          { id: 'candidate', name: 'Candidate', color: '#f0b72f', metrics: report.candidate },
          {
            id: 'current',
            name: currentVersion ? 'Model that ran' : 'No model ran',
            color: MODEL_COLOR,
            metrics: report.current,
          },
          ...Object.entries(report.baselines).map(([id, metrics]) => ({
            id,
            name: baselineName(id),
            color: baselineColor(id),
            metrics,
          })),
        ]}
      />
    </div>
  );
}

/** The way back from a model accepted from Retrain to the one shipped with the workstation. */
function ShippedModelSwitch({ version }: { version: string }) {
  const client = useEngineClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const switchBack = useCallback(() => {
    setBusy(true);
    setError(null);
    // Success shows as the status bar's and the panel's model changing (the engine pushes its status).
    client.call('signals.useShippedModel', {}).then(
      () => setBusy(false),
      (reason: unknown) => {
        setBusy(false);
        setError(describeCallError(reason));
      },
    );
  }, [client]);
  return (
    <div className="signals-shipped" data-testid="signals-shipped-switch">
      <p className="signals-muted">
        The running model, {version}, is one you accepted from Retrain; it also runs at every start.
      </p>
      <button type="button" onClick={switchBack} disabled={busy} data-testid="signals-use-shipped">
        Use the shipped model
      </button>
      {error !== null ? (
        <div className="panel-error" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}

/** One end of the training window: a YYYY-MM-DD text field with its label (empty: the stored history's end). */
function DateField(props: {
  label: string;
  placeholder: string;
  value: string;
  onChange: (text: string) => void;
  invalid: boolean;
  disabled: boolean;
}) {
  const id = useId();
  return (
    <>
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="text"
        placeholder={props.placeholder}
        title="A date as YYYY-MM-DD, or empty"
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        aria-invalid={props.invalid ? 'true' : undefined}
        disabled={props.disabled}
      />
    </>
  );
}
