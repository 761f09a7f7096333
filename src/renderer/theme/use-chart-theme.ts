/**
 * Applies the workspace's theme (dark or light) to a pane's chart: background, text, grid, borders and
 * crosshair from charts/chart-theme.ts's palette, again whenever the theme changes. Candles and volume
 * keep their colours in both themes.
 */
import { useEffect, type RefObject } from 'react';
import type { CandleChart } from '../charts/candle-chart';
import { chartThemeOptions } from '../charts/chart-theme';
import { useWorkspaceControl } from '../workspace/workspace-context';

export function useChartTheme(chartRef: RefObject<CandleChart | null>): void {
  const theme = useWorkspaceControl().workspace.theme;
  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    // An addon only for its surface's chart: the options stay applied after it is detached.
    return chart.attach((surface) => {
      surface.chart.applyOptions(chartThemeOptions(theme));
      return { seriesChanged: () => undefined, dispose: () => undefined };
    });
  }, [chartRef, theme]);
}
