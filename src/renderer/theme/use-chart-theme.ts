/**
 * Applies the workspace's theme (dark or light) to a pane's chart. STUB: issue 16 fills it in.
 */
import type { RefObject } from 'react';
import type { CandleChart } from '../charts/candle-chart';

export function useChartTheme(chartRef: RefObject<CandleChart | null>): void {
  void chartRef;
}
