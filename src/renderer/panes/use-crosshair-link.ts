/**
 * Links the panes' crosshairs: the moment under the pointer in one pane is shown in the others (when the
 * workspace's linkCrosshair is on). STUB: issue 16 fills it in.
 */
import type { RefObject } from 'react';
import type { CandleChart } from '../charts/candle-chart';

export function useCrosshairLink(chartRef: RefObject<CandleChart | null>, slot: number): void {
  void chartRef;
  void slot;
}
