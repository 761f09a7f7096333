import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bar, Timeframe } from '../../../shared/domain';
import { BarAggregator } from '../../core/bar-aggregator';
import { alwaysOpenCalendar, nyseCalendar } from '../../core/calendar';
import { tempDir, type TempDir } from '../../store/test-fixtures/helpers';
import {
  barsOf,
  MINUTE,
  minuteCsv,
  minuteRows,
  newYorkText,
  offsetText,
  parsePath,
  utcText,
  write,
  type Parsed,
} from './test-fixtures/price-files';

let tmp: TempDir;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

const file = (name: string, text: string | Buffer): string => write(tmp.file(name), text);
const open = (date: string): number => nyseCalendar.sessionOn(date)!.open;

/** What the live aggregator makes of the same minutes, closed bars by timeframe (until `end`). */
function live(minutes: readonly Bar[], end: number): Map<Timeframe, Bar[]> {
  const aggregator = new BarAggregator(nyseCalendar);
  const out = new Map<Timeframe, Bar[]>();
  const take = (bars: readonly Bar[]) => {
    for (const bar of bars) {
      if (!bar.closed || bar.timeframe === '1m') continue;
      out.set(bar.timeframe, [...(out.get(bar.timeframe) ?? []), bar]);
    }
  };
  for (const m of minutes) take(aggregator.onMinuteBar(m));
  take(aggregator.onTime(end));
  return out;
}

const reasons = (parsed: Parsed) => parsed.rejections.map((r) => `${r.line}: ${r.reason}`);

describe('daily files', () => {
  it('reads Yahoo rows as 1D bars at their session open, scales by Adj Close, and refuses a holiday', () => {
    const parsed = parsePath(
      file(
        'spy.csv',
        [
          'Date,Open,High,Low,Close,Adj Close,Volume',
          '2024-07-03,100,101,99,100.5,50.25,1000',
          '2024-07-04,100,101,99,100.5,50.25,1000',
          '2024-07-05,101,102,100,101,50.5,2000',
          '',
        ].join('\n'),
      ),
    );
    expect(parsed.header).toMatchObject({
      symbol: 'SPY',
      timeframe: '1D',
      calendar: 'XNYS',
      dialect: 'Yahoo',
      kind: 'index-etf',
    });
    expect(parsed.bars.get('1D')).toEqual([
      {
        symbol: 'SPY',
        timeframe: '1D',
        start: Date.UTC(2024, 6, 3, 13, 30),
        open: 50,
        high: 50.5,
        low: 49.5,
        close: 50.25,
        volume: 1000,
        closed: true,
      },
      {
        symbol: 'SPY',
        timeframe: '1D',
        start: Date.UTC(2024, 6, 5, 13, 30),
        open: 50.5,
        high: 51,
        low: 50,
        close: 50.5,
        volume: 2000,
        closed: true,
      },
    ]);
    expect(reasons(parsed)).toEqual([
      '3: no trading session on 2024-07-04 on the NYSE calendar (a weekend, a holiday or a special closure)',
    ]);
  });

  it("reads Stooq's export with CRLF line ends, and refuses its intraday periods", () => {
    const parsed = parsePath(
      file(
        'spy.us.txt',
        '<TICKER>,<PER>,<DATE>,<TIME>,<OPEN>,<HIGH>,<LOW>,<CLOSE>,<VOL>,<OPENINT>\r\n' +
          'SPY.US,D,20240102,000000,472.16,473.67,470.49,472.65,123623671,0\r\n' +
          'SPY.US,D,20240103,000000,470.43,471.19,468.17,468.79,103585867,0\r\n',
      ),
    );
    expect(parsed.header).toMatchObject({ symbol: 'SPY', dialect: 'Stooq', timeframe: '1D' });
    expect(parsed.bars.get('1D')!.map((b) => [b.start, b.close, b.volume])).toEqual([
      [Date.UTC(2024, 0, 2, 14, 30), 472.65, 123623671],
      [Date.UTC(2024, 0, 3, 14, 30), 468.79, 103585867],
    ]);
    expect(parsed.rejections).toEqual([]);

    const intraday = parsePath(
      file(
        'qqq.us.txt',
        '<TICKER>,<PER>,<DATE>,<TIME>,<OPEN>,<HIGH>,<LOW>,<CLOSE>,<VOL>,<OPENINT>\nQQQ.US,5,20240102,153500,1,1,1,1,1,0\n',
      ),
    );
    expect(intraday.refused).toMatch(/only Stooq's daily exports/);
  });

  it("reads CBOE's MM/DD/YYYY file with a byte order mark and no volume", () => {
    const parsed = parsePath(
      file('vix.cboe.csv', '\uFEFFDATE,OPEN,HIGH,LOW,CLOSE\r\n01/02/2024,13.21,14.23,13.1,13.2\r\n'),
    );
    expect(parsed.header).toMatchObject({ symbol: 'VIX', dialect: 'CBOE', calendar: 'XNYS' });
    expect(parsed.bars.get('1D')).toEqual([
      {
        symbol: 'VIX',
        timeframe: '1D',
        start: Date.UTC(2024, 0, 2, 14, 30),
        open: 13.21,
        high: 14.23,
        low: 13.1,
        close: 13.2,
        volume: 0,
        closed: true,
      },
    ]);
  });
});

describe('minute files', () => {
  it('stores the minutes and gives 5m ... 1D exactly as the live aggregator, extended hours as 1m only', () => {
    // A regular day, and the day after Thanksgiving (13:00 close: later minutes are out of session).
    const rows = minuteRows(['2024-11-27', '2024-11-29'], { extendedHours: true });
    const parsed = parsePath(file('TEST_1min.csv', minuteCsv(rows)));
    expect(parsed.header).toMatchObject({ symbol: 'TEST', timeframe: '1m', calendar: 'XNYS', kind: 'stock' });
    expect(parsed.rejections).toEqual([]);

    const minutes: Bar[] = rows.map((r) => ({
      symbol: 'TEST',
      timeframe: '1m',
      start: r.start,
      open: r.open,
      high: r.high,
      low: r.low,
      close: r.close,
      volume: r.volume,
      closed: true,
    }));
    expect(parsed.bars.get('1m')).toEqual(minutes);
    const expected = live(minutes, Date.UTC(2100, 0, 1));
    for (const tf of ['5m', '15m', '1h', '4h', '1D'] as const) {
      expect(parsed.bars.get(tf), tf).toEqual(expected.get(tf));
    }
    expect(parsed.bars.get('1D')!.map((b) => b.start)).toEqual([open('2024-11-27'), open('2024-11-29')]);
    // Nothing from the extended hours reached a higher bar: the early-close day's 1D ends at 13:00.
    const lastFive = parsed.bars.get('5m')!.at(-1)!;
    expect(lastFive.start).toBe(open('2024-11-29') + 205 * MINUTE);
  });

  it('keeps VWAP and trade counts, and reads times with a UTC offset across a DST change', () => {
    // Friday before and Monday after the March 2024 change: -05:00, then -04:00.
    const rows = minuteRows(['2024-03-08', '2024-03-11']);
    const text = ['datetime,open,high,low,close,volume,vwap,transactions']
      .concat(
        rows.map(
          (r) =>
            `${offsetText(r.start)},${r.open},${r.high},${r.low},${r.close},${r.volume}.0,${r.vwap},${r.trades}`,
        ),
      )
      .join('\n');
    expect(text).toContain('-05:00');
    expect(text).toContain('-04:00');
    const parsed = parsePath(file('SPY_1min_extended.csv', text));
    expect(parsed.rejections).toEqual([]);
    const first = parsed.bars.get('1m')![0]!;
    expect(first).toEqual({
      ...first,
      start: rows[0]!.start,
      vwap: rows[0]!.vwap,
      tradeCount: rows[0]!.trades,
    });
    const firstFive = parsed.bars.get('5m')![0]!;
    const five = rows.slice(0, 5);
    expect(firstFive.tradeCount).toBe(five.reduce((s, r) => s + r.trades, 0));
    expect(firstFive.vwap).toBeCloseTo(
      five.reduce((s, r) => s + r.vwap * r.volume, 0) / five.reduce((s, r) => s + r.volume, 0),
      9,
    );
    expect(parsed.bars.get('1D')!.map((b) => b.start)).toEqual([
      Date.UTC(2024, 2, 8, 14, 30),
      Date.UTC(2024, 2, 11, 13, 30),
    ]);
  });
});

describe('5-minute files', () => {
  it('stores the 5m bars and rolls them up into 15m ... 1D on the 24/7 calendar for a crypto pair', () => {
    const rows = minuteRows(['2025-04-05', '2025-04-06'], { calendar: alwaysOpenCalendar, step: 5 * MINUTE });
    const text = ['timestamp,open,high,low,close,volume']
      .concat(
        rows.map((r) => `${utcText(r.start)},${r.open},${r.high},${r.low},${r.close},${r.volume / 1000}`),
      )
      .join('\n');
    const parsed = parsePath(file('BTCUSDT_5m.csv', text));
    expect(parsed.header).toMatchObject({
      symbol: 'BTCUSDT',
      timeframe: '5m',
      calendar: '24x7',
      kind: 'crypto',
    });
    expect(parsed.bars.get('5m')).toHaveLength(2 * 288);
    expect(parsed.bars.get('1h')).toHaveLength(48);
    expect(parsed.bars.get('4h')).toHaveLength(12);
    const days = parsed.bars.get('1D')!;
    expect(days.map((d) => d.start)).toEqual([Date.UTC(2025, 3, 5), Date.UTC(2025, 3, 6)]);
    const firstDay = rows.slice(0, 288);
    expect(days[0]).toMatchObject({
      open: firstDay[0]!.open,
      close: firstDay.at(-1)!.close,
      high: Math.max(...firstDay.map((r) => r.high)),
      low: Math.min(...firstDay.map((r) => r.low)),
    });
    expect(
      parsed.batches
        .flatMap((b) => b.series)
        .filter((s) => s.timeframe !== '5m')
        .every((s) => s.derivedFrom === 5),
    ).toBe(true);
  });

  it('tells a 24/7 file from its weekend rows when the name is no crypto pair', () => {
    const rows = minuteRows(['2025-04-05', '2025-04-06', '2025-04-07'], {
      calendar: alwaysOpenCalendar,
      step: 5 * MINUTE,
    });
    const text = ['timestamp,open,high,low,close,volume']
      .concat(rows.map((r) => `${utcText(r.start)},${r.open},${r.high},${r.low},${r.close},1`))
      .join('\n');
    expect(parsePath(file('COINX_5m.csv', text)).header).toMatchObject({ calendar: '24x7', kind: 'crypto' });
  });
});

describe('broken and hostile files', () => {
  const header = 'datetime,open,high,low,close,volume';
  const t0 = open('2024-03-04');
  const row = (minute: number, values = '100,101,99,100.5,1000') =>
    `${newYorkText(t0 + minute * MINUTE)},${values}`;

  it.each([
    ['empty', '', 'the file is empty'],
    [
      'binary',
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]),
      'it is not a text file (it holds binary data); expected a CSV table of prices',
    ],
    [
      'UTF-16',
      Buffer.from('\uFEFFDate,Open', 'utf16le'),
      'it is UTF-16 text: save it as UTF-8 (plain CSV) and import it again',
    ],
    ['header only', `${header}\n`, 'it has a header but no rows'],
    ['no header', `${row(0)}\n${row(1)}\n`, /^the header has no time, open, high, low, close column/],
    ['only empty lines', '\n\n\n', 'the file holds only empty lines'],
    [
      'rows newest first',
      `${header}\n${row(2)}\n${row(1)}\n${row(0)}\n`,
      'its rows run from newest to oldest: sort them oldest first and import it again',
    ],
    [
      'unreadable times',
      `${header}\nsoon,1,1,1,1,1\nlater,1,1,1,1,1\n`,
      'no row has a time that can be read (the first says "soon")',
    ],
    [
      'hourly rows',
      `${header}\n${row(0)}\n${row(60)}\n${row(120)}\n`,
      'its rows are 1 hour apart: the importer reads 1-minute, 5-minute and daily bars',
    ],
  ])('refuses a file that is %s, saying why', (_what, content, reason) => {
    const parsed = parsePath(file('TEST.csv', content));
    expect(parsed.batches).toEqual([]);
    expect(parsed.refused).toEqual(typeof reason === 'string' ? reason : expect.stringMatching(reason));
  });

  it('refuses a file whose name promises another timeframe, or names no symbol', () => {
    const text = `${header}\n${row(0)}\n${row(1)}\n${row(2)}\n`;
    expect(parsePath(file('TEST_5m.csv', text)).refused).toMatch(
      /^its name says 5-minute bars but its rows are 1-minute bars/,
    );
    expect(parsePath(file('2024.csv', text)).refused).toMatch(
      /^its name does not start with a ticker symbol/,
    );
  });

  it('refuses bad rows with their line and reason, and keeps the good ones', () => {
    const lines = [
      header,
      row(0),
      row(1, '100,101,99,100.5'), // 3: too few fields
      row(2, 'NaN,101,99,100.5,1000'),
      row(3, '-100,101,99,100.5,1000'),
      row(4, '1e308,1e308,99,100.5,1000'),
      row(5, '100,98,99,100.5,1000'), // 7: high below low
      row(6, '100,101,99,100.5,-5'),
      row(7, '100,101,99,100.5,'), // 9: empty volume
      row(8, '102,101,99,100.5,7'), // 10: open above high
      `${newYorkText(t0 + 9 * MINUTE + 30_000)},100,101,99,100.5,1`, // 11: off the minute grid
      row(10),
      row(10, '100,101,99,100.6,1'), // 13: duplicate
      row(9), // 14: out of order
      `${offsetText(t0 + 11 * MINUTE)},100,101,99,100.5,1`, // 15: offset among naive times
      `"${newYorkText(t0 + 12 * MINUTE)}","100","101","99","100.5","1000"`, // quoted: fine
      `${newYorkText(t0 + 13 * MINUTE)},"100`, // 17: a quote not closed on its line
      `spans lines",101,99,100.5,1`, // 18
      `x,${'9'.repeat(200_000)}`, // 19: a huge line
      row(14, '100,101,99,100.5,1000.0'),
      row(15, '100.00000000001,100,99,99.5,1'), // rounding noise above the high: widened
      '',
    ];
    const parsed = parsePath(file('TEST.csv', lines.join('\n')));
    expect(reasons(parsed)).toEqual([
      '3: it has 5 fields where the header has 6',
      '4: the open "NaN" is not a number',
      '5: the open -100 is not a positive price',
      '6: the open 1e308 is out of range for a price',
      '7: the high 98 is below the low 99',
      '8: the volume -5 is negative',
      '9: the volume "" is not a number',
      '10: the open 102 is above the high 101',
      `11: the time "${newYorkText(t0 + 9 * MINUTE + 30_000)}" is not on the 1-minute grid (bars start every 1 minutes)`,
      `13: duplicate time "${newYorkText(t0 + 10 * MINUTE)}": line 12 has the same`,
      `14: out of order: "${newYorkText(t0 + 9 * MINUTE)}" comes after "${newYorkText(t0 + 10 * MINUTE)}" (line 12)`,
      `15: the time "${offsetText(t0 + 11 * MINUTE)}" is written with a UTC offset, unlike the first rows (as a local time without a UTC offset): mixed time forms are ambiguous`,
      '17: a quoted field is not closed on its line',
      '18: it has 5 fields where the header has 6',
      '19: the line is 200,003 bytes long: not a row of prices (a damaged file?)',
    ]);
    expect(parsed.bars.get('1m')!.map((b) => (b.start - t0) / MINUTE)).toEqual([0, 10, 12, 14, 15]);
    expect(parsed.bars.get('1m')![4]).toMatchObject({ open: 100.00000000001, high: 100.00000000001 });
  });

  it('lists the first rejections of a file and counts the rest', () => {
    const lines = [header, ...Array.from({ length: 6 }, (_, i) => row(i, 'x,1,1,1,1')), row(10), ''];
    const parsed = parsePath(file('TEST.csv', lines.join('\n')), { maxListedRejections: 2 });
    const last = parsed.batches.at(-1)!;
    expect(parsed.rejections.map((r) => r.line)).toEqual([2, 3]);
    expect({ unlisted: last.unlisted, first: last.firstUnlistedLine }).toEqual({ unlisted: 4, first: 4 });
  });

  it('keeps back the bars of a session still open when the file was written', () => {
    const rows = minuteRows(['2024-03-04']).slice(0, 120); // 09:30-11:29
    const path = file('TEST_1min.csv', minuteCsv(rows));
    const written = parsePath(path, { mtimeMs: open('2024-03-04') + 120 * MINUTE });
    expect(written.bars.get('1h')!.map((b) => b.start)).toEqual([
      open('2024-03-04'),
      open('2024-03-04') + 60 * MINUTE,
    ]);
    expect(written.bars.get('1D')).toBeUndefined();
    expect(written.bars.get('4h')).toBeUndefined();
    const later = parsePath(path, { mtimeMs: open('2024-03-05') });
    expect(later.bars.get('1D')).toHaveLength(1);
  });
});

describe('restart points', () => {
  it('ends batches only between sessions, so resuming at any of them gives what one run gives', () => {
    const rows = minuteRows(['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08'], {
      extendedHours: true,
    });
    const path = file('TEST_1min.csv', minuteCsv(rows, '\r\n'));
    const whole = parsePath(path, { batchRows: 700 });
    expect(whole.batches.length).toBeGreaterThan(3);
    const all = (parsed: Parsed) => [...parsed.bars.entries()].sort().flatMap(([, bars]) => bars);

    for (let k = 0; k < whole.batches.length - 1; k++) {
      const at = whole.batches[k]!;
      const resumed = parsePath(path, {
        batchRows: 700,
        resume: { line: at.nextLine, offset: at.nextOffset, listedRejections: 0 },
      });
      const before: Parsed = { ...whole, bars: new Map() };
      for (const batch of whole.batches.slice(0, k + 1)) {
        for (const series of batch.series) {
          const list = before.bars.get(series.timeframe) ?? [];
          list.push(...barsOf(series));
          before.bars.set(series.timeframe, list);
        }
      }
      const joined = new Map(before.bars);
      for (const [tf, bars] of resumed.bars) joined.set(tf, [...(joined.get(tf) ?? []), ...bars]);
      expect(all({ ...whole, bars: joined }), `resumed after batch ${k}`).toEqual(all(whole));
    }
  });
});
