/**
 * The strategy model on a pane's chart: a marker above each daily bar a prediction was made at (a click
 * opens why it was made). Predictions are made at the close of daily bars: markers on 1D panes only.
 */
import { useEffect, type RefObject } from 'react';
import type { Timeframe } from '../../shared/domain';
import type { CandleChart } from '../charts/candle-chart';
import { useChartSignals } from '../signals/signals-context';

export function useModelOverlays(chartRef: RefObject<CandleChart | null>, timeframe: Timeframe): void {
  const { markers, explain } = useChartSignals();
  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    chart.setMarkers(
      timeframe === '1D' ? markers.map((m) => ({ time: m.barStart, color: m.color, text: m.text })) : [],
      explain,
    );
  }, [chartRef, markers, explain, timeframe]);
}
