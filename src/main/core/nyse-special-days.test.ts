import { describe, expect, it } from 'vitest';
import { nyseCalendar, nyseDayOn } from './calendar';
import {
  NYSE_SPECIAL_DAYS,
  NYSE_SPECIAL_DAYS_FROM_YEAR,
  NYSE_SPECIAL_DAYS_THROUGH_YEAR,
} from './nyse-special-days';

describe('NYSE one-off days (data)', () => {
  it('lists each date once, in order, on a weekday inside the years the data covers', () => {
    const dates = NYSE_SPECIAL_DAYS.map((d) => d.date);
    expect(dates).toEqual([...new Set(dates)].sort());
    for (const { date } of NYSE_SPECIAL_DAYS) {
      const year = Number(date.slice(0, 4));
      expect(year, date).toBeGreaterThanOrEqual(NYSE_SPECIAL_DAYS_FROM_YEAR);
      expect(year, date).toBeLessThanOrEqual(NYSE_SPECIAL_DAYS_THROUGH_YEAR);
      expect([0, 6], `${date} falls on a weekend`).not.toContain(new Date(`${date}T12:00:00Z`).getUTCDay());
    }
  });

  it('cites a source for every entry and gives special hours that shorten the regular session', () => {
    for (const day of NYSE_SPECIAL_DAYS) {
      expect(day.sources.length, day.date).toBeGreaterThan(0);
      expect(day.reason, day.date).not.toBe('');
      if (day.kind === 'hours') {
        const hours = nyseDayOn(day.date).hours!;
        expect(hours.open < hours.close, day.date).toBe(true);
        expect(hours.open > 9 * 60 + 30 || hours.close < 16 * 60, `${day.date} changes nothing`).toBe(true);
      }
    }
  });

  it('is what the calendar answers on those dates', () => {
    for (const day of NYSE_SPECIAL_DAYS) {
      expect(nyseDayOn(day.date).reason, day.date).toBe(day.reason);
      expect(nyseCalendar.sessionOn(day.date) === null, day.date).toBe(day.kind === 'closed');
    }
  });
});
