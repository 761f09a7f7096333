/**
 * Importing ../shared/data/intraday/*_1min.csv (about 519,000 minute bars) with `trm import --json`, the
 * built command in its own process (start-up included, as for the sqlite3 CLI; worker threads parse and
 * aggregate, the main thread writes 1m bars plus every higher timeframe), side by side with two limits
 * measured in the same run on the same files:
 *
 * - Debian's sqlite3 CLI `.import` of the files into a plain table (rows as text, no key, no checks);
 * - better-sqlite3 with 256-row multi-row INSERT statements into a WITHOUT ROWID bars table keyed like
 *   ours, in one transaction per file, reading the CSVs with split() and Number() on this thread (what a
 *   minimal single-threaded importer costs, without validation, time zones or aggregation).
 *
 * Each figure is the best of RUNS runs (the machine is shared; the best run is the least disturbed).
 * The import figure counts source rows per second; it stores ~1.3 rows per source row (5m ... 1D too),
 * so its stored rows per second are shown as well, the figure to hold against the limits' rows.
 * `trm --help` gives what every command pays before it does anything (node's start, the CLI's modules).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openStore } from '../src/main/store';
import { ImportReportSchema } from '../src/shared/domain';
import { report, type Metric } from './lib/report';

const DATA = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data', 'intraday');
const RUNS = 5;
const ROWS_PER_STATEMENT = 256;

function minuteFiles(): string[] {
  return readdirSync(DATA)
    .filter((name) => /^[A-Z]+_1min\.csv$/.test(name))
    .sort()
    .map((name) => join(DATA, name));
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TRM = join(ROOT, 'bin', 'trm.mjs');

/** `trm import --json` as a user runs it (the built CLI in its own process, start-up included). */
function ourImport(
  files: readonly string[],
  dir: string,
): { rows: number; seconds: number; importSeconds: number; stored: number } {
  const path = join(dir, `import-${Math.random().toString(36).slice(2)}.sqlite`);
  try {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, [TRM, 'import', '--json', '--db', path, ...files], {
      encoding: 'utf8',
      cwd: ROOT,
    });
    const elapsed = seconds(start);
    if (run.status !== 0) throw new Error(`trm import failed (${run.status}): ${run.stderr}`);
    const result = ImportReportSchema.parse(JSON.parse(run.stdout));
    if (result.rejected.length > 0)
      throw new Error(`unexpected rejections: ${JSON.stringify(result.rejected[0])}`);
    const store = openStore(path);
    const stored = store.bars.count();
    store.close();
    return { rows: result.rows, seconds: elapsed, importSeconds: result.seconds, stored };
  } finally {
    rmSync(path, { force: true });
  }
}

/** `trm --help`: node's start and the CLI's own modules, what every command pays first. */
function startUp(): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [TRM, '--help'], { encoding: 'utf8', cwd: ROOT });
  const elapsed = seconds(start);
  if (run.status !== 0) throw new Error(`trm --help failed (${run.status}): ${run.stderr}`);
  return elapsed;
}

function sqliteCli(files: readonly string[], dir: string): { rows: number; seconds: number } | string {
  const probe = spawnSync('sqlite3', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return 'the sqlite3 command is not installed';
  const path = join(dir, `cli-${Math.random().toString(36).slice(2)}.sqlite`);
  const script = [
    'PRAGMA journal_mode = WAL;',
    'PRAGMA synchronous = NORMAL;',
    'CREATE TABLE bars (datetime TEXT, open REAL, high REAL, low REAL, close REAL, volume REAL);',
    ...files.map((file) => `.import --csv --skip 1 '${file}' bars`),
    'SELECT count(*) FROM bars;',
  ].join('\n');
  const start = process.hrtime.bigint();
  const run = spawnSync('sqlite3', [path], { input: script, encoding: 'utf8' });
  const elapsed = seconds(start);
  rmSync(path, { force: true });
  rmSync(`${path}-wal`, { force: true });
  if (run.status !== 0) return `sqlite3 failed: ${run.stderr.trim()}`;
  return { rows: Number(run.stdout.trim().split('\n').pop()), seconds: elapsed };
}

function multiRowLimit(files: readonly string[], dir: string): { rows: number; seconds: number } {
  const path = join(dir, `limit-${Math.random().toString(36).slice(2)}.sqlite`);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE bars (
    symbol TEXT NOT NULL, timeframe TEXT NOT NULL, start INTEGER NOT NULL,
    open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL, volume REAL NOT NULL,
    PRIMARY KEY (symbol, timeframe, start)) WITHOUT ROWID`);
  const tuple = '(?, ?, ?, ?, ?, ?, ?, ?)';
  const many = db.prepare(`INSERT INTO bars VALUES ${new Array(ROWS_PER_STATEMENT).fill(tuple).join(', ')}`);
  const one = db.prepare(`INSERT INTO bars VALUES ${tuple}`);
  const params: (string | number)[] = new Array<string | number>(ROWS_PER_STATEMENT * 8);
  let rows = 0;
  const start = process.hrtime.bigint();
  for (const file of files) {
    const symbol = file.slice(file.lastIndexOf('/') + 1, file.indexOf('_', file.lastIndexOf('/')));
    const lines = readFileSync(file, 'utf8').split('\n');
    const insert = db.transaction(() => {
      let p = 0;
      for (let i = 1; i < lines.length; i++) {
        const line = lines[i]!;
        if (line.length < 10) continue;
        const f = line.split(',');
        const d = f[0]!;
        // Fixed-position date-time, read as UTC: the limit skips time zones on purpose.
        const t = Date.UTC(
          +d.slice(0, 4),
          +d.slice(5, 7) - 1,
          +d.slice(8, 10),
          +d.slice(11, 13),
          +d.slice(14, 16),
        );
        params[p++] = symbol;
        params[p++] = '1m';
        params[p++] = t;
        params[p++] = +f[1]!;
        params[p++] = +f[2]!;
        params[p++] = +f[3]!;
        params[p++] = +f[4]!;
        params[p++] = +f[5]!;
        rows++;
        if (p === params.length) {
          many.run(params);
          p = 0;
        }
      }
      for (let q = 0; q < p; q += 8) one.run(params.slice(q, q + 8));
    });
    insert();
  }
  const elapsed = seconds(start);
  db.close();
  rmSync(path, { force: true });
  return { rows, seconds: elapsed };
}

// eslint-disable-next-line @typescript-eslint/require-await -- the runner's contract is an async default export
export default async function run(): Promise<void> {
  if (!existsSync(DATA)) {
    console.log(`import: skipped: ${DATA} is missing (the shared market data is not on this machine)`);
    return;
  }
  const files = minuteFiles();
  // Builds out/ first when it is older than the sources (bin/trm.mjs does), outside the timing.
  const warm = spawnSync(process.execPath, [TRM, '--help'], { encoding: 'utf8', cwd: ROOT });
  if (warm.status !== 0) throw new Error(`trm is not runnable: ${warm.stderr}`);
  const dir = mkdtempSync(join(tmpdir(), 'trm-import-bench-'));
  try {
    let ours = { rows: 0, seconds: Infinity, importSeconds: Infinity, stored: 0 };
    let importOnly = Infinity;
    let cli: { rows: number; seconds: number } | string = { rows: 0, seconds: Infinity };
    let limit = { rows: 0, seconds: Infinity };
    let help = Infinity;
    // Interleaved, so a burst of load on the shared machine hits all of them alike.
    for (let i = 0; i < RUNS; i++) {
      help = Math.min(help, startUp());
      const a = ourImport(files, dir);
      if (a.seconds < ours.seconds) ours = a;
      importOnly = Math.min(importOnly, a.importSeconds);
      const b = sqliteCli(files, dir);
      if (typeof b === 'string') cli = b;
      else if (typeof cli !== 'string' && b.seconds < cli.seconds) cli = b;
      const c = multiRowLimit(files, dir);
      if (c.seconds < limit.seconds) limit = c;
    }
    const oursRate = ours.rows / ours.seconds;
    const metrics: Metric[] = [
      { name: 'intraday 1min files through trm import', value: oursRate, unit: 'bars/s' },
      {
        name: 'the same, rows stored (1m and every higher timeframe)',
        value: ours.stored / ours.seconds,
        unit: 'rows/s',
      },
      // The command's own report: the import alone, without node's start and the command's modules.
      {
        name: 'the same, import time from its report (no process start-up)',
        value: ours.rows / importOnly,
        unit: 'bars/s',
      },
      { name: 'start-up, trm --help', value: help * 1000, unit: 'ms' },
    ];
    if (typeof cli === 'string') console.log(`import: limit, sqlite3 CLI .import: skipped: ${cli}`);
    else metrics.push({ name: 'limit, sqlite3 CLI .import', value: cli.rows / cli.seconds, unit: 'rows/s' });
    metrics.push({
      name: 'limit, better-sqlite3 multi-row inserts',
      value: limit.rows / limit.seconds,
      unit: 'rows/s',
    });
    if (typeof cli !== 'string') {
      metrics.push({
        name: 'trm import / sqlite3 CLI (target >= 1.5)',
        value: oursRate / (cli.rows / cli.seconds),
        unit: 'x',
      });
    }
    metrics.push({
      name: 'trm import / multi-row limit (target >= 0.7)',
      value: oursRate / (limit.rows / limit.seconds),
      unit: 'x',
    });
    report('import', metrics, {
      files: files.length,
      sourceRows: ours.rows,
      storedRows: ours.stored,
      seconds: {
        trmImport: ours.seconds,
        trmImportReported: importOnly,
        trmHelp: help,
        sqliteCli: typeof cli === 'string' ? cli : cli.seconds,
        multiRow: limit.seconds,
      },
      runs: RUNS,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
