/**
 * What `trm import [--db PATH] [--json] <file|dir>...` runs (loaded only then; its options are in
 * import.ts): imports price history files (Yahoo, Stooq, CBOE or plain OHLCV CSV; daily, 1-minute or
 * 5-minute bars) into the market database, the same code path as imports sent from the window. A progress bar runs on stderr while it works (a line per file when
 * stderr is not a terminal); the report comes at the end on stdout, as text or, with --json, as exactly
 * one ImportReport JSON object and nothing else.
 *
 * Exit codes: 0 when every file was imported (some rows may have been refused: the report lists them),
 * 1 when a file or folder was refused or the import stopped, 2 for a usage error or a database in use.
 */
import type { SingleBar } from 'cli-progress';
import { ImportReportSchema, type ImportReport } from '../../shared/domain';
import { expandImportPaths } from '../market/import/import-paths';
import { importFiles, ImportStoppedError, type FileOutcome } from '../market/import/importer';
import { defaultMarketDbPath } from '../platform/paths';
import { openStore } from '../store/store';
import type { ImportCommandOptions } from './import';

/** Where the command writes: the process's streams, or a test's. */
export interface ImportOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal (a progress bar) or not (a line per file). */
  stderrIsTTY: boolean;
}

const processOutput: ImportOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
};

/** Rejections the text report lists; --json lists them all. */
const LISTED_IN_TEXT = 40;

const count = (n: number): string => n.toLocaleString('en-US');

function describeOutcome(outcome: FileOutcome): string {
  if (outcome.refused !== null) return `${outcome.file}: refused: ${outcome.refused}`;
  const parts = [`${count(outcome.rows)} rows`];
  const h = outcome.header;
  if (h !== null) {
    const timeframe = h.timeframe === '1D' ? 'daily' : h.timeframe === '1m' ? '1-minute' : '5-minute';
    parts.push(`${h.symbol} ${timeframe}, ${h.calendar === 'XNYS' ? 'NYSE' : '24/7'} (${h.dialect})`);
  }
  if (outcome.rejectedRows > 0) parts.push(`${count(outcome.rejectedRows)} refused`);
  if (outcome.unchanged) parts.push('unchanged since the last import');
  if (outcome.resumed) parts.push('continued where the last import stopped');
  return `${outcome.file}: ${parts.join(', ')}`;
}

function textReport(report: ImportReport, outcomes: readonly FileOutcome[], dbPath: string): string {
  const lines = [
    `Imported ${count(report.files)} file${report.files === 1 ? '' : 's'} into ${dbPath}: ` +
      `${count(report.rows)} rows in ${report.seconds.toFixed(1)} s.`,
  ];
  const unchanged = outcomes.filter((o) => o.unchanged).length;
  if (unchanged > 0) lines.push(`${count(unchanged)} unchanged since the last import (not read again).`);
  const refusedFiles = report.rejected.filter((r) => r.line === 0);
  const refusedRows = report.rejected.filter((r) => r.line > 0);
  if (refusedFiles.length > 0) {
    lines.push(`Refused ${count(refusedFiles.length)} file${refusedFiles.length === 1 ? '' : 's'}:`);
    for (const r of refusedFiles) lines.push(`  ${r.file}: ${r.reason}`);
  }
  if (refusedRows.length > 0) {
    lines.push(`Refused rows (file:line: reason):`);
    for (const r of refusedRows.slice(0, LISTED_IN_TEXT)) lines.push(`  ${r.file}:${r.line}: ${r.reason}`);
    if (refusedRows.length > LISTED_IN_TEXT) {
      lines.push(`  ... ${count(refusedRows.length - LISTED_IN_TEXT)} more (--json lists them all)`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Runs the command; returns its exit code.
 * @throws StoreInUseError (and the store's other open errors) when the database cannot be opened
 */
export async function runImport(
  paths: readonly string[],
  options: ImportCommandOptions,
  output: ImportOutput = processOutput,
): Promise<number> {
  const dbPath = options.db ?? defaultMarketDbPath();
  const { files, problems } = expandImportPaths(paths);
  // The progress bar's module loads only for a terminal (~15 ms otherwise spent before the import starts).
  let bar: SingleBar | null = null;
  if (output.stderrIsTTY && files.length > 0) {
    const { SingleBar } = await import('cli-progress');
    bar = new SingleBar({
      format: 'importing {bar} {percentage}% | {doneMb}/{totalMb} MB | {rows} rows | {file}',
      hideCursor: true,
      clearOnComplete: true,
      stream: process.stderr,
    });
  }
  const store = openStore(dbPath, { onWarning: (message) => output.stderr(`trm import: ${message}\n`) });
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let report: ImportReport;
  let outcomes: FileOutcome[];
  try {
    bar?.start(1, 0, { doneMb: '0', totalMb: '0', rows: '0', file: '' });
    const result = await importFiles(
      files.map((path) => ({ path })),
      {
        target: store.imports,
        signal: abort.signal,
        onProgress: (p) => {
          if (bar === null) return;
          bar.setTotal(Math.max(1, p.bytesTotal));
          bar.update(p.bytesDone, {
            // Not `total`: cli-progress fills {total} itself (with the bar's total, here bytes).
            doneMb: (p.bytesDone / 1e6).toFixed(1),
            totalMb: (p.bytesTotal / 1e6).toFixed(1),
            rows: count(p.rows),
            file: p.file.length > 40 ? `...${p.file.slice(-37)}` : p.file,
          });
        },
        onFile: (outcome) => {
          if (bar === null) output.stderr(`${describeOutcome(outcome)}\n`);
        },
      },
    );
    report = result.report;
    outcomes = result.outcomes;
  } catch (error) {
    if (!(error instanceof ImportStoppedError)) throw error;
    bar?.stop();
    bar = null;
    output.stderr(`trm import: ${error.message}\n`);
    return 1;
  } finally {
    bar?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    store.close();
  }

  const rejected = [
    ...problems.map((p) => ({ file: p.path, line: 0, reason: p.reason })),
    ...report.rejected,
  ];
  const full = ImportReportSchema.parse({ ...report, rejected });
  if (options.json) output.stdout(`${JSON.stringify(full)}\n`);
  else output.stdout(textReport(full, outcomes, store.path));
  return full.rejected.some((r) => r.line === 0) || (files.length === 0 && problems.length > 0) ? 1 : 0;
}
