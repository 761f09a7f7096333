/**
 * The strategy model on a pane's chart, as the workspace's switches (`modelOverlays`) say:
 * - markers: a dot above the daily bar a prediction was made at (a click opens why it was made).
 *   Predictions are made at the close of daily bars: markers on 1D panes only. While the shading shows
 *   each day's pick, only the decisions that changed the pick and the newest carry a dot: a dot on every
 *   daily bar covers the candles of a zoomed-out chart and repeats what the shading says; with the
 *   shading off every decision has its dot. Pointing at a dot shows its day and pick as a tooltip;
 * - shading (model-overlay-addon.ts): on every timeframe, each bar by the prediction in force when it
 *   was traded; the confidence pane (the pick's probability) on 1D panes only.
 */
import { useEffect, useRef, type RefObject } from 'react';
import type { Timeframe } from '../../shared/domain';
import type { CandleChart } from '../charts/candle-chart';
import { useChartSignals } from '../signals/signals-context';
import { STRATEGY_STYLE } from '../signals/strategy-style';
import { formatBarStart } from '../time/exchange-time';
import { useWorkspaceControl } from '../workspace/workspace-context';
import { ModelOverlayAddon } from './model-overlay-addon';

export function useModelOverlays(chartRef: RefObject<CandleChart | null>, timeframe: Timeframe): void {
  const { markers, explain, predictions } = useChartSignals();
  const { markers: markersOn, shading, confidence } = useWorkspaceControl().workspace.modelOverlays;
  const addonRef = useRef<ModelOverlayAddon | null>(null);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    let made: ModelOverlayAddon | null = null;
    const detach = chart.attach((surface) => (made = new ModelOverlayAddon(surface)));
    addonRef.current = made;
    return () => {
      addonRef.current = null;
      detach();
    };
  }, [chartRef]);

  useEffect(() => {
    addonRef.current?.setPredictions(predictions);
  }, [predictions]);

  useEffect(() => {
    addonRef.current?.setSwitches({ shading, confidence });
  }, [shading, confidence]);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    const shown = shading
      ? markers.filter((marker, i) => marker.text !== '' || i === markers.length - 1)
      : markers;
    chart.setMarkers(
      markersOn && timeframe === '1D'
        ? shown.map((m) => ({
            time: m.barStart,
            color: m.color,
            text: m.text,
            title: `${formatBarStart(m.barStart, '1D')}: ${STRATEGY_STYLE[m.strategy].name} (click for why)`,
          }))
        : [],
      explain,
    );
  }, [chartRef, markers, explain, timeframe, markersOn, shading]);
}
