/**
 * Draws the symbol's drawings (horizontal and trend lines, kept in the workspace per symbol) on a pane's
 * chart as a chart addon. STUB: issue 16 fills it in.
 */
import type { RefObject } from 'react';
import type { CandleChart } from '../charts/candle-chart';

export function useDrawings(chartRef: RefObject<CandleChart | null>, symbol: string | null): void {
  void chartRef;
  void symbol;
}
