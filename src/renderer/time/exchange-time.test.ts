import { describe, expect, it } from 'vitest';
import {
  formatBarStart,
  formatExchangeDateTime,
  formatMarketClock,
  formatTick,
  parseExchangeDateTime,
} from './exchange-time';

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

describe('date-time fields in exchange time', () => {
  it('reads a typed date and 24-hour time as New York time, either side of a clock change', () => {
    expect(parseExchangeDateTime('2025-03-14 10:00')).toBe(Date.UTC(2025, 2, 14, 14, 0));
    expect(parseExchangeDateTime('2024-11-18 14:31')).toBe(Date.UTC(2024, 10, 18, 19, 31));
    // Sunday 9 March 2025, 02:00 EST became 03:00 EDT.
    expect(parseExchangeDateTime('2025-03-09 01:30')).toBe(Date.UTC(2025, 2, 9, 6, 30));
    expect(parseExchangeDateTime('2025-03-09 04:00')).toBe(Date.UTC(2025, 2, 9, 8, 0));
    expect(parseExchangeDateTime('2025-03-14 10:00:30')).toBe(Date.UTC(2025, 2, 14, 14, 0, 30));
  });

  it('takes the usual ways of writing the same time', () => {
    const open = Date.UTC(2025, 2, 14, 13, 30);
    for (const text of ['2025-03-14 09:30', '2025-03-14T09:30', '2025-03-14 9:30', ' 2025-03-14  09:30 '])
      expect(parseExchangeDateTime(text), text).toBe(open);
  });

  it('refuses what is not a date and 24-hour time', () => {
    for (const text of [
      '',
      '2025-03-14',
      '2025-02-30 10:00',
      '2025-03-14 24:00',
      '2025-03-14 10:60',
      '2025-03-14 03:05 PM',
      '03/14/2025, 10:00 AM',
      '14/03/2025 10:00',
    ])
      expect(parseExchangeDateTime(text), text).toBeNull();
  });

  it('writes a time as the field shows it: 24-hour New York time to the minute, whatever the browser zone', () => {
    const afternoon = Date.UTC(2025, 2, 14, 19, 5, 42);
    expect(formatExchangeDateTime(afternoon)).toBe('2025-03-14 15:05');
    expect(formatExchangeDateTime(Date.UTC(2024, 11, 3, 5, 0)), 'midnight in EST').toBe('2024-12-03 00:00');
    expect(parseExchangeDateTime(formatExchangeDateTime(afternoon))).toBe(Date.UTC(2025, 2, 14, 19, 5));
  });
});
