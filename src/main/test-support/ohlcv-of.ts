/**
 * The test's own oracle for aggregation, written plainly and apart from core's fold: the OHLCV that a
 * bar built from these bars (in time order, at least one) must have.
 */
import type { Bar } from '../../shared/domain';

export type Ohlcv = Pick<Bar, 'open' | 'high' | 'low' | 'close' | 'volume'>;

export function ohlcvOf(bars: readonly Bar[]): Ohlcv {
  return {
    open: bars[0]!.open,
    high: Math.max(...bars.map((b) => b.high)),
    low: Math.min(...bars.map((b) => b.low)),
    close: bars.at(-1)!.close,
    volume: bars.reduce((sum, b) => sum + b.volume, 0),
  };
}
