/**
 * What the chart panes need of the strategy model: its predictions (the overlays shade bars and draw the
 * confidence from them), their markers (drawn on daily charts only) and a way to open the why view of the
 * prediction a trader clicks.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { Prediction } from '../../shared/domain';
import type { PredictionMarker } from './prediction-history';

export interface ChartSignals {
  /** The predictions held, oldest first, one per decision bar. */
  predictions: readonly Prediction[];
  /** One per prediction, in time order. */
  markers: readonly PredictionMarker[];
  /** Show why the model made the prediction of this decision bar. */
  explain: (barStart: number) => void;
}

const NONE: ChartSignals = { predictions: [], markers: [], explain: () => {} };

const ChartSignalsContext = createContext<ChartSignals>(NONE);

export function ChartSignalsProvider({ value, children }: { value: ChartSignals; children: ReactNode }) {
  return <ChartSignalsContext.Provider value={value}>{children}</ChartSignalsContext.Provider>;
}

/** The prediction markers and the explain action (none outside a provider). */
export function useChartSignals(): ChartSignals {
  return useContext(ChartSignalsContext);
}
