import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDailyPanel } from '../core/signals/daily-panel';
import { MARKET_FEATURE_IDS, featureMatrix } from '../core/signals/feature-registry';
import { DAILY_CSV_SYMBOLS, readDailyCsvFolder } from './daily-csv-folder';

const HEADER = 'Date,Open,High,Low,Close,Volume';
const row = (date: string, close: number | string, volume: number | string = 1000) =>
  `${date},1,2,0.5,${close},${volume}`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trm-daily-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, lines: string[]) =>
  writeFileSync(join(dir, name), [HEADER, ...lines].join('\n') + '\n');

describe('readDailyCsvFolder', () => {
  it("starts each bar at its date's NYSE session open, in UTC across daylight saving", () => {
    write('spy.csv', [row('2021-01-04', 368.79, 110_156_800), row('2021-03-15', 396.41, 73_592_300)]);
    write('vix.csv', [row('2021-01-04', 26.97, 0)]);
    const { bars, symbols, warnings } = readDailyCsvFolder(dir, { symbols: ['SPY', 'VIX'] });
    expect(symbols).toEqual(['SPY', 'VIX']);
    expect(warnings).toEqual([]);
    expect(bars).toEqual([
      { symbol: 'SPY', start: Date.parse('2021-01-04T14:30:00Z'), close: 368.79, volume: 110_156_800 },
      { symbol: 'SPY', start: Date.parse('2021-03-15T13:30:00Z'), close: 396.41, volume: 73_592_300 },
      { symbol: 'VIX', start: Date.parse('2021-01-04T14:30:00Z'), close: 26.97, volume: 0 },
    ]);
  });

  it('skips rows on days the NYSE was closed with one warning per file, and rows it cannot read', () => {
    write('spy.csv', [
      row('2021-01-02', 1), // Saturday
      row('2021-01-04', 2),
      row('2021-01-18', 3), // Martin Luther King Jr. Day
      row('2021-01-19', 'null'),
      row('19.01.2021', 5),
      row('2021-01-20', 6, ''),
    ]);
    const { bars, warnings } = readDailyCsvFolder(dir, { symbols: ['SPY'] });
    expect(bars.map((b) => b.close)).toEqual([2, 6]);
    expect(bars[1]!.volume).toBeNaN();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /spy\.csv: skipped 2 rows dated on days the NYSE was closed \(first 2021-01-02\)/,
    );
    expect(warnings[1]).toMatch(
      /spy\.csv: skipped 2 rows without a YYYY-MM-DD date and a positive close \(first on line 5\)/,
    );
  });

  it('matches file names without regard to case, and warns about a missing optional file', () => {
    write('SPY.csv', [row('2021-01-04', 2)]);
    write('Xlk.csv', [row('2021-01-04', 3)]);
    const { bars, symbols, warnings } = readDailyCsvFolder(dir, { symbols: ['xlk', 'gld'] });
    expect(symbols).toEqual(['SPY', 'XLK']);
    expect(bars.map((b) => b.symbol)).toEqual(['SPY', 'XLK']);
    expect(warnings).toEqual([
      expect.stringMatching(/gld\.csv not found in .*: features and strategies that use GLD/),
    ]);
  });

  it('reads every feature and strategy symbol by default', () => {
    write('spy.csv', [row('2021-01-04', 2)]);
    const { warnings } = readDailyCsvFolder(dir);
    expect(DAILY_CSV_SYMBOLS).toEqual(
      expect.arrayContaining(['SPY', 'VIX', 'TLT', 'GLD', 'EFA', 'XLK', 'SHY', 'QQQ']),
    );
    expect(warnings).toHaveLength(DAILY_CSV_SYMBOLS.length - 1);
  });

  it('says which file and what the folder must hold when spy.csv or the folder is missing', () => {
    write('vix.csv', [row('2021-01-04', 20)]);
    expect(() => readDailyCsvFolder(dir)).toThrow(
      /spy\.csv is missing: SPY's daily bars are the decision clock.*Date,Open,High,Low,Close,Volume/,
    );
    expect(() => readDailyCsvFolder(join(dir, 'nope'))).toThrow(
      /daily data folder not found: .*nope\. Give a folder of daily CSV files/,
    );
  });

  it('refuses a file without the Close column, quoting its header', () => {
    writeFileSync(join(dir, 'spy.csv'), 'Date,Price,Volume\n2021-01-04,1,2\n');
    expect(() => readDailyCsvFolder(dir, { symbols: ['SPY'] })).toThrow(
      /spy\.csv has no close column \(its header is "Date,Price,Volume"\)/,
    );
  });
});

const SHARED_DAILY = fileURLToPath(new URL('../../../../shared/data/daily', import.meta.url));

const hasData = existsSync(SHARED_DAILY);

describe.skipIf(!hasData)(
  `readDailyCsvFolder on ../shared/data/daily${hasData ? '' : ' (skipped: ../shared/data is not here)'}`,
  () => {
    it('spans 1993-01-29..2021-12-31, and every available stream has a value on every row after 2005-03', () => {
      const { bars, symbols, warnings } = readDailyCsvFolder(SHARED_DAILY);
      expect(symbols).toEqual([...DAILY_CSV_SYMBOLS]);
      expect(warnings).toEqual([]);
      const panel = buildDailyPanel(bars);
      const day = (t: number) => new Date(t).toISOString().slice(0, 10);
      expect(day(panel.times[0]!)).toBe('1993-01-29');
      expect(day(panel.times[panel.times.length - 1]!)).toBe('2021-12-31');

      const started = performance.now();
      const matrix = featureMatrix(panel, MARKET_FEATURE_IDS);
      const ms = performance.now() - started;
      const width = MARKET_FEATURE_IDS.length;
      const from = panel.times.findIndex((t) => day(t) >= '2005-03-01');
      let complete = 0;
      let firstComplete = -1;
      const gaps: string[] = [];
      for (let i = 0; i < panel.times.length; i++) {
        const values = matrix.subarray(i * width, (i + 1) * width);
        if (values.every(Number.isFinite)) {
          complete++;
          if (firstComplete < 0) firstComplete = i;
        } else if (i >= from) gaps.push(day(panel.times[i]!));
      }
      console.log(
        `daily panel: ${panel.times.length} sessions, ${complete} complete rows of ${width} streams ` +
          `(first ${day(panel.times[firstComplete]!)}); feature matrix in ${ms.toFixed(0)} ms`,
      );
      expect(gaps).toEqual([]);
    });
  },
);
