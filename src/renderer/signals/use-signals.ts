/**
 * Everything the strategy side of the window shares: the running model, the prediction history, the
 * retraining job, which prediction is looked at (the latest unless the trader picked one), the open
 * tab, and whether the column is folded away. App.tsx holds one; the panels and the charts read it.
 */
import { useCallback, useMemo, useState } from 'react';
import type { EngineStatus, Prediction } from '../../shared/domain';
import { predictionMarkers } from './prediction-history';
import type { ChartSignals } from './signals-context';
import { usePredictions, type PredictionsState } from './use-predictions';
import { modelKey, useSignalsModel, type ModelState } from './use-signal-views';
import { useTraining, type TrainingControl } from './use-training';
import { useFoldedFlagOf } from '../panels/use-folded-flag';
import type { WorkspaceControl } from '../workspace/use-workspace';

export const SIGNALS_TABS = ['why', 'features', 'scorecard', 'retrain'] as const;
export type SignalsTab = (typeof SIGNALS_TABS)[number];

export interface Signals {
  model: ModelState;
  predictions: PredictionsState;
  training: TrainingControl;
  /** The decision bar the trader picked, or null: follow the latest prediction. */
  selected: number | null;
  /** The prediction on show: the picked one, else the latest; null when there is none. */
  shown: Prediction | null;
  /** Look at this decision bar's prediction (null: back to the latest). */
  readonly select: (barStart: number | null) => void;
  tab: SignalsTab;
  readonly setTab: (tab: SignalsTab) => void;
  folded: boolean;
  readonly setFolded: (folded: boolean) => void;
  /** Changes whenever a prediction is made or the model changes: views that depend on them ask again. */
  refreshKey: string;
  /** For the chart panes. */
  chart: ChartSignals;
}

/**
 * @param reloadKey changes when the engine's history changed wholesale (an import, a replay seek).
 * @param workspace where the column's folding is kept
 */
export function useSignals(
  status: EngineStatus | null,
  reloadKey: string,
  workspace: WorkspaceControl,
): Signals {
  const model = useSignalsModel(status);
  const key = modelKey(status);
  const predictions = usePredictions(`${key}|${reloadKey}`);
  const training = useTraining(key);
  const [selected, setSelected] = useState<number | null>(null);
  const [tab, setTab] = useState<SignalsTab>('why');
  const [folded, setFolded] = useFoldedFlagOf(workspace, 'strategy');

  const list = predictions.predictions;
  const latest = list[list.length - 1] ?? null;
  const picked = selected === null ? null : (list.find((p) => p.barStart === selected) ?? null);
  const shown = picked ?? latest;

  const explain = useCallback(
    (barStart: number) => {
      setSelected(barStart);
      setTab('why');
      setFolded(false);
    },
    [setFolded],
  );
  const markers = useMemo(() => predictionMarkers(list), [list]);
  const chart = useMemo(() => ({ predictions: list, markers, explain }), [list, markers, explain]);

  return {
    model,
    predictions,
    training,
    selected: picked === null ? null : selected,
    shown,
    select: setSelected,
    tab,
    setTab,
    folded,
    setFolded,
    refreshKey: `${key}|${reloadKey}|${latest?.barStart ?? 'none'}`,
    chart,
  };
}
