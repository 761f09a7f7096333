/**
 * The pane header's drawing tools: horizontal line, trend line, clear. STUB: issue 16 fills it in.
 */
import type { RefObject } from 'react';
import type { CandleChart } from '../charts/candle-chart';

export function DrawingTools({
  chartRef,
  symbol,
}: {
  chartRef: RefObject<CandleChart | null>;
  symbol: string | null;
}) {
  void chartRef;
  void symbol;
  return null;
}
