/**
 * The 2x2 grid of chart panes, all on the chosen symbol, each with its own timeframe (kept in the
 * workspace: `timeframes` in grid order, `onTimeframeChange` when the trader picks another).
 */
import type { Timeframe } from '../../shared/domain';
import { ChartPane } from './ChartPane';
import { PaneErrorBoundary } from './PaneErrorBoundary';

/** `dataVersion`: bumped when the stored history changed (an import), so every pane reloads. */
export function ChartGrid({
  symbol,
  dataVersion,
  timeframes,
  onTimeframeChange,
}: {
  symbol: string | null;
  dataVersion: number;
  timeframes: readonly Timeframe[];
  onTimeframeChange: (slot: number, timeframe: Timeframe) => void;
}) {
  return (
    <main className="chart-grid">
      {timeframes.map((timeframe, slot) => (
        // Keyed by slot: a pane keeps its identity (and chart) when its timeframe changes.
        <PaneErrorBoundary key={slot}>
          <ChartPane
            symbol={symbol}
            timeframe={timeframe}
            onTimeframeChange={(next) => onTimeframeChange(slot, next)}
            dataVersion={dataVersion}
          />
        </PaneErrorBoundary>
      ))}
    </main>
  );
}
