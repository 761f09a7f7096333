import { describe, expect, it } from 'vitest';
import { utcDateOf } from './calendar-dates';

describe('utcDateOf', () => {
  it('gives the UTC calendar day of an instant: a session open is on its session date', () => {
    expect(utcDateOf(Date.parse('2021-03-12T14:30:00Z'))).toBe('2021-03-12'); // winter open, EST
    expect(utcDateOf(Date.parse('2021-03-15T13:30:00Z'))).toBe('2021-03-15'); // summer open, EDT
    expect(utcDateOf(Date.parse('2021-12-31T23:59:59.999Z'))).toBe('2021-12-31');
    expect(utcDateOf(Date.parse('1969-12-31T12:00:00Z'))).toBe('1969-12-31');
  });
});
