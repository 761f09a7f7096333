import { describe, expect, it } from 'vitest';
import { LocalToUtc, TimeText } from './time-text';

const read = (text: string) => {
  const time = new TimeText();
  return time.parse(text) ? { form: time.form, ms: time.ms } : null;
};

describe('TimeText', () => {
  it('reads dates in the forms price files use', () => {
    const day = { form: 'date', ms: Date.UTC(2024, 0, 2) };
    for (const text of ['2024-01-02', '2024/01/02', '20240102', '01/02/2024', '1/2/2024', ' 2024-01-02\r']) {
      expect(read(text), text).toEqual(day);
    }
  });

  it('reads naive local date-times as wall-clock time, and offsets, Z and epochs as instants', () => {
    expect(read('2024-01-02 09:30:00')).toEqual({ form: 'local', ms: Date.UTC(2024, 0, 2, 9, 30) });
    expect(read('2024-01-02T09:30')).toEqual({ form: 'local', ms: Date.UTC(2024, 0, 2, 9, 30) });
    expect(read('01/02/2024 09:30')).toEqual({ form: 'local', ms: Date.UTC(2024, 0, 2, 9, 30) });
    const instant = { form: 'instant', ms: Date.UTC(2024, 0, 2, 14, 30) };
    for (const text of [
      '2024-01-02 09:30:00-05:00',
      '2024-01-02T09:30:00-0500',
      '2024-01-02 14:30:00+00:00',
      '2024-01-02T14:30:00Z',
      '2024-01-02 14:30:00 UTC',
      '2024-01-02 15:30:00.000+01',
      '1704205800',
      '1704205800000',
    ]) {
      expect(read(text), text).toEqual(instant);
    }
  });

  it('refuses what is not a real time', () => {
    for (const text of [
      '',
      'NaN',
      '2024-02-30',
      '2024-13-01',
      '2024-01-02 24:00',
      '2024-01-02 09:60:00',
      '2024-01-02 09:3',
      '2024-01-02 09:30:00+25:00',
      'yesterday',
      '12345',
    ]) {
      expect(read(text), text).toBeNull();
    }
  });
});

describe('LocalToUtc', () => {
  const newYork = new LocalToUtc('America/New_York');

  it('applies EST in winter and EDT in summer', () => {
    expect(newYork.convert(Date.UTC(2024, 0, 2, 9, 30))).toBe(Date.UTC(2024, 0, 2, 14, 30));
    expect(newYork.convert(Date.UTC(2024, 6, 2, 9, 30))).toBe(Date.UTC(2024, 6, 2, 13, 30));
  });

  it('has no instant for a time the clocks skip, and takes the first of a repeated hour', () => {
    expect(newYork.convert(Date.UTC(2024, 2, 10, 2, 30))).toBeNaN();
    expect(newYork.convert(Date.UTC(2024, 2, 10, 3, 0))).toBe(Date.UTC(2024, 2, 10, 7, 0));
    expect(newYork.convert(Date.UTC(2024, 10, 3, 1, 30))).toBe(Date.UTC(2024, 10, 3, 5, 30));
  });

  it('leaves UTC wall time as it is', () => {
    expect(new LocalToUtc('UTC').convert(Date.UTC(2024, 2, 10, 2, 30))).toBe(Date.UTC(2024, 2, 10, 2, 30));
  });
});
