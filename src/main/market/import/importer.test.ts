import { existsSync, statSync, utimesSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportReportSchema, type Bar } from '../../../shared/domain';
import { BarAggregator } from '../../core/bar-aggregator';
import { nyseCalendar } from '../../core/calendar';
import { openStore, type Store } from '../../store/store';
import { runFixture } from '../../store/test-fixtures/child-process';
import { tempDir, type TempDir } from '../../store/test-fixtures/helpers';
import { expandImportPaths } from './import-paths';
import { importFiles, ImportStoppedError } from './importer';
import { MINUTE, minuteCsv, minuteRows, utcText, write } from './test-fixtures/price-files';

let tmp: TempDir;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

/** Every stored bar with where it came from, in key order: what "nothing changed" compares. */
function dump(path: string): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT * FROM bars ORDER BY symbol, timeframe, start').raw().all();
  } finally {
    db.close();
  }
}

function sessions(from: string, count: number): string[] {
  const dates: string[] = [];
  let session = nyseCalendar.sessionOnOrAfter(Date.parse(`${from}T00:00:00Z`));
  for (let i = 0; i < count; i++) {
    dates.push(session.date);
    session = nyseCalendar.nextSession(session);
  }
  return dates;
}

function writeFixtures(): string[] {
  const daily = write(
    tmp.file('qqq.csv'),
    'Date,Open,High,Low,Close,Volume\n2024-03-04,440,442,439,441,1000\n2024-03-05,441,443,440,442,2000\n',
  );
  const minutes = write(tmp.file('SPY_1min.csv'), minuteCsv(minuteRows(['2024-03-04', '2024-03-05'])));
  const fives = write(
    tmp.file('ETHUSDT_5m.csv'),
    ['timestamp,open,high,low,close,volume']
      .concat(
        Array.from(
          { length: 288 },
          (_, i) => `${utcText(Date.UTC(2025, 3, 5) + i * 5 * MINUTE)},1800,1801,1799,1800.5,3.25`,
        ),
      )
      .join('\n'),
  );
  return [daily, minutes, fives];
}

describe('importFiles', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(tmp.file('market.sqlite'));
  });
  afterEach(() => store.close());

  it('stores every file through the worker, registers its symbol and reports in the contract shape', async () => {
    const files = writeFixtures();
    const progress: number[] = [];
    const { report, outcomes } = await importFiles(
      files.map((path) => ({ path })),
      { target: store.imports, onProgress: (p) => progress.push(p.bytesDone) },
    );
    expect(ImportReportSchema.parse(report)).toEqual(report);
    expect(report).toMatchObject({ files: 3, rows: 2 + 780 + 288, rejected: [] });
    expect(outcomes.map((o) => [o.header?.symbol, o.header?.timeframe, o.header?.calendar])).toEqual([
      ['QQQ', '1D', 'XNYS'],
      ['SPY', '1m', 'XNYS'],
      ['ETHUSDT', '5m', '24x7'],
    ]);
    expect(progress.at(-1)).toBe(files.reduce((sum, f) => sum + statSync(f).size, 0));
    expect(store.symbols.list().map((s) => [s.symbol, s.kind, s.calendar, s.source, s.timeframes])).toEqual([
      ['ETHUSDT', 'crypto', '24x7', 'import', ['5m', '15m', '1h', '4h', '1D']],
      ['QQQ', 'index-etf', 'XNYS', 'import', ['1D']],
      ['SPY', 'index-etf', 'XNYS', 'import', ['1m', '5m', '15m', '1h', '4h', '1D']],
    ]);
    expect(store.bars.range('SPY', '1D', { limit: 10 }).map((b) => b.start)).toEqual([
      nyseCalendar.sessionOn('2024-03-04')!.open,
      nyseCalendar.sessionOn('2024-03-05')!.open,
    ]);
  });

  it('changes nothing when the same files come again, and reads a changed file again', async () => {
    const files = writeFixtures();
    const first = await importFiles(
      files.map((path) => ({ path })),
      { target: store.imports },
    );
    store.close();
    const before = dump(tmp.file('market.sqlite'));

    store = openStore(tmp.file('market.sqlite'));
    const again = await importFiles(
      files.map((path) => ({ path })),
      { target: store.imports },
    );
    store.close();
    expect(again.outcomes.every((o) => o.unchanged)).toBe(true);
    expect({ ...again.report, seconds: 0 }).toEqual({ ...first.report, seconds: 0 });
    expect(dump(tmp.file('market.sqlite'))).toEqual(before);

    // The daily file gains a row (and a new modification time): read again, the new bar stored.
    store = openStore(tmp.file('market.sqlite'));
    write(
      files[0]!,
      'Date,Open,High,Low,Close,Volume\n2024-03-04,440,442,439,441,1000\n2024-03-05,441,443,440,442,2000\n' +
        '2024-03-06,442,444,441,443,3000\n',
    );
    utimesSync(files[0]!, new Date(), new Date(Date.now() + 5000));
    const changed = await importFiles([{ path: files[0]! }], { target: store.imports });
    expect(changed.outcomes[0]).toMatchObject({ unchanged: false, rows: 3 });
    expect(store.bars.range('QQQ', '1D', { limit: 10 })).toHaveLength(3);
  });

  it('reports refused files with line 0 and does not count them', async () => {
    const good = write(
      tmp.file('qqq.csv'),
      'Date,Open,High,Low,Close,Volume\n2024-03-04,440,442,439,441,1000\n',
    );
    const binary = write(tmp.file('spy.csv'), Buffer.from([1, 2, 3, 0, 4]));
    const { report } = await importFiles(
      [binary, tmp.file('missing.csv'), good].map((path) => ({ path })),
      { target: store.imports },
    );
    expect(report.files).toBe(1);
    expect(report.rejected).toEqual([
      {
        file: binary,
        line: 0,
        reason: 'it is not a text file (it holds binary data); expected a CSV table of prices',
      },
      { file: tmp.file('missing.csv'), line: 0, reason: 'cannot be read (ENOENT)' },
    ]);
    expect(store.imports.fileState(resolve(binary))).toBeNull();
  });
});

describe('a killed import', () => {
  it('leaves whole batches and continues where it stopped, ending as a clean import does', async () => {
    const rows = minuteRows(sessions('2024-01-02', 150));
    const path = write(tmp.file('TEST_1min.csv'), minuteCsv(rows));
    const killedDb = tmp.file('killed.sqlite');
    const child = runFixture('../../market/import/test-fixtures/import-child.ts', [killedDb, '1000', path]);
    await child.waitForLine(/^committed 3$/);
    child.child.kill('SIGKILL');
    expect((await child.exited).signal).toBe('SIGKILL');
    expect(child.lines).not.toContain('done');

    const killed = openStore(killedDb);
    const state = killed.imports.fileState(resolve(path))!;
    expect(state.complete).toBe(false);
    // Whole batches: the stored minutes are exactly the rows the journal says were committed.
    const minutesStored = killed.bars.range('TEST', '1m', { limit: 1_000_000 }).length;
    expect(minutesStored).toBe(state.rows);
    const resumed = await importFiles([{ path }], { target: killed.imports, batchRows: 1000 });
    killed.close();
    expect(resumed.outcomes[0]).toMatchObject({ resumed: true, rows: rows.length });

    const clean = openStore(tmp.file('clean.sqlite'));
    await importFiles([{ path }], { target: clean.imports });
    clean.close();
    expect(dump(killedDb)).toEqual(dump(tmp.file('clean.sqlite')));
  });
});

describe('a stopped import', () => {
  it('continues every file, those still queued included, and ends as a clean import does', async () => {
    const files = [
      write(tmp.file('SPY_1min.csv'), minuteCsv(minuteRows(sessions('2024-01-02', 20)))),
      write(tmp.file('QQQ_1min.csv'), minuteCsv(minuteRows(sessions('2024-01-02', 20), { seed: 2 }))),
      write(tmp.file('IWM_1min.csv'), minuteCsv(minuteRows(sessions('2024-01-02', 20), { seed: 3 }))),
    ];
    const sources = files.map((path) => ({ path }));
    const stopped = openStore(tmp.file('stopped.sqlite'));
    const abort = new AbortController();
    await expect(
      importFiles(sources, {
        target: stopped.imports,
        batchRows: 1000,
        signal: abort.signal,
        onProgress: () => abort.abort(),
      }),
    ).rejects.toBeInstanceOf(ImportStoppedError);
    const again = await importFiles(sources, { target: stopped.imports, batchRows: 1000 });
    stopped.close();
    expect(again.report.rejected).toEqual([]);
    expect(again.outcomes.map((o) => o.resumed)).toEqual([true, false, false]);

    const clean = openStore(tmp.file('clean.sqlite'));
    await importFiles(sources, { target: clean.imports, batchRows: 1000 });
    clean.close();
    expect(dump(tmp.file('stopped.sqlite'))).toEqual(dump(tmp.file('clean.sqlite')));
  });
});

const SHARED = resolve(import.meta.dirname, '../../../../../shared/data');

describe.skipIf(!existsSync(SHARED))('the shared market data (../shared/data)', () => {
  it('imports daily, daily-stooq and intraday with only explained rejections, and days equal their minutes', async () => {
    const { files, problems } = expandImportPaths(
      ['daily', 'daily-stooq', 'intraday'].map((d) => join(SHARED, d)),
    );
    expect(problems).toEqual([]);
    const store = openStore(tmp.file('market.sqlite'));
    try {
      const { report } = await importFiles(
        files.map((path) => ({ path })),
        { target: store.imports },
      );
      expect(report.files).toBe(files.length);
      // CBOE's own VIX history has rows whose open lies outside the day's range (1992-2006), and a value
      // on 2004-06-11, when the NYSE was closed for President Reagan's funeral.
      for (const r of report.rejected) {
        expect(r.file.endsWith('vix.cboe.csv'), `${r.file}:${r.line}: ${r.reason}`).toBe(true);
        expect(r.reason).toMatch(
          /^the (open|close) [\d.]+ is (above the high|below the low) [\d.]+$|^no trading session on 2004-06-11 /,
        );
      }
      expect(report.rejected.length).toBeLessThan(60);

      // A regular day of SPY minutes: its stored 5m and 1D bars are the aggregation of its stored minutes.
      const session = nyseCalendar.sessionOn('2025-10-01')!;
      const minutes = store.bars
        .range('SPY', '1m', { limit: 2000, before: session.close })
        .filter((b) => b.start >= session.open);
      expect(minutes.length).toBeGreaterThan(380);
      const aggregator = new BarAggregator(nyseCalendar);
      const made: Bar[] = [];
      for (const m of minutes) made.push(...aggregator.onMinuteBar(m));
      made.push(...aggregator.onTime(session.close));
      const closed = (tf: string) => made.filter((b) => b.closed && b.timeframe === tf);
      expect(store.bars.range('SPY', '5m', { limit: 78, before: session.close })).toEqual(closed('5m'));
      expect(store.bars.range('SPY', '1D', { limit: 1, before: session.close })).toEqual(closed('1D'));
    } finally {
      store.close();
    }
  }, 120_000);
});
