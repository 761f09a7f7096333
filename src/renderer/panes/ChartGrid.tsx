/** The 2x2 grid of chart panes, all on the chosen symbol, each with its own timeframe. */
import type { Timeframe } from '../../shared/domain';
import { ChartPane } from './ChartPane';
import { PaneErrorBoundary } from './PaneErrorBoundary';

const DEFAULT_TIMEFRAMES: readonly Timeframe[] = ['1m', '5m', '1h', '1D'];

export function ChartGrid({ symbol }: { symbol: string | null }) {
  return (
    <main className="chart-grid">
      {DEFAULT_TIMEFRAMES.map((timeframe, slot) => (
        // Keyed by slot: a pane keeps its identity (and chart) when its timeframe changes.
        <PaneErrorBoundary key={slot}>
          <ChartPane symbol={symbol} initialTimeframe={timeframe} />
        </PaneErrorBoundary>
      ))}
    </main>
  );
}
