/**
 * Exchange time (America/New_York) for everything the trader reads: clock, legends, chart axes.
 * Charts keep true UTC timestamps and only their labels are formatted here; shifting timestamps by the
 * zone offset instead would make 24-hour markets run backwards for an hour each November.
 */
import type { Timeframe } from '../../shared/domain';

export const EXCHANGE_TIME_ZONE = 'America/New_York';

interface ExchangeParts {
  weekday: string;
  day: string;
  month: string;
  year: string;
  hour: string;
  minute: string;
  second: string;
}

// One formatter for all fields: constructing Intl formatters is far costlier than using them.
const partsFormatter = new Intl.DateTimeFormat('en-US', {
  timeZone: EXCHANGE_TIME_ZONE,
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

export function exchangeParts(ms: number): ExchangeParts {
  const parts: ExchangeParts = {
    weekday: '',
    day: '',
    month: '',
    year: '',
    hour: '',
    minute: '',
    second: '',
  };
  for (const part of partsFormatter.formatToParts(ms)) {
    if (part.type in parts) parts[part.type as keyof ExchangeParts] = part.value;
  }
  return parts;
}

/** "Mon 18 Nov 14:31:05 ET": the market clock. */
export function formatMarketClock(ms: number): string {
  const p = exchangeParts(ms);
  return `${p.weekday} ${p.day} ${p.month} ${p.hour}:${p.minute}:${p.second} ET`;
}

/** A bar's start as a trader names it: its session date for daily bars, else date and minute. */
export function formatBarStart(ms: number, timeframe: Timeframe): string {
  const p = exchangeParts(ms);
  return timeframe === '1D'
    ? `${p.weekday} ${p.day} ${p.month} ${p.year}`
    : `${p.weekday} ${p.day} ${p.month} ${p.hour}:${p.minute}`;
}

export type TickKind = 'year' | 'month' | 'day' | 'time' | 'time-seconds';

/** Short labels for the time axis, one per kind of tick mark the chart asks for. */
export function formatTick(ms: number, kind: TickKind): string {
  const p = exchangeParts(ms);
  switch (kind) {
    case 'year':
      return p.year;
    case 'month':
      return p.month;
    case 'day':
      return `${p.day} ${p.month}`;
    case 'time':
      return `${p.hour}:${p.minute}`;
    case 'time-seconds':
      return `${p.hour}:${p.minute}:${p.second}`;
  }
}

// Two digits for every field, for date-time fields (the parts formatter above writes month names).
const numericFormatter = new Intl.DateTimeFormat('en-US', {
  timeZone: EXCHANGE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The exchange's wall clock at `ms`, as numbers. */
function wallClock(ms: number): { year: number; month: number; day: number; hour: number; minute: number } {
  const fields: Record<string, number> = {};
  for (const part of numericFormatter.formatToParts(ms)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year ?? 1970,
    month: fields.month ?? 1,
    day: fields.day ?? 1,
    hour: fields.hour ?? 0,
    minute: fields.minute ?? 0,
  };
}

/** Milliseconds the exchange's wall clock is ahead of UTC at `ms` (-4 h in EDT, -5 h in EST). */
function exchangeOffsetMs(ms: number): number {
  const wall = wallClock(ms);
  const seconds = Math.floor(ms / 1000) * 1000;
  const minuteStart = seconds - (seconds % 60_000);
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute) - minuteStart;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * "2025-03-14 15:05": `ms` on the exchange's 24-hour wall clock, to the minute, the same whatever the
 * browser's locale and zone (a datetime-local input would show the browser's 12-hour "03:05 PM").
 */
export function formatExchangeDateTime(ms: number): string {
  const w = wallClock(ms);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
}

/**
 * A date and 24-hour time as a trader types it ("2025-03-14 15:05"; also "2025-03-14T15:05", a
 * one-digit hour "9:30", seconds ":30", spaces around) read as New York time, in epoch ms; null if it
 * is not such a date-time (a 12-hour "3:05 PM", "25:00", 30 February).
 */
export function parseExchangeDateTime(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T| +)(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((field) => Number(field ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (hour > 23 || minute > 59 || second > 59) return null;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day)
    return null;
  // The offset at the wall time read as UTC is right except within hours of a clock change; one more
  // step with the offset at the first guess settles it.
  const guess = wall - exchangeOffsetMs(wall);
  return wall - exchangeOffsetMs(guess);
}
