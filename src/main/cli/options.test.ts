import { describe, expect, it } from 'vitest';
import { OptionError, parsePort, parseSeed, parseSpeed, parseStart } from './options';

describe('start-up options', () => {
  it('accept what a trader types', () => {
    expect(parseSpeed('60')).toBe(60);
    expect(parseSpeed('0.5')).toBe(0.5);
    expect(parseSpeed('max')).toBe('max');
    expect(parseSeed('42')).toBe(42);
    expect(parsePort('0')).toBe(0);
    expect(parseStart('2025-03-14T15:00:00Z')).toBe(Date.UTC(2025, 2, 14, 15));
  });

  it('refuse nonsense with a message that says what is accepted', () => {
    expect(() => parseSpeed('-3')).toThrow(OptionError);
    expect(() => parseSpeed('fast')).toThrow(/--speed must be .* "max", not "fast"/);
    expect(() => parseSeed('1.5')).toThrow(/--seed must be a whole number/);
    expect(() => parsePort('70000')).toThrow(/--port must be a whole number from 0 to 65535/);
    expect(() => parseStart('yesterday')).toThrow(/--start must be an ISO date/);
    expect(() => parseStart('2025-02-30T99:00')).toThrow(OptionError);
  });
});
