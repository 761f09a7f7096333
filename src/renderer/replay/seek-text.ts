/**
 * The replay's seek field, checked as the trader types: a New York date and 24-hour time
 * ("2025-03-13 14:05") inside the replayed range. Pure: the component shows the problem and keeps Go
 * off until there is none.
 */
import { formatExchangeDateTime, parseExchangeDateTime } from '../time/exchange-time';

/** The times a seek may go to, epoch ms: `first` and `last` are the first and last minutes replayed. */
export interface SeekRange {
  first: number;
  last: number;
}

export type SeekCheck = { time: number; problem: null } | { time: null; problem: string };

export const SEEK_FORMAT_HINT = 'YYYY-MM-DD HH:MM';

/**
 * `text` read as the time to seek to, or why it cannot be: not a date and 24-hour time, or outside the
 * range (the same range the slider spans; the engine refuses those too, in the same words).
 */
export function checkSeekText(text: string, range: SeekRange): SeekCheck {
  const time = parseExchangeDateTime(text);
  if (time === null) {
    return {
      time: null,
      problem: `Write a New York date and 24-hour time: ${SEEK_FORMAT_HINT}, e.g. ${formatExchangeDateTime(range.first)}.`,
    };
  }
  if (time < range.first || time > range.last) {
    return {
      time: null,
      problem: `The replay runs from ${formatExchangeDateTime(range.first)} to ${formatExchangeDateTime(range.last)} ET. Pick a time in between.`,
    };
  }
  return { time, problem: null };
}
