/**
 * Parsing of the start-up options both entries accept (the `trm` CLI and the Electron app), with
 * errors that say what was wrong and what is accepted.
 *
 * Loaded by every `trm` start (the commands' definitions use these parsers), so it imports no code of
 * the domain: the domain's module loads zod, about 80 ms that `trm --help` or `trm calendar` need not pay.
 */
import type { EngineMode, Speed } from '../../shared/domain';

export class OptionError extends Error {
  override readonly name = 'OptionError';
}

export function parseSpeed(text: string): Speed {
  if (text === 'max') return 'max';
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > 1_000_000) {
    throw new OptionError(
      `--speed must be a number of market seconds per second (e.g. 1, 60) or "max", not "${text}"`,
    );
  }
  return value;
}

export function parseSeed(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0 || value > 0xffffffff) {
    throw new OptionError(`--seed must be a whole number from 0 to 4294967295, not "${text}"`);
  }
  return value;
}

/**
 * A parser of option `name` (e.g. "--epochs"): a whole number from `min` to `max`; anything else throws
 * an OptionError that names the option and the range.
 */
export function parseCount(name: string, min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new OptionError(`${name} must be a whole number from ${min} to ${max}, not "${text}"`);
    return value;
  };
}

/** As parseCount, for a comma-separated list of whole numbers from `min` to `max` (e.g. "16,32"). */
export function parseCountList(name: string, min: number, max: number): (text: string) => number[] {
  return (text) => {
    const values = text.split(',').map((part) => Number(part.trim()));
    if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < min || v > max))
      throw new OptionError(
        `${name} must be whole numbers from ${min} to ${max}, comma-separated, not "${text}"`,
      );
    return values;
  };
}

export function parsePort(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new OptionError(
      `--port must be a whole number from 0 to 65535 (0 picks a free port), not "${text}"`,
    );
  }
  return value;
}

/** An ISO 8601 date or date-time; a date alone means midnight UTC. */
export function parseStart(text: string): number {
  const value = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(value)) {
    throw new OptionError(
      `--start must be an ISO date or date-time such as 2025-03-14T15:00:00Z, not "${text}"`,
    );
  }
  return value;
}

export const DEFAULT_PORT = 7420;

/**
 * The engine modes (ENGINE_MODES of the domain) as keys: the compiler checks that they are exactly the
 * EngineMode values, without this module loading the domain's schemas at run time.
 */
const MODES: Readonly<Record<EngineMode, true>> = { demo: true, replay: true, paper: true, live: true };

export function parseMode(text: string): EngineMode {
  if (Object.hasOwn(MODES, text)) return text as EngineMode;
  throw new OptionError(`--mode must be one of ${Object.keys(MODES).join(', ')}, not "${text}"`);
}

/** What a replay plays: 1-minute bars or daily bars ("1d" is taken for "1D"). */
export function parseBars(text: string): '1m' | '1D' {
  if (text === '1m') return '1m';
  if (text === '1D' || text === '1d') return '1D';
  throw new OptionError(
    `--bars must be 1m (1-minute bars) or 1D (daily bars, a session at a time), not "${text}"`,
  );
}

/** A trading date, YYYY-MM-DD, as epoch ms of midnight UTC of that date. */
export function parseDate(text: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    throw new OptionError(`expected a date as YYYY-MM-DD, such as 2025-10-01, not "${text}"`);
  }
  const value = Date.parse(`${text}T00:00:00Z`);
  // Date.parse rolls 2025-02-30 over to March 2 (or refuses it): the round trip catches both.
  if (Number.isNaN(value) || new Date(value).toISOString().slice(0, 10) !== text) {
    throw new OptionError(`${text} is not a date on the calendar (check the month and the day)`);
  }
  return value;
}
