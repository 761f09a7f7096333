/**
 * The pane header's drawing tools: Horizontal line and Trend line (pick one, then click on the chart; the
 * picked tool shows pressed; Esc or a second press puts it down), and one remove button: the drawing
 * selected on this pane's chart when there is one (as the Delete key), else all the symbol's drawings after
 * a confirm. One button, not two: four panes' headers share the width with the legend. The chart half is drawing-layer.ts;
 * the two share the pane's drawing state (drawing-tools-state.ts).
 */
import type { RefObject } from 'react';
import type { CandleChart } from '../charts/candle-chart';
import { useStore } from '../engine/engine-context';
import { useWorkspaceControl } from '../workspace/workspace-context';
import { clearDrawings, drawingsOf, removeDrawing } from './drawing-edit';
import { drawingToolsOf, type DrawingTool } from './drawing-tools-state';

/** 14 px line icons, drawn in the button's text colour. */
const ICONS: Record<'horizontal' | 'trend' | 'delete', string> = {
  horizontal: 'M1 7h12M4 7a1 1 0 1 0 0.01 0',
  trend: 'M2 12L12 2M2 12a1 1 0 1 0 0.01 0M12 2a1 1 0 1 0 0.01 0',
  delete: 'M3 4h8M5.5 4V2.5h3V4M4 4l.6 8h4.8l.6-8',
};

function Icon({ name }: { name: keyof typeof ICONS }) {
  return (
    <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
      <path d={ICONS[name]} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
    </svg>
  );
}

export function DrawingTools({
  chartRef,
  symbol,
}: {
  chartRef: RefObject<CandleChart | null>;
  symbol: string | null;
}) {
  const tools = drawingToolsOf(chartRef);
  const state = useStore(tools);
  const { workspace, change } = useWorkspaceControl();
  const count = drawingsOf(workspace, symbol).length;

  const pick = (tool: DrawingTool) =>
    tools.set({ ...tools.get(), tool: tools.get().tool === tool ? 'none' : tool });
  const removeSelected = () => {
    const { selected } = tools.get();
    if (symbol === null || selected === null) return;
    change((w) => removeDrawing(w, symbol, selected));
    tools.set({ ...tools.get(), selected: null });
  };
  const clear = () => {
    if (symbol === null || count === 0) return;
    const noun = count === 1 ? 'drawing' : `${count} drawings`;
    if (!window.confirm(`Remove ${count === 1 ? 'the' : 'all'} ${noun} on ${symbol}? This cannot be undone.`))
      return;
    change((w) => clearDrawings(w, symbol));
    tools.set({ tool: 'none', selected: null });
  };

  return (
    <div className="drawing-tools" role="group" aria-label="Drawing tools" data-tool={state.tool}>
      <button
        type="button"
        data-testid="draw-horizontal"
        title="Horizontal line: click on the chart at a price (Esc cancels)"
        aria-label="Horizontal line"
        aria-pressed={state.tool === 'horizontal'}
        disabled={symbol === null}
        onClick={() => pick('horizontal')}
      >
        <Icon name="horizontal" />
      </button>
      <button
        type="button"
        data-testid="draw-trend"
        title="Trend line: click its start, then its end (Esc cancels)"
        aria-label="Trend line"
        aria-pressed={state.tool === 'trend'}
        disabled={symbol === null}
        onClick={() => pick('trend')}
      >
        <Icon name="trend" />
      </button>
      <button
        type="button"
        data-testid="draw-remove"
        title={
          state.selected !== null
            ? 'Delete the selected drawing (Delete key)'
            : symbol === null
              ? 'Remove drawings'
              : `Remove all drawings on ${symbol} (click a line first to delete only it)`
        }
        aria-label={state.selected !== null ? 'Delete the selected drawing' : 'Remove all drawings'}
        data-removes={state.selected !== null ? 'selected' : 'all'}
        disabled={count === 0}
        onClick={state.selected !== null ? removeSelected : clear}
      >
        <Icon name="delete" />
      </button>
    </div>
  );
}
