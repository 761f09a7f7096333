/**
 * A valid bar for tests: opens at 100 (unless given), high and low follow from open and close.
 */
import type { Bar } from '../domain';

export interface SampleBar extends Partial<Bar> {
  start: number;
}

export function sampleBar({ start, close = 100, open = 100, ...rest }: SampleBar): Bar {
  return {
    symbol: 'SPY',
    timeframe: '1m',
    volume: 10,
    closed: false,
    high: Math.max(open, close),
    low: Math.min(open, close),
    ...rest,
    start,
    open,
    close,
  };
}
