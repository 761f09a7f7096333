/**
 * The 2x2 grid of chart panes, each with its own settings from the workspace (timeframe, its own symbol or
 * the window's linked one, indicators).
 */
import type { Pane } from '../../shared/domain';
import { ChartPane } from './ChartPane';
import { PaneErrorBoundary } from './PaneErrorBoundary';

/** `dataVersion`: bumped when the stored history changed (an import), so every pane reloads. */
export function ChartGrid({
  symbol,
  dataVersion,
  panes,
}: {
  symbol: string | null;
  dataVersion: number;
  panes: readonly Pane[];
}) {
  return (
    <main className="chart-grid">
      {panes.map((pane, slot) => (
        // Keyed by slot: a pane keeps its identity (and chart) when its settings change.
        <PaneErrorBoundary key={slot}>
          <ChartPane slot={slot} pane={pane} linkedSymbol={symbol} dataVersion={dataVersion} />
        </PaneErrorBoundary>
      ))}
    </main>
  );
}
