/**
 * Which columns of a price file hold what, read from its header (never from the file name):
 *
 *   Yahoo   Date,Open,High,Low,Close[,Adj Close],Volume
 *   Stooq   <TICKER>,<PER>,<DATE>,<TIME>,<OPEN>,<HIGH>,<LOW>,<CLOSE>,<VOL>,<OPENINT>
 *   CBOE    DATE,OPEN,HIGH,LOW,CLOSE                      (dates as MM/DD/YYYY, no volume)
 *   OHLCV   a time column (datetime, timestamp, time, date, ...), open, high, low, close, and optionally
 *           volume, vwap, transactions (trades, trade_count, n) and adj close, in any order
 *
 * Header names are matched without case, spaces, underscores or Stooq's angle brackets.
 */

export type DialectName = 'Yahoo' | 'Stooq' | 'CBOE' | 'OHLCV';

export interface Dialect {
  name: DialectName;
  /** Fields per row, as in the header. */
  columns: number;
  /** Column of the date or date-time. */
  time: number;
  /** Column of a separate time of day (Stooq's <TIME>, HHMMSS), or -1. */
  timeOfDay: number;
  /** Column of Stooq's <PER> (the period: D for daily), or -1. */
  period: number;
  open: number;
  high: number;
  low: number;
  close: number;
  /** -1 when the file has no volume (CBOE): volume is stored as 0. */
  volume: number;
  /** Adjusted close (Yahoo's Adj Close), or -1: prices are scaled by Adj Close / Close when present. */
  adjClose: number;
  /** -1 when absent. */
  vwap: number;
  /** Trades per bar, or -1. */
  transactions: number;
}

const TIME_NAMES = ['datetime', 'timestamp', 'date', 'time', 'ts', 't', 'dateutc', 'timeutc', 'datetimeutc'];
const ALIASES: Record<string, readonly string[]> = {
  open: ['open', 'o', 'openprice'],
  high: ['high', 'h', 'highprice'],
  low: ['low', 'l', 'lowprice'],
  close: ['close', 'c', 'closeprice', 'last'],
  volume: ['volume', 'vol', 'v'],
  adjClose: ['adjclose', 'adjustedclose', 'adjcloseprice'],
  vwap: ['vwap', 'vw'],
  transactions: ['transactions', 'trades', 'tradecount', 'numtrades', 'n', 'count'],
};

/** A header name as matched: lower case, without spaces, underscores, dashes, dots or angle brackets. */
export function normaliseHeaderName(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[\s_\-.<>"']/g, '');
}

/** The dialect of a header row, or a message saying what is missing (shown to the user). */
export function detectDialect(header: readonly string[]): Dialect | string {
  const names = header.map(normaliseHeaderName);
  const find = (candidates: readonly string[]): number => {
    for (const candidate of candidates) {
      const at = names.indexOf(candidate);
      if (at >= 0) return at;
    }
    return -1;
  };

  const isStooq = names.includes('ticker') && names.includes('per');
  let time: number;
  let timeOfDay = -1;
  if (isStooq || (names.includes('date') && names.includes('time') && !names.includes('datetime'))) {
    time = names.indexOf('date');
    timeOfDay = names.indexOf('time');
  } else {
    time = find(TIME_NAMES);
  }
  const dialect: Dialect = {
    name: 'OHLCV',
    columns: header.length,
    time,
    timeOfDay,
    period: isStooq ? names.indexOf('per') : -1,
    open: find(ALIASES.open!),
    high: find(ALIASES.high!),
    low: find(ALIASES.low!),
    close: find(ALIASES.close!),
    volume: find(ALIASES.volume!),
    adjClose: find(ALIASES.adjClose!),
    vwap: find(ALIASES.vwap!),
    transactions: find(ALIASES.transactions!),
  };

  const missing = (['open', 'high', 'low', 'close'] as const).filter((c) => dialect[c] < 0);
  if (time < 0) missing.unshift('time' as never);
  if (missing.length > 0) {
    const shown = header
      .slice(0, 12)
      .map((h) => h.slice(0, 24))
      .join(',');
    return (
      `the header has no ${missing.join(', ')} column (found: ${shown}). ` +
      'Expected a header such as Date,Open,High,Low,Close,Volume or datetime,open,high,low,close,volume'
    );
  }

  // The name is for messages only: every dialect is read the same way, by its columns.
  const raw = header.map((h) => h.replace(/^\uFEFF/, '').trim()).join(',');
  if (isStooq) dialect.name = 'Stooq';
  else if (/^Date,Open,High,Low,Close(,Adj Close)?,Volume$/.test(raw)) dialect.name = 'Yahoo';
  else if (raw === 'DATE,OPEN,HIGH,LOW,CLOSE') dialect.name = 'CBOE';
  return dialect;
}
