import { describe, expect, it } from 'vitest';
import type { Bar } from '../../shared/domain';
import { sampleBar } from '../../shared/test-support/sample-bar';
import { BarAggregator } from './bar-aggregator';
import { nyseCalendar } from './calendar';
import { bucketOf } from './session-buckets';

const MINUTE = 60_000;
/** An instant of 2002-07-05 (EDT) from its New York wall-clock time. */
const ny = (clock: string): number => Date.parse(`2002-07-05T${clock}:00-04:00`);

describe('bars on an early-close day (2002-07-05, the Friday after a Thursday July 4, closed at 13:00)', () => {
  it('clips the buckets holding the last minutes at 13:00', () => {
    expect(bucketOf(nyseCalendar, '1h', ny('12:45'))).toEqual({ start: ny('12:30'), end: ny('13:00') });
    expect(bucketOf(nyseCalendar, '4h', ny('12:59'))).toEqual({ start: ny('09:30'), end: ny('13:00') });
    expect(bucketOf(nyseCalendar, '1D', ny('10:00'))).toEqual({ start: ny('09:30'), end: ny('13:00') });
    expect(bucketOf(nyseCalendar, '1h', ny('13:00')), 'after the close').toBeNull();
    expect(bucketOf(nyseCalendar, '1h', ny('15:30')), 'after the close').toBeNull();
  });

  it('closes the 1h, 4h and 1D bars with the 12:59 minute, holding every minute of the session', () => {
    const aggregator = new BarAggregator(nyseCalendar);
    const closedBy = new Map<number, Bar[]>();
    for (let t = ny('09:30'); t < ny('13:00'); t += MINUTE) {
      const out = aggregator.onMinuteBar(sampleBar({ start: t, closed: true, volume: 1 }));
      closedBy.set(
        t,
        out.filter((bar) => bar.closed && bar.timeframe !== '1m'),
      );
    }
    const last = closedBy.get(ny('12:59'))!;
    const closed = (timeframe: Bar['timeframe']): Bar | undefined =>
      last.find((bar) => bar.timeframe === timeframe);
    expect(closed('1h')).toMatchObject({ start: ny('12:30'), volume: 30 });
    expect(closed('4h')).toMatchObject({ start: ny('09:30'), volume: 210 });
    expect(closed('1D')).toMatchObject({ start: ny('09:30'), volume: 210 });
    // Nothing was left open for the close of a regular day to finish.
    expect(aggregator.onTime(ny('16:00')).filter((bar) => bar.timeframe !== '1m')).toEqual([]);
    // A print after the close makes a 1m bar but joins no higher bar.
    const late = aggregator.onMinuteBar(sampleBar({ start: ny('13:05'), closed: true, volume: 5 }));
    expect(late.map((bar) => bar.timeframe)).toEqual(['1m']);
  });
});
