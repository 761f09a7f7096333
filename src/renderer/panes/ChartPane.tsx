/**
 * One chart pane: a header (legend, symbol, timeframe, indicators, drawing tools) above a candle + volume
 * chart. The pane's settings (its timeframe, its own symbol or the linked one, its indicators) are kept in
 * the workspace. The chart object lives as long as the pane; symbol and timeframe changes reload its data.
 * Extras are chart addons (charts/chart-addon.ts), each from its own module: indicators (indicators/),
 * drawings per symbol (drawings/), the model's overlays (overlays/), the linked crosshair, the theme.
 * Every pane draws a time line where the news item the trader clicked was published.
 */
import { useEffect, useRef, useState } from 'react';
import type { Pane } from '../../shared/domain';
import { CandleChart, emptySnapshot } from '../charts/candle-chart';
import { DrawingTools } from '../drawings/DrawingTools';
import { useDrawings } from '../drawings/use-drawings';
import { useStore } from '../engine/engine-context';
import { createValueStore } from '../engine/value-store';
import { IndicatorMenu } from '../indicators/IndicatorMenu';
import { useIndicators } from '../indicators/use-indicators';
import { useNewsMark } from '../news/news-mark';
import { useModelOverlays } from '../overlays/use-model-overlays';
import { useChartTheme } from '../theme/use-chart-theme';
import { useWorkspaceControl } from '../workspace/workspace-context';
import { ChartLegend } from './ChartLegend';
import { HistoryEdgeNotice } from './HistoryEdgeNotice';
import { PaneNotice } from './PaneNotice';
import { PaneSymbolSelect } from './PaneSymbolSelect';
import { TimeframeSelect } from './TimeframeSelect';
import { useCrosshairLink } from './use-crosshair-link';
import { usePaneFeed } from './use-pane-feed';

interface ChartPaneProps {
  /** The pane's place in the grid (0..3), its index in the workspace's panes. */
  slot: number;
  pane: Pane;
  /** The window's symbol, shown by every pane without one of its own. */
  linkedSymbol: string | null;
  /** Bumped when the stored history changed (an import): the pane reloads. */
  dataVersion: number;
}

export function ChartPane({ slot, pane, linkedSymbol, dataVersion }: ChartPaneProps) {
  const { timeframe } = pane;
  const symbol = pane.symbol ?? linkedSymbol;
  const { setPane } = useWorkspaceControl();
  const [view] = useState(() => createValueStore(emptySnapshot(timeframe)));
  const hostRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<CandleChart | null>(null);

  // Declared before the hooks that use the chart: effects run in order, so the chart exists when they run.
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const chart = new CandleChart(host, view);
    chartRef.current = chart;
    return () => {
      chartRef.current = null;
      chart.dispose();
    };
  }, [view]);

  const feed = usePaneFeed(chartRef, symbol, timeframe, dataVersion);
  const snapshot = useStore(view);
  useChartTheme(chartRef);
  useIndicators(chartRef, pane.indicators);
  useDrawings(chartRef, symbol);
  useModelOverlays(chartRef, timeframe);
  useCrosshairLink(chartRef, slot);

  const newsMark = useNewsMark();
  useEffect(() => {
    chartRef.current?.setTimeLine(newsMark?.time ?? null, newsMark?.label ?? '');
  }, [newsMark]);

  return (
    <section className="pane" data-testid="chart-pane" data-slot={slot} data-timeframe={timeframe}>
      <header className="pane-header">
        <ChartLegend symbol={symbol} timeframe={timeframe} snapshot={snapshot} />
        <div className="pane-tools">
          <PaneSymbolSelect
            value={pane.symbol}
            linkedSymbol={linkedSymbol}
            onChange={(next) => setPane(slot, (p) => ({ ...p, symbol: next }))}
          />
          <TimeframeSelect
            value={timeframe}
            onChange={(next) => setPane(slot, (p) => ({ ...p, timeframe: next }))}
          />
          <IndicatorMenu
            indicators={pane.indicators}
            timeframe={timeframe}
            onChange={(indicators) => setPane(slot, (p) => ({ ...p, indicators }))}
          />
          <DrawingTools chartRef={chartRef} symbol={symbol} />
        </div>
      </header>
      <div className="pane-body">
        <div className="chart-host" data-testid="chart-host" ref={hostRef} />
        <HistoryEdgeNotice snapshot={snapshot} onRetry={() => chartRef.current?.retryOlder()} />
        <PaneNotice symbol={symbol} timeframe={timeframe} feed={feed} empty={snapshot.barCount === 0} />
      </div>
    </section>
  );
}
