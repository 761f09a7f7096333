import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionJson } from './calendar-run';
import { runCaptured } from '../test-support/captured-cli';
import { main } from './index';

/** Runs `trm ...args` in-process; returns what it wrote and the exit code it set. */
const trm = (...args: string[]) => runCaptured(main, args);

const sessionsOf = (stdout: string): SessionJson[] =>
  (JSON.parse(stdout) as { sessions: SessionJson[] }).sessions;

afterEach(() => {
  process.exitCode = undefined;
});

describe('trm calendar', () => {
  it('--json prints exactly the trading sessions with ISO 8601 UTC open and close', async () => {
    const { stdout, stderr, exitCode } = await trm(
      'calendar',
      '--from',
      '2002-07-01',
      '--to',
      '2002-07-08',
      '--json',
    );
    expect(exitCode).toBeUndefined();
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({
      sessions: [
        { date: '2002-07-01', open: '2002-07-01T13:30:00.000Z', close: '2002-07-01T20:00:00.000Z' },
        { date: '2002-07-02', open: '2002-07-02T13:30:00.000Z', close: '2002-07-02T20:00:00.000Z' },
        { date: '2002-07-03', open: '2002-07-03T13:30:00.000Z', close: '2002-07-03T20:00:00.000Z' },
        { date: '2002-07-05', open: '2002-07-05T13:30:00.000Z', close: '2002-07-05T17:00:00.000Z' },
        { date: '2002-07-08', open: '2002-07-08T13:30:00.000Z', close: '2002-07-08T20:00:00.000Z' },
      ],
    });
  });

  it('prints a table in New York time that notes early closes, late opens and weekday closures', async () => {
    const { stdout } = await trm('calendar', '--from', '2002-07-03', '--to', '2002-07-08');
    expect(stdout).toBe(
      [
        'NYSE (XNYS) sessions from 2002-07-03 to 2002-07-08, New York time:',
        'date        open   close  note',
        '2002-07-03  09:30  16:00',
        '2002-07-04  closed        Independence Day',
        '2002-07-05  09:30  13:00  early close: day after Independence Day',
        '2002-07-08  09:30  16:00',
        '3 sessions',
        '',
      ].join('\n'),
    );
    const snow = await trm('calendar', '--from', '1996-01-08', '--to', '1996-01-08');
    expect(snow.stdout).toContain('1996-01-08  11:00  14:00  late open, early close: snowstorm');
    expect(snow.stdout).toContain('1 session\n');
  });

  it('includes both ends of the range', async () => {
    const { stdout } = await trm('calendar', '--from', '2024-12-24', '--to', '2024-12-26', '--json');
    expect(sessionsOf(stdout).map((s) => s.date)).toEqual(['2024-12-24', '2024-12-26']);
  });

  it('accepts a range of exactly 50 years', async () => {
    const { stdout, exitCode } = await trm(
      'calendar',
      '--from',
      '1990-01-01',
      '--to',
      '2040-01-01',
      '--json',
    );
    expect(exitCode).toBeUndefined();
    const sessions = sessionsOf(stdout);
    expect(sessions[0]?.date).toBe('1990-01-02');
    expect(sessions.at(-1)?.date).toBe('2039-12-30');
  });

  it('cautions on stderr, not in the JSON, when the range leaves the years the calendar knows', async () => {
    const { stdout, stderr } = await trm('calendar', '--from', '1985-09-26', '--to', '1985-09-30', '--json');
    expect(sessionsOf(stdout).length).toBeGreaterThan(0);
    expect(stderr).toMatch(/^trm: note: dates before 1990 follow the standing holiday rules only/);
    expect((await trm('calendar', '--from', '2028-01-03', '--to', '2028-01-07')).stderr).toMatch(
      /dates after 2027 follow the standing holiday rules only/,
    );
  });

  it.each([
    [['--from', '2025-13-01', '--to', '2025-12-31'], /--from: 2025-13-01 is not a date on the calendar/],
    [['--from', '2025-01-01', '--to', '2025-02-30'], /--to: 2025-02-30 is not a date on the calendar/],
    [['--from', '25-01-01', '--to', '2025-02-03'], /--from: expected a date as YYYY-MM-DD.*"25-01-01"/],
    [['--from', '2025-02-01', '--to', '2025-01-01'], /--from 2025-02-01 is after --to 2025-01-01/],
    [['--from', '1975-01-01', '--to', '2025-01-02'], /spans more than 50 years: ask for at most 50 years/],
    [['--to', '2025-01-01'], /--from is required: give both dates as YYYY-MM-DD/],
  ])('refuses %j with a clear message and exit code 2', async (args, message) => {
    const { stdout, stderr, exitCode } = await trm('calendar', ...args);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
  });
});

// Real market data (../shared/data, outside the repository): the days the market actually traded.
const DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const hasData = existsSync(DATA);

/** The first column's YYYY-MM-DD of every row of a CSV under DATA, header skipped, in order, once each. */
const datesIn = (file: string): string[] => [
  ...new Set(
    readFileSync(`${DATA}${file}`, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.slice(0, 10)),
  ),
];

describe.skipIf(!hasData)(
  `trm calendar against real market data${hasData ? '' : ' (skipped: ../shared/data is not here)'}`,
  () => {
    it.each([
      ['daily/vix.csv', 'the VIX index, 1990-2021'],
      ['daily/spy.csv', 'SPY, 1993-2021'],
      ['daily/dia.csv', 'DIA, 1998-2021'],
    ])('lists a session on exactly the days %s has a daily bar (%s)', async (file) => {
      const traded = datesIn(file);
      const { stdout } = await trm('calendar', '--from', traded[0]!, '--to', traded.at(-1)!, '--json');
      expect(sessionsOf(stdout).map((s) => s.date)).toEqual(traded);
    });

    it('closes early on exactly the days SPY minute bars stop after 13:00 (2025-09 to 2026-03)', async () => {
      const lastMinute = new Map<string, string>();
      for (const line of readFileSync(`${DATA}intraday/SPY_1min.csv`, 'utf8').trim().split('\n').slice(1)) {
        lastMinute.set(line.slice(0, 10), line.slice(11, 16));
      }
      const traded = [...lastMinute.keys()];
      const { stdout } = await trm('calendar', '--from', traded[0]!, '--to', traded.at(-1)!, '--json');
      const sessions = sessionsOf(stdout);
      expect(sessions.map((s) => s.date)).toEqual(traded);
      // A few prints arrive just after an early close; a regular day runs to 15:59.
      const stopsEarly = traded.filter((date) => lastMinute.get(date)! < '14:00');
      const closesEarly = sessions
        .filter((s) => Date.parse(s.close) - Date.parse(s.open) < 6.5 * 3_600_000)
        .map((s) => s.date);
      expect(stopsEarly).toEqual(['2025-11-28', '2025-12-24']);
      expect(closesEarly).toEqual(stopsEarly);
    });
  },
);
