/** The 2x2 grid of chart panes, all on the chosen symbol, each with its own timeframe. */
import type { Timeframe } from '../../shared/domain';
import { ChartPane } from './ChartPane';
import { PaneErrorBoundary } from './PaneErrorBoundary';

const DEFAULT_TIMEFRAMES: readonly Timeframe[] = ['1m', '5m', '1h', '1D'];

/** `dataVersion`: bumped when the stored history changed (an import), so every pane reloads. */
export function ChartGrid({ symbol, dataVersion }: { symbol: string | null; dataVersion: number }) {
  return (
    <main className="chart-grid">
      {DEFAULT_TIMEFRAMES.map((timeframe, slot) => (
        // Keyed by slot: a pane keeps its identity (and chart) when its timeframe changes.
        <PaneErrorBoundary key={slot}>
          <ChartPane symbol={symbol} initialTimeframe={timeframe} dataVersion={dataVersion} />
        </PaneErrorBoundary>
      ))}
    </main>
  );
}
