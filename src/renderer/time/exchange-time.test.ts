import { describe, expect, it } from 'vitest';
import {
  formatBarStart,
  formatExchangeDateTimeInput,
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

describe('date-time inputs in exchange time', () => {
  it('reads a datetime-local value as New York time, either side of a clock change', () => {
    expect(parseExchangeDateTime('2025-03-14T10:00')).toBe(Date.UTC(2025, 2, 14, 14, 0));
    expect(parseExchangeDateTime('2024-11-18T14:31')).toBe(Date.UTC(2024, 10, 18, 19, 31));
    // Sunday 9 March 2025, 02:00 EST became 03:00 EDT.
    expect(parseExchangeDateTime('2025-03-09T01:30')).toBe(Date.UTC(2025, 2, 9, 6, 30));
    expect(parseExchangeDateTime('2025-03-09T04:00')).toBe(Date.UTC(2025, 2, 9, 8, 0));
    expect(parseExchangeDateTime('2025-03-14T10:00:30')).toBe(Date.UTC(2025, 2, 14, 14, 0, 30));
  });

  it('refuses what is not a date-time', () => {
    expect(parseExchangeDateTime('')).toBeNull();
    expect(parseExchangeDateTime('2025-02-30T10:00')).toBeNull();
    expect(parseExchangeDateTime('14/03/2025 10:00')).toBeNull();
  });

  it('writes the value back as the input shows it', () => {
    const open = Date.UTC(2025, 2, 14, 13, 30, 42);
    expect(formatExchangeDateTimeInput(open)).toBe('2025-03-14T09:30');
    expect(parseExchangeDateTime(formatExchangeDateTimeInput(open))).toBe(Date.UTC(2025, 2, 14, 13, 30));
  });
});
