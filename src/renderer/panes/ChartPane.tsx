/**
 * One chart pane: a one-row header (the pane's symbol and timeframe, then its tools: symbol, timeframe,
 * indicators, drawing tools) above a candle + volume chart, with the legend drawn over the chart's
 * top-left as TradingView does (the indicator chips flow under it), so the chart keeps the pane's height. The pane's settings (its timeframe, its own symbol or the linked one, its indicators) are kept in
 * the workspace. The chart object lives as long as the pane; symbol and timeframe changes reload its data.
 * Extras are chart addons (charts/chart-addon.ts), each from its own module: indicators (indicators/),
 * drawings per symbol (drawings/), the model's overlays (overlays/), the linked crosshair, the theme.
 * Every pane draws a time line where the news item the trader clicked was published, and offers a way
 * back to the newest bar once the trader has scrolled it out of view.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
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
import { ScrollToNewestButton } from './ScrollToNewestButton';
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
  const overlayRef = useRef<HTMLDivElement>(null);
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

  // The indicator chips (drawn by the indicator layer inside the chart host) sit under the legend and the
  // history notice, whose height changes with the pane's width and the bar shown: the body carries where
  // they end as --pane-overlay-bottom (px) for the chips' and the banner's `top`.
  useLayoutEffect(() => {
    const overlay = overlayRef.current;
    const body = overlay?.parentElement;
    if (!overlay || !body) return;
    const place = () =>
      body.style.setProperty('--pane-overlay-bottom', `${overlay.offsetTop + overlay.offsetHeight}px`);
    place();
    const observer = new ResizeObserver(place);
    observer.observe(overlay);
    return () => observer.disconnect();
  }, []);

  return (
    <section className="pane" data-testid="chart-pane" data-slot={slot} data-timeframe={timeframe}>
      <header className="pane-header">
        <span className="pane-title">
          <span className="pane-title-symbol">{symbol ?? '—'}</span>
          <span className="pane-title-timeframe">{timeframe}</span>
        </span>
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
        <div className="pane-overlay" ref={overlayRef}>
          <ChartLegend symbol={symbol} timeframe={timeframe} snapshot={snapshot} />
          <HistoryEdgeNotice snapshot={snapshot} onRetry={() => chartRef.current?.retryOlder()} />
        </div>
        <ScrollToNewestButton chartRef={chartRef} snapshot={snapshot} />
        <PaneNotice symbol={symbol} timeframe={timeframe} feed={feed} empty={snapshot.barCount === 0} />
      </div>
    </section>
  );
}
