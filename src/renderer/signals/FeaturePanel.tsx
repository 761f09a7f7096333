/**
 * The feature panel: every input stream of the model with its value and z-score (at the decision on
 * show: the picked one, else the engine's latest), whether it is available and why not, and where its
 * data comes from; the stream's exact definition is its name's tooltip.
 */
import type { FeatureStream, FeatureValue, Prediction } from '../../shared/domain';
import { formatDecisionDate, formatValue, formatZ } from './format';
import type { CallState } from './use-engine-call';

interface FeaturePanelProps {
  features: CallState<{ streams: FeatureStream[]; latest: FeatureValue[] | null }>;
  /** The prediction the trader picked (its inputs are shown), or null for the engine's latest values. */
  picked: Prediction | null;
}

export function FeaturePanel({ features, picked }: FeaturePanelProps) {
  if (features.error !== null) {
    return (
      <div className="signals-unavailable" role="status" data-testid="signals-features-error">
        {features.error}
      </div>
    );
  }
  const answer = features.value;
  if (answer === null) {
    return (
      <p className="signals-muted">
        {features.offline ? 'Waiting for the engine…' : 'Loading the feature streams…'}
      </p>
    );
  }
  const values = picked?.features ?? answer.latest;
  const byId = new Map((values ?? []).map((v) => [v.id, v]));
  return (
    <div className="signals-features" data-testid="signals-features">
      <p className="signals-lead">
        {picked !== null
          ? `Inputs of the decision of ${formatDecisionDate(picked.barStart)}`
          : values !== null
            ? 'Latest values'
            : 'No values yet: they come with the first decision.'}
      </p>
      <ul className="signals-feature-list">
        {answer.streams.map((stream) => {
          const value = byId.get(stream.id) ?? null;
          const available = value?.available ?? stream.available;
          const reason = value?.reason ?? stream.reason;
          return (
            <li
              key={stream.id}
              className="signals-feature"
              data-feature={stream.id}
              data-available={available ? 'true' : 'false'}
            >
              <div className="signals-feature-line">
                <span className="signals-feature-name" title={stream.description}>
                  {stream.name}
                </span>
                <span className="numeric" title={`Value (${stream.unit || 'no unit'})`}>
                  {formatValue(value?.value, stream.unit)}
                </span>
                <span
                  className="numeric signals-feature-z"
                  title="z-score against the training window (clipped to ±5)"
                >
                  z {formatZ(value?.z)}
                </span>
              </div>
              <div className="signals-feature-meta">
                <span className={available ? 'signals-ok' : 'signals-warn'}>
                  {available ? 'available' : `unavailable${reason ? `: ${reason}` : ''}`}
                </span>
                {available && reason ? <span> · {reason}</span> : null}
                <span> · {stream.source}</span>
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
