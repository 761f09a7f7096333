/**
 * The New York Stock Exchange's one-off closures and special hours since 1990, as data: days that no
 * standing rule gives (the rules live in nyse-schedule.ts). Each entry cites where the fact comes from.
 *
 * Sources (entries name the symbol in the source file that holds the date):
 * - PMC: pandas_market_calendars (github.com/rsheftel/pandas_market_calendars),
 *   pandas_market_calendars/holidays/nyse.py and the history in calendars/nyse.py's docstring, which
 *   follows the NYSE's own list of closings and special hours.
 * - XC: exchange_calendars (github.com/gerrymanoim/exchange_calendars),
 *   exchange_calendars/us_holidays.py and exchange_calendar_xnys.py (XNYS).
 * - Press: a contemporary report, where the two references disagree or are silent.
 *
 * Deliberately not modelled (a session here has one open and one close):
 * - opens delayed one to three minutes for a moment of silence (PMC lists 1991-01-17 and 1991-02-25 at
 *   09:31, 2001-09-17 at 09:33, 2001-10-08 at 09:31, 2003-03-20, 2004-06-07 and 2006-12-27 at 09:32;
 *   XC lists none). The market paused at the open; keeping 09:30 keeps that day's intraday bars on the
 *   same :30 grid as every other day, and its first minutes simply hold no trades;
 * - intraday halts, e.g. 1997-10-27 14:35-15:05 (the first circuit-breaker halt; the day's close at 15:30
 *   is modelled) and 1990-11-23 09:41-11:15 (power failure). Neither reference models halts.
 */

export type NyseSpecialDay =
  | {
      /** New York trading date, YYYY-MM-DD. */
      readonly date: string;
      readonly kind: 'closed';
      readonly reason: string;
      readonly sources: readonly string[];
    }
  | {
      readonly date: string;
      readonly kind: 'hours';
      /** New York wall-clock open 'HH:MM'; absent: the regular 09:30. */
      readonly open?: string;
      /** New York wall-clock close 'HH:MM'; absent: the regular 16:00. */
      readonly close?: string;
      readonly reason: string;
      readonly sources: readonly string[];
    };

/** First year the data covers: before it, only the standing rules apply (see nyse-schedule.ts). */
export const NYSE_SPECIAL_DAYS_FROM_YEAR = 1990;
/**
 * Last year the data was checked for (the exchange's announced schedule as the references hold it);
 * later dates follow the standing rules only, so a closure announced later must be added here.
 */
export const NYSE_SPECIAL_DAYS_THROUGH_YEAR = 2027;

const PMC = 'PMC holidays/nyse.py';
const XC = 'XC us_holidays.py';
const XC_XNYS = 'XC exchange_calendar_xnys.py';
const MOURNING = 'national day of mourning';

export const NYSE_SPECIAL_DAYS: readonly NyseSpecialDay[] = [
  {
    date: '1990-12-27',
    kind: 'hours',
    open: '11:00',
    reason: "Con Edison transformer explosion at the exchanges' computer centre",
    sources: [
      // PMC's history says 11:00; its rule ConEdXformer931amLateOpen1990 has 09:31. The press report settles it.
      'PMC calendars/nyse.py docstring: "Late Open 11am on Dec 27, 1990"',
      'Press: UPI in the Los Angeles Times, 1990-12-27, "Pre-Dawn Transformer Blast Delays Opening of Exchanges": trading did not begin until 11 a.m.',
    ],
  },
  {
    date: '1994-02-11',
    kind: 'hours',
    close: '14:30',
    reason: 'snowstorm',
    sources: [`${PMC} Snow230pmEarlyClose1994`],
  },
  {
    date: '1994-04-27',
    kind: 'closed',
    reason: `${MOURNING}: President Richard Nixon`,
    sources: [`${PMC} NixonFuneral1994`, `${XC} USNationalDaysofMourning`],
  },
  {
    date: '1995-12-18',
    kind: 'hours',
    open: '10:30',
    reason: 'computer system trouble',
    sources: [`${PMC} Computer1030LateOpen1995`],
  },
  {
    date: '1996-01-08',
    kind: 'hours',
    open: '11:00',
    close: '14:00',
    reason: 'snowstorm',
    sources: [`${PMC} Snow11amLateOpen1996, Snow2pmEarlyClose1996`],
  },
  {
    date: '1997-10-27',
    kind: 'hours',
    close: '15:30',
    reason: 'circuit breaker: trading halted for the day',
    sources: [`${PMC} CircuitBreakerTriggered330pmEarlyClose1997`],
  },
  {
    date: '1997-12-26',
    kind: 'hours',
    close: '13:00',
    reason: 'Friday after Christmas',
    sources: [`${PMC} DayAfterChristmas1pmEarlyCloseAdhoc`, `${XC_XNYS} special_closes_adhoc`],
  },
  {
    date: '1999-12-31',
    kind: 'hours',
    close: '13:00',
    reason: "New Year's Eve 1999 (year 2000 changeover)",
    sources: [
      `${XC_XNYS} special_closes_adhoc`,
      // PMC comments it out as "Disputed. Not in reference source" (NewYearsEve1pmCloseAdhoc).
      'Press: Mondo Visione, 1999-04-06, "The New York Stock Exchange Defers Off-Hours Trading Until Second Half 2000": the board approved closing at 1:00 pm on December 31, 1999',
    ],
  },
  ...['2001-09-11', '2001-09-12', '2001-09-13', '2001-09-14'].map((date): NyseSpecialDay => ({
    date,
    kind: 'closed',
    reason: 'September 11 attacks',
    sources: [`${PMC} September11Closings2001`, `${XC} September11Closings`],
  })),
  {
    date: '2002-09-11',
    kind: 'hours',
    open: '12:00',
    reason: 'first anniversary of the September 11 attacks',
    sources: [`${PMC} Sept11Anniversary12pmLateOpen2002`],
  },
  {
    date: '2003-12-26',
    kind: 'hours',
    close: '13:00',
    reason: 'Friday after Christmas',
    sources: [`${PMC} DayAfterChristmas1pmEarlyCloseAdhoc`, `${XC_XNYS} special_closes_adhoc`],
  },
  {
    date: '2004-06-11',
    kind: 'closed',
    reason: `${MOURNING}: President Ronald Reagan`,
    sources: [`${PMC} ReaganMourning2004`, `${XC} USNationalDaysofMourning`],
  },
  {
    date: '2005-06-01',
    kind: 'hours',
    close: '15:56',
    reason: 'systems communication problem',
    sources: [`${PMC} SystemProb356pmEarlyClose2005`],
  },
  {
    date: '2007-01-02',
    kind: 'closed',
    reason: `${MOURNING}: President Gerald Ford`,
    sources: [`${PMC} FordMourning2007`, `${XC} USNationalDaysofMourning`],
  },
  ...['2012-10-29', '2012-10-30'].map((date): NyseSpecialDay => ({
    date,
    kind: 'closed',
    reason: 'Hurricane Sandy',
    sources: [`${PMC} HurricaneSandyClosings2012`, `${XC} HurricaneSandyClosings`],
  })),
  {
    date: '2018-12-05',
    kind: 'closed',
    reason: `${MOURNING}: President George H. W. Bush`,
    sources: [`${PMC} GeorgeHWBushDeath2018`, `${XC} USNationalDaysofMourning`],
  },
  {
    date: '2025-01-09',
    kind: 'closed',
    reason: `${MOURNING}: President Jimmy Carter`,
    sources: [`${PMC} JimmyCarterDeath2025`, `${XC} USNationalDaysofMourning`],
  },
];
