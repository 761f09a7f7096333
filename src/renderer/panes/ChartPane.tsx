/**
 * One chart pane: a legend and timeframe selector above a candle + volume chart of the chosen symbol.
 * The chart object lives as long as the pane; symbol and timeframe changes reload its data. A daily
 * pane marks each of the strategy model's predictions; a click on a marker opens why it was made.
 * Every pane draws a time line where the news item the trader clicked was published.
 */
import { useEffect, useRef, useState } from 'react';
import type { Timeframe } from '../../shared/domain';
import { CandleChart, emptySnapshot } from '../charts/candle-chart';
import { useStore } from '../engine/engine-context';
import { createValueStore } from '../engine/value-store';
import { useNewsMark } from '../news/news-mark';
import { useChartSignals } from '../signals/signals-context';
import { ChartLegend } from './ChartLegend';
import { HistoryEdgeNotice } from './HistoryEdgeNotice';
import { PaneNotice } from './PaneNotice';
import { TimeframeSelect } from './TimeframeSelect';
import { usePaneFeed } from './use-pane-feed';

interface ChartPaneProps {
  symbol: string | null;
  timeframe: Timeframe;
  /** The trader picked another timeframe (the workspace keeps it). */
  onTimeframeChange: (timeframe: Timeframe) => void;
  /** Bumped when the stored history changed (an import): the pane reloads. */
  dataVersion: number;
}

export function ChartPane({ symbol, timeframe, onTimeframeChange, dataVersion }: ChartPaneProps) {
  const [view] = useState(() => createValueStore(emptySnapshot(timeframe)));
  const hostRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<CandleChart | null>(null);

  // Declared before usePaneFeed: effects run in order, so the chart exists when the feed starts.
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

  // Predictions are made at the close of daily bars: markers on 1D panes only.
  const { markers, explain } = useChartSignals();
  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    chart.setMarkers(
      timeframe === '1D' ? markers.map((m) => ({ time: m.barStart, color: m.color, text: m.text })) : [],
      explain,
    );
  }, [markers, explain, timeframe]);

  const newsMark = useNewsMark();
  useEffect(() => {
    chartRef.current?.setTimeLine(newsMark?.time ?? null, newsMark?.label ?? '');
  }, [newsMark]);

  return (
    <section className="pane" data-testid="chart-pane" data-timeframe={timeframe}>
      <header className="pane-header">
        <ChartLegend symbol={symbol} timeframe={timeframe} snapshot={snapshot} />
        <TimeframeSelect value={timeframe} onChange={onTimeframeChange} />
      </header>
      <div className="pane-body">
        <div className="chart-host" data-testid="chart-host" ref={hostRef} />
        <HistoryEdgeNotice snapshot={snapshot} onRetry={() => chartRef.current?.retryOlder()} />
        <PaneNotice symbol={symbol} timeframe={timeframe} feed={feed} empty={snapshot.barCount === 0} />
      </div>
    </section>
  );
}
