/**
 * The switches of the strategy model's overlays on the charts (the workspace's `modelOverlays`, kept with
 * it): prediction markers, shading by predicted strategy, the pick's probability pane ("Pick %", the
 * workspace's `confidence` switch); and a legend of the strategies' colours (the shading's tints and the
 * markers' dots), opened from the "Colours" chip.
 */
import { useId, useState } from 'react';
import type { ModelOverlays } from '../../shared/domain';
import { STRATEGY_ROWS } from '../signals/strategy-style';
import { useWorkspaceControl } from '../workspace/workspace-context';
import { SHADING_ALPHA, hexRgb, rgba } from './overlay-colours';

const TOGGLES: readonly { key: keyof ModelOverlays; label: string; title: string }[] = [
  {
    key: 'markers',
    label: 'Markers',
    title: 'A dot above each daily bar a prediction was made at (1D charts); click one to see why',
  },
  {
    key: 'shading',
    label: 'Shading',
    title: 'Tint each bar by the strategy the model predicted for the session it was traded in',
  },
  {
    key: 'confidence',
    label: 'Pick %',
    title:
      'A pane under each daily chart: the picked strategy’s probability (line) and its margin over the runner-up (band); not the model’s confidence its pick is right',
  },
];

export function ModelOverlayToggles() {
  const { workspace, change } = useWorkspaceControl();
  const switches = workspace.modelOverlays;
  const [legendOpen, setLegendOpen] = useState(false);
  const legendId = useId();
  return (
    <div className="model-overlays" data-testid="model-overlays">
      <div className="model-overlays-row" role="group" aria-label="Model on the charts">
        <span className="model-overlays-title">On charts</span>
        {TOGGLES.map(({ key, label, title }) => (
          <button
            key={key}
            type="button"
            className="model-overlay-toggle"
            aria-pressed={switches[key]}
            title={title}
            data-testid={`overlay-toggle-${key}`}
            onClick={() =>
              change((w) => ({ ...w, modelOverlays: { ...w.modelOverlays, [key]: !w.modelOverlays[key] } }))
            }
          >
            {label}
          </button>
        ))}
        <button
          type="button"
          className="model-overlay-legend-chip"
          aria-expanded={legendOpen}
          aria-controls={legendId}
          title="What the colours mean"
          data-testid="overlay-legend-toggle"
          onClick={() => setLegendOpen((open) => !open)}
        >
          Colours
        </button>
      </div>
      {legendOpen ? (
        <ul className="model-overlay-legend" id={legendId} data-testid="overlay-legend">
          {STRATEGY_ROWS.map((row) => (
            <li key={row.id} data-strategy={row.id}>
              <span
                className="model-overlay-swatch"
                aria-hidden="true"
                style={{ background: rgba(hexRgb(row.color), SHADING_ALPHA * 3), borderColor: row.color }}
              />
              {row.name}
            </li>
          ))}
          <li className="model-overlay-legend-note">
            Shading: the strategy in force when the bar traded. Pick % (daily charts): the line is the picked
            strategy’s probability; the band reaches down to the runner-up’s.
          </li>
        </ul>
      ) : null}
    </div>
  );
}
