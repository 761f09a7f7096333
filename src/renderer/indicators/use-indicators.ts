/**
 * Draws a pane's indicators (shared/domain/workspace.ts Indicator) on its chart as a chart addon
 * (charts/chart-addon.ts; the drawing is indicator-layer.ts), computed by the trading-signals library.
 * The addon lives as long as the chart; a change of the pane's list adds and removes only what changed,
 * and a change of the window's theme recolours the lines and chips in its shades.
 */
import { useEffect, useRef, type RefObject } from 'react';
import type { Indicator } from '../../shared/domain';
import type { CandleChart } from '../charts/candle-chart';
import { useWorkspaceControl } from '../workspace/workspace-context';
import { IndicatorLayer } from './indicator-layer';

export function useIndicators(
  chartRef: RefObject<CandleChart | null>,
  indicators: readonly Indicator[],
): void {
  const theme = useWorkspaceControl().workspace.theme;
  const layerRef = useRef<IndicatorLayer | null>(null);
  const themeRef = useRef(theme);
  // The list last drawn, for a layer made after it (a new chart).
  const drawnRef = useRef(indicators);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    const made: { layer: IndicatorLayer | null } = { layer: null };
    const detach = chart.attach((surface) => (made.layer = new IndicatorLayer(surface)));
    layerRef.current = made.layer;
    made.layer?.setTheme(themeRef.current);
    made.layer?.setIndicators(drawnRef.current);
    return () => {
      layerRef.current = null;
      detach();
    };
  }, [chartRef]);

  // Runs after the effect above on mount (effects run in order), so the layer exists.
  useEffect(() => {
    drawnRef.current = indicators;
    layerRef.current?.setIndicators(indicators);
  }, [indicators]);

  useEffect(() => {
    themeRef.current = theme;
    layerRef.current?.setTheme(theme);
  }, [theme]);
}
