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
