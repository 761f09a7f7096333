/**
 * Draws a pane's indicators (shared/domain/workspace.ts Indicator) on its chart as a chart addon
 * (charts/chart-addon.ts), computed by the trading-signals library. STUB: issue 16 fills it in.
 */
import type { RefObject } from 'react';
import type { Indicator } from '../../shared/domain';
import type { CandleChart } from '../charts/candle-chart';

export function useIndicators(
  chartRef: RefObject<CandleChart | null>,
  indicators: readonly Indicator[],
): void {
  void chartRef;
  void indicators;
}
