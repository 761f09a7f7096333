/**
 * Timeframes and the symbol format as plain constants, with no zod: hot code that only needs these
 * (the import's parser thread, the aggregator) does not pay for loading the schema library
 * (about 50 ms at a worker's start). bars.ts builds the schemas from them.
 */

export const TIMEFRAMES = ['1m', '5m', '15m', '1h', '4h', '1D'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

/**
 * Intraday timeframes are fixed numbers of minutes counted from the session open; `1D` is one whole
 * trading session (its length varies: early closes, 24h markets).
 */
export const INTRADAY_MINUTES = {
  '1m': 1,
  '5m': 5,
  '15m': 15,
  '1h': 60,
  '4h': 240,
} as const satisfies Record<Exclude<Timeframe, '1D'>, number>;

/**
 * Session calendars a symbol can trade on, by id: the NYSE's ('XNYS', core/calendar.ts nyseCalendar) or
 * around the clock ('24x7', alwaysOpenCalendar). Defined once here; core, the store and the contract use it.
 */
export const CALENDAR_IDS = ['XNYS', '24x7'] as const;
export type CalendarId = (typeof CALENDAR_IDS)[number];

/** Ticker symbols: upper case, digits, '.', '-' or '/' (BRK.B, BTC/USD), 1 to 16 characters. */
export const SYMBOL_PATTERN = /^[A-Z][A-Z0-9./-]{0,15}$/;
export const SYMBOL_RULE = 'symbol must be 1-16 upper-case letters, digits, ".", "-" or "/"';
