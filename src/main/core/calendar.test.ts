import { describe, expect, it } from 'vitest';
import {
  alwaysOpenCalendar,
  calendarById,
  createSessionCalendar,
  nyseCalendar,
  nyseDayOn,
  type Session,
} from './calendar';

const utc = (iso: string): number => Date.parse(iso);
const hours = (s: Session | null): [string, string] | null =>
  s === null ? null : [new Date(s.open).toISOString(), new Date(s.close).toISOString()];

describe('nyseCalendar: time zone and DST', () => {
  it.each([
    ['2024-03-08', '2024-03-08T14:30:00.000Z', '2024-03-08T21:00:00.000Z', 'last EST Friday before 2024 DST'],
    ['2024-03-11', '2024-03-11T13:30:00.000Z', '2024-03-11T20:00:00.000Z', 'first EDT Monday of 2024'],
    ['2024-11-01', '2024-11-01T13:30:00.000Z', '2024-11-01T20:00:00.000Z', 'last EDT Friday of 2024'],
    ['2024-11-04', '2024-11-04T14:30:00.000Z', '2024-11-04T21:00:00.000Z', 'first EST Monday after 2024 DST'],
    // The pre-2007 US rule: DST from the first Sunday of April to the last Sunday of October.
    ['2005-03-14', '2005-03-14T14:30:00.000Z', '2005-03-14T21:00:00.000Z', 'March 2005 still EST (old rule)'],
    ['2005-04-01', '2005-04-01T14:30:00.000Z', '2005-04-01T21:00:00.000Z', 'Friday before 2005-04-03 is EST'],
    ['2005-04-04', '2005-04-04T13:30:00.000Z', '2005-04-04T20:00:00.000Z', 'Monday after 2005-04-03 is EDT'],
    ['2005-10-28', '2005-10-28T13:30:00.000Z', '2005-10-28T20:00:00.000Z', 'Friday before 2005-10-30 is EDT'],
    ['2005-10-31', '2005-10-31T14:30:00.000Z', '2005-10-31T21:00:00.000Z', 'Monday after 2005-10-30 is EST'],
    ['1990-07-02', '1990-07-02T13:30:00.000Z', '1990-07-02T20:00:00.000Z', 'summer 1990 is EDT'],
  ])('%s opens and closes at the right UTC instants (%s)', (date, open, close, why) => {
    expect(hours(nyseCalendar.sessionOn(date)), why).toEqual([open, close]);
  });

  it('labels each session with its New York trading date', () => {
    expect(nyseCalendar.sessionAt(utc('2024-03-11T19:59:00Z'))?.date).toBe('2024-03-11');
  });
});

describe('nyseCalendar: holidays and early closes', () => {
  it.each([
    ['2025-04-18', 'Good Friday 2025 (Easter on April 20)'],
    ['2024-03-29', 'Good Friday 2024'],
    ['2022-06-20', 'Juneteenth 2022 fell on Sunday, observed Monday'],
    ['2024-06-19', 'Juneteenth 2024'],
    ['2024-01-01', "New Year's Day"],
    ['2023-01-02', "New Year's Day 2023 fell on Sunday, observed Monday"],
    ['2024-01-15', 'Martin Luther King Jr. Day (3rd Monday of January)'],
    ['2024-02-19', "Washington's Birthday (3rd Monday of February)"],
    ['2024-05-27', 'Memorial Day (last Monday of May)'],
    ['2024-07-04', 'Independence Day'],
    ['2020-07-03', 'Independence Day 2020 fell on Saturday, observed Friday'],
    ['2021-07-05', 'Independence Day 2021 fell on Sunday, observed Monday'],
    ['2024-09-02', 'Labor Day (1st Monday of September)'],
    ['2024-11-28', 'Thanksgiving (4th Thursday of November)'],
    ['2024-12-25', 'Christmas'],
    ['2021-12-24', 'Christmas 2021 fell on Saturday, observed Friday'],
    ['2022-12-26', 'Christmas 2022 fell on Sunday, observed Monday'],
    ['2024-03-09', 'Saturday'],
    ['2024-03-10', 'Sunday'],
  ])('%s is closed: %s', (date, why) => {
    expect(nyseCalendar.sessionOn(date), why).toBeNull();
  });

  it.each([
    ['2021-12-31', "New Year's Day on a Saturday is not observed on the Friday before"],
    ['2021-06-18', 'Juneteenth was not an NYSE holiday before 2022'],
    ['1997-01-20', 'MLK Day was not an NYSE holiday before 1998'],
    ['2022-07-01', 'no early close before a Monday July 4'],
    ['2024-12-23', 'an ordinary Monday before Christmas Eve'],
  ])('%s trades a full session: %s', (date, why) => {
    const s = nyseCalendar.sessionOn(date);
    expect(s, why).not.toBeNull();
    expect(s!.close - s!.open, why).toBe(6.5 * 3_600_000);
  });

  it('1999-01-18 (MLK Day once it became a holiday) is closed', () => {
    expect(nyseCalendar.sessionOn('1999-01-18')).toBeNull();
  });

  it.each([
    ['2024-11-29', '2024-11-29T18:00:00.000Z', 'day after Thanksgiving'],
    ['2024-12-24', '2024-12-24T18:00:00.000Z', 'Christmas Eve on a Tuesday'],
    ['2024-07-03', '2024-07-03T17:00:00.000Z', 'July 3 before a Thursday July 4 (EDT)'],
    ['2023-07-03', '2023-07-03T17:00:00.000Z', 'July 3 before a Tuesday July 4'],
    ['2025-07-03', '2025-07-03T17:00:00.000Z', 'July 3 before a Friday July 4'],
  ])('%s closes at 13:00 New York time: %s', (date, close, why) => {
    const s = nyseCalendar.sessionOn(date);
    expect(s && new Date(s.close).toISOString(), why).toBe(close);
  });

  it('rejects impossible dates instead of rolling them into the next month', () => {
    expect(() => nyseCalendar.sessionOn('2024-02-30')).toThrow(RangeError);
    expect(() => nyseCalendar.sessionOn('2024-3-1')).toThrow(RangeError);
  });
});

/** New York wall-clock open and close of a date's session, 'HH:MM', or null when closed. */
const newYorkHours = (date: string): [string, string] | null => {
  const s = nyseCalendar.sessionOn(date);
  if (s === null) return null;
  const clock = (t: number): string =>
    new Date(t).toLocaleTimeString('en-GB', {
      timeZone: 'America/New_York',
      hour: '2-digit',
      minute: '2-digit',
    });
  return [clock(s.open), clock(s.close)];
};

describe('nyseCalendar: one-off closures since 1990', () => {
  it.each([
    ['2025-01-09', 'national day of mourning, President Carter'],
    ['2018-12-05', 'national day of mourning, President George H. W. Bush'],
    ['2007-01-02', 'national day of mourning, President Ford'],
    ['2004-06-11', 'national day of mourning, President Reagan'],
    ['1994-04-27', 'national day of mourning, President Nixon'],
    ['2001-09-11', 'September 11 attacks'],
    ['2001-09-12', 'September 11 attacks'],
    ['2001-09-13', 'September 11 attacks'],
    ['2001-09-14', 'September 11 attacks'],
    ['2012-10-29', 'Hurricane Sandy'],
    ['2012-10-30', 'Hurricane Sandy'],
  ])('%s is closed: %s', (date, why) => {
    expect(nyseCalendar.sessionOn(date), why).toBeNull();
  });

  it('steps over the closures: after 2001-09-10 comes 2001-09-17, after 2012-10-26 comes 2012-10-31', () => {
    expect(nyseCalendar.nextSession(nyseCalendar.sessionOn('2001-09-10')!).date).toBe('2001-09-17');
    expect(nyseCalendar.nextSession(nyseCalendar.sessionOn('2012-10-26')!).date).toBe('2012-10-31');
    expect(nyseCalendar.previousSession(nyseCalendar.sessionOn('2025-01-10')!).date).toBe('2025-01-08');
    // An instant inside the closure finds the sessions on either side.
    const sandy = utc('2012-10-30T15:00:00Z');
    expect(nyseCalendar.sessionAt(sandy)).toBeNull();
    expect(nyseCalendar.sessionOnOrAfter(sandy).date).toBe('2012-10-31');
    expect(nyseCalendar.sessionOnOrBefore(sandy).date).toBe('2012-10-26');
  });

  it('says why a day is closed', () => {
    expect(nyseDayOn('2025-01-09').reason).toMatch(/mourning.*Carter/);
    expect(nyseDayOn('2012-10-29').reason).toBe('Hurricane Sandy');
    expect(nyseDayOn('2022-06-20').reason).toBe('Juneteenth National Independence Day (observed)');
    expect(nyseDayOn('2024-12-25').reason).toBe('Christmas Day');
    expect(nyseDayOn('2024-03-09')).toEqual({ hours: null, reason: 'weekend' });
    expect(nyseDayOn('2024-03-11').reason).toBeNull();
  });
});

describe('nyseCalendar: early closes and special hours in the years they applied', () => {
  it.each([
    // Independence Day: none before 1995; a Thursday July 4 closed the Friday after early until 2012,
    // the Wednesday before from 2013.
    ['2002-07-03', '09:30', '16:00', 'Wednesday before a Thursday July 4, before 2013: full day'],
    ['2002-07-05', '09:30', '13:00', 'Friday after a Thursday July 4, before 2013'],
    ['1996-07-05', '09:30', '13:00', 'Friday after a Thursday July 4 (1996)'],
    ['2013-07-03', '09:30', '13:00', 'Wednesday before a Thursday July 4, from 2013'],
    ['2013-07-05', '09:30', '16:00', 'Friday after a Thursday July 4, from 2013: full day'],
    ['2019-07-03', '09:30', '13:00', 'Wednesday before a Thursday July 4 (2019)'],
    ['2024-07-05', '09:30', '16:00', 'Friday after a Thursday July 4 (2024): full day'],
    ['1995-07-03', '09:30', '13:00', 'Monday July 3, the first year of the rule'],
    ['2008-07-03', '09:30', '13:00', 'Thursday before a Friday July 4'],
    ['1991-07-05', '09:30', '16:00', 'Friday after a Thursday July 4 before 1995: full day'],
    ['1990-07-03', '09:30', '16:00', 'Tuesday before a Wednesday July 4 before 1995: full day'],
    ['2020-07-02', '09:30', '16:00', 'Thursday before the observed Friday July 3: full day'],
    // Day after Thanksgiving: from 1992, at 14:00 until 1992, 13:00 from 1993.
    ['1990-11-23', '09:30', '16:00', 'day after Thanksgiving before 1992: full day'],
    ['1991-11-29', '09:30', '16:00', 'day after Thanksgiving before 1992: full day'],
    ['1992-11-27', '09:30', '14:00', 'day after Thanksgiving 1992: early close at 14:00'],
    ['1993-11-26', '09:30', '13:00', 'day after Thanksgiving from 1993: 13:00'],
    // Christmas Eve: 14:00 until 1992, 13:00 from 1993; one-off Fridays after Christmas.
    ['1990-12-24', '09:30', '14:00', 'Christmas Eve 1990'],
    ['1992-12-24', '09:30', '14:00', 'Christmas Eve 1992'],
    ['1996-12-24', '09:30', '13:00', 'Christmas Eve 1996'],
    ['1987-12-24', '09:30', '16:00', 'Christmas Eve before 1990 traded a full day'],
    ['1997-12-26', '09:30', '13:00', 'Friday after Christmas 1997 (one-off)'],
    ['2003-12-26', '09:30', '13:00', 'Friday after Christmas 2003 (one-off)'],
    ['2008-12-26', '09:30', '16:00', 'Friday after Christmas 2008: full day'],
    ['2014-12-26', '09:30', '16:00', 'Friday after Christmas 2014: full day'],
    ['2025-12-26', '09:30', '16:00', 'Friday after Christmas 2025: full day'],
    ['1999-12-31', '09:30', '13:00', "New Year's Eve 1999 (year 2000 changeover)"],
    // Other one-off hours.
    ['1997-10-27', '09:30', '15:30', 'circuit breaker halted trading for the day'],
    ['1994-02-11', '09:30', '14:30', 'snowstorm'],
    ['1996-01-08', '11:00', '14:00', 'snowstorm: late open and early close'],
    ['1990-12-27', '11:00', '16:00', 'transformer explosion: late open'],
    ['1995-12-18', '10:30', '16:00', 'computer trouble: late open'],
    ['2002-09-11', '12:00', '16:00', 'first anniversary of September 11: late open'],
    ['2005-06-01', '09:30', '15:56', 'systems communication problem'],
    ['2001-09-17', '09:30', '16:00', 'a moment of silence at the open is not a late open'],
  ])('%s trades %s-%s New York time: %s', (date, open, close, why) => {
    expect(newYorkHours(date), why).toEqual([open, close]);
  });

  it("converts special hours to UTC with the day's offset (EST in winter, EDT in summer)", () => {
    expect(hours(nyseCalendar.sessionOn('1996-01-08'))).toEqual([
      '1996-01-08T16:00:00.000Z',
      '1996-01-08T19:00:00.000Z',
    ]);
    expect(hours(nyseCalendar.sessionOn('2002-07-05'))).toEqual([
      '2002-07-05T13:30:00.000Z',
      '2002-07-05T17:00:00.000Z',
    ]);
  });

  it.each([
    ['2010-12-31', "New Year's Day 2011 fell on a Saturday"],
    ['2004-12-31', "New Year's Day 2005 fell on a Saturday"],
    ['2027-12-31', "New Year's Day 2028 falls on a Saturday"],
    ['1998-01-20', 'the day after MLK Day 1998'],
  ])('%s trades a full session: %s', (date, why) => {
    expect(newYorkHours(date), why).toEqual(['09:30', '16:00']);
  });

  it.each([
    ['1998-01-19', 'MLK Day, the first year the exchange observed it'],
    ['2027-06-18', 'Juneteenth 2027 falls on a Saturday, observed Friday'],
  ])('%s is closed: %s', (date, why) => {
    expect(nyseCalendar.sessionOn(date), why).toBeNull();
  });
});

describe('nyseCalendar: the announced 2026 and 2027 schedules', () => {
  /** Weekdays closed, and sessions closing early, in a year. */
  const scheduleOf = (year: number): { closed: string[]; early: string[] } => {
    const closed: string[] = [];
    const early: string[] = [];
    for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
      const date = new Date(t).toISOString().slice(0, 10);
      const weekday = new Date(t).getUTCDay();
      const nyHours = newYorkHours(date);
      if (nyHours === null && weekday !== 0 && weekday !== 6) closed.push(date);
      if (nyHours !== null && nyHours[1] !== '16:00') early.push(`${date} ${nyHours[1]}`);
    }
    return { closed, early };
  };

  it('2026: the ten holidays and two 13:00 early closes', () => {
    expect(scheduleOf(2026)).toEqual({
      closed: [
        '2026-01-01',
        '2026-01-19',
        '2026-02-16',
        '2026-04-03',
        '2026-05-25',
        '2026-06-19',
        '2026-07-03',
        '2026-09-07',
        '2026-11-26',
        '2026-12-25',
      ],
      early: ['2026-11-27 13:00', '2026-12-24 13:00'],
    });
  });

  it('2027: the ten holidays and one 13:00 early close', () => {
    expect(scheduleOf(2027)).toEqual({
      closed: [
        '2027-01-01',
        '2027-01-18',
        '2027-02-15',
        '2027-03-26',
        '2027-05-31',
        '2027-06-18',
        '2027-07-05',
        '2027-09-06',
        '2027-11-25',
        '2027-12-24',
      ],
      early: ['2027-11-26 13:00'],
    });
  });
});

describe('nyseCalendar: lookups by instant', () => {
  const friday = nyseCalendar.sessionOn('2024-03-08')!;

  it('counts the open instant as inside the session and the close instant as outside', () => {
    expect(nyseCalendar.sessionAt(friday.open)).toEqual(friday);
    expect(nyseCalendar.sessionAt(friday.open - 1)).toBeNull();
    expect(nyseCalendar.sessionAt(friday.close - 1)).toEqual(friday);
    expect(nyseCalendar.sessionAt(friday.close)).toBeNull();
  });

  it('finds no session over the weekend, the next one on Monday and the last one on Friday', () => {
    const saturday = utc('2024-03-09T15:00:00Z');
    expect(nyseCalendar.sessionAt(saturday)).toBeNull();
    expect(nyseCalendar.sessionOnOrAfter(saturday).date).toBe('2024-03-11');
    expect(nyseCalendar.sessionOnOrBefore(saturday).date).toBe('2024-03-08');
  });

  it('sessionOnOrAfter and sessionOnOrBefore return the session holding t', () => {
    const inside = friday.open + 3_600_000;
    expect(nyseCalendar.sessionOnOrAfter(inside)).toEqual(friday);
    expect(nyseCalendar.sessionOnOrBefore(inside)).toEqual(friday);
  });

  it('before the open, the next session is that same day and the previous one is yesterday', () => {
    const preMarket = friday.open - 60_000;
    expect(nyseCalendar.sessionOnOrAfter(preMarket).date).toBe('2024-03-08');
    expect(nyseCalendar.sessionOnOrBefore(preMarket).date).toBe('2024-03-07');
  });

  it('exactly at the close, the session that just closed counts as "on or before"', () => {
    expect(nyseCalendar.sessionOnOrBefore(friday.close)).toEqual(friday);
    expect(nyseCalendar.sessionOnOrAfter(friday.close).date).toBe('2024-03-11');
  });

  it('steps over weekends and holidays with nextSession and previousSession', () => {
    expect(nyseCalendar.nextSession(friday).date).toBe('2024-03-11');
    expect(nyseCalendar.previousSession(nyseCalendar.sessionOn('2024-03-11')!).date).toBe('2024-03-08');
    // Thursday 2025-04-17 -> Good Friday -> weekend -> Monday 2025-04-21.
    expect(nyseCalendar.nextSession(nyseCalendar.sessionOn('2025-04-17')!).date).toBe('2025-04-21');
    expect(nyseCalendar.previousSession(nyseCalendar.sessionOn('2025-04-21')!).date).toBe('2025-04-17');
    // Christmas 2024 (Wednesday) and the year end.
    expect(nyseCalendar.nextSession(nyseCalendar.sessionOn('2024-12-24')!).date).toBe('2024-12-26');
    expect(nyseCalendar.nextSession(nyseCalendar.sessionOn('2024-12-31')!).date).toBe('2025-01-02');
  });

  it('hands out one Session object per date, so callers may compare sessions by identity', () => {
    const s = nyseCalendar.sessionOn('2024-03-12')!;
    expect(nyseCalendar.sessionAt(s.open + 1)).toBe(s);
    expect(nyseCalendar.nextSession(friday)).toBe(nyseCalendar.sessionOn('2024-03-11'));
    expect(Object.isFrozen(s), 'a shared session must not be mutable').toBe(true);
  });

  it('counts 252 sessions in 2024 (the published NYSE count)', () => {
    let s = nyseCalendar.sessionOnOrAfter(utc('2024-01-01T00:00:00Z'));
    let count = 0;
    while (s.date < '2025-01-01') {
      count++;
      s = nyseCalendar.nextSession(s);
    }
    expect(count).toBe(252);
  });
});

describe('alwaysOpenCalendar', () => {
  it('has one 24-hour session per UTC day, weekends included', () => {
    const sunday = alwaysOpenCalendar.sessionOn('2024-03-10');
    expect(hours(sunday)).toEqual(['2024-03-10T00:00:00.000Z', '2024-03-11T00:00:00.000Z']);
    expect(alwaysOpenCalendar.sessionAt(utc('2024-12-25T23:59:59.999Z'))?.date).toBe('2024-12-25');
    expect(alwaysOpenCalendar.sessionAt(utc('2024-12-26T00:00:00Z'))?.date).toBe('2024-12-26');
  });

  it('chains sessions back to back', () => {
    const s = alwaysOpenCalendar.sessionOn('2024-02-28')!;
    const next = alwaysOpenCalendar.nextSession(s);
    expect(next.date).toBe('2024-02-29');
    expect(next.open).toBe(s.close);
    expect(alwaysOpenCalendar.previousSession(next)).toEqual(s);
  });
});

describe('calendarById', () => {
  it('finds the NYSE and the 24/7 calendars by id, and names the ids it knows otherwise', () => {
    expect(calendarById('XNYS')).toBe(nyseCalendar);
    expect(calendarById('24x7')).toBe(alwaysOpenCalendar);
    expect(() => calendarById('XLON')).toThrow(/unknown calendar "XLON": expected one of XNYS, 24x7/);
  });
});

describe('createSessionCalendar', () => {
  it('handles zones east of UTC, whose sessions start on the previous UTC day', () => {
    const tokyo = createSessionCalendar('XTKS-ish', 'Asia/Tokyo', ({ weekday }) =>
      weekday === 0 || weekday === 6 ? null : { open: 9 * 60, close: 15 * 60 },
    );
    const s = tokyo.sessionOn('2024-03-11')!;
    expect(hours(s)).toEqual(['2024-03-11T00:00:00.000Z', '2024-03-11T06:00:00.000Z']);
    expect(tokyo.sessionAt(utc('2024-03-11T00:00:00Z'))?.date).toBe('2024-03-11');
    expect(tokyo.sessionAt(utc('2024-03-10T23:59:59Z'))).toBeNull();
  });

  it('rejects an unknown time zone when built, not on first use', () => {
    expect(() => createSessionCalendar('bad', 'Mars/Olympus', () => null)).toThrow(RangeError);
  });
});
