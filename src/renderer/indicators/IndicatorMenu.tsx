/**
 * The pane header's indicator menu: add SMA, EMA, Bollinger Bands, VWAP, RSI, MACD; list and remove the
 * pane's. STUB: issue 16 fills it in.
 */
import type { Indicator } from '../../shared/domain';

export function IndicatorMenu({
  indicators,
  onChange,
}: {
  indicators: readonly Indicator[];
  onChange: (next: Indicator[]) => void;
}) {
  void indicators;
  void onChange;
  return null;
}
