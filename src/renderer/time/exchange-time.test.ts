import { describe, expect, it } from 'vitest';
import { formatBarStart, formatMarketClock, formatTick } from './exchange-time';

describe('exchange time', () => {
  it('shows the clock in New York time, summer and winter', () => {
    expect(formatMarketClock(Date.UTC(2024, 10, 18, 19, 31, 5)), 'EST is UTC-5').toBe(
      'Mon 18 Nov 14:31:05 ET',
    );
    expect(formatMarketClock(Date.UTC(2025, 2, 14, 14, 0, 0)), 'EDT is UTC-4').toBe('Fri 14 Mar 10:00:00 ET');
  });

  it('names daily bars by date and intraday bars by date and minute', () => {
    const open = Date.UTC(2025, 2, 14, 13, 30);
    expect(formatBarStart(open, '1D')).toBe('Fri 14 Mar 2025');
    expect(formatBarStart(open, '5m')).toBe('Fri 14 Mar 09:30');
  });

  it('labels axis ticks in exchange time, midnight as 00', () => {
    const midnight = Date.UTC(2025, 8, 14, 4, 0);
    expect(formatTick(midnight, 'time')).toBe('00:00');
    expect(formatTick(midnight, 'day')).toBe('14 Sep');
    expect(formatTick(midnight, 'month')).toBe('Sep');
    expect(formatTick(midnight, 'year')).toBe('2025');
  });
});
