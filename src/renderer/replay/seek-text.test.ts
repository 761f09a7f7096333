import { describe, expect, it } from 'vitest';
import { checkSeekText } from './seek-text';

// Thursday 13 March 2025 09:30 to Friday 14 March 15:59 New York (EDT, UTC-4).
const range = { first: Date.UTC(2025, 2, 13, 13, 30), last: Date.UTC(2025, 2, 14, 19, 59) };

describe('the replay seek field', () => {
  it('takes a 24-hour New York time inside the range, ends included', () => {
    expect(checkSeekText('2025-03-13 14:05', range)).toEqual({
      time: Date.UTC(2025, 2, 13, 18, 5),
      problem: null,
    });
    expect(checkSeekText('2025-03-13 09:30', range).time).toBe(range.first);
    expect(checkSeekText('2025-03-14 15:59', range).time).toBe(range.last);
  });

  it('says how to write the time when it is not a date and 24-hour time', () => {
    for (const text of ['', '2025-03-13', '03/13/2025, 02:05 PM', '2025-03-13 2:05 PM', '2025-03-13 25:00']) {
      const check = checkSeekText(text, range);
      expect(check.time, text).toBeNull();
      expect(check.problem, text).toBe(
        'Write a New York date and 24-hour time: YYYY-MM-DD HH:MM, e.g. 2025-03-13 09:30.',
      );
    }
  });

  it('refuses a time outside the replay, naming the range', () => {
    const message = 'The replay runs from 2025-03-13 09:30 to 2025-03-14 15:59 ET. Pick a time in between.';
    expect(checkSeekText('2025-03-13 09:29', range)).toEqual({ time: null, problem: message });
    expect(checkSeekText('2025-03-14 16:00', range)).toEqual({ time: null, problem: message });
  });
});
