/**
 * The import report's first line, in words a trader reads at a glance: files imported, rows stored,
 * rows refused and files refused, each counted apart (a refused file is not a refused row).
 */
import type { ImportRejection, ImportReport } from '../../shared/domain';

export interface ImportCounts {
  filesImported: number;
  rowsStored: number;
  rowsRefused: number;
  /** Files refused whole (their rejection has line 0). */
  filesRefused: number;
}

/**
 * The importer lists a file's first refused rows one by one and the rest in one entry, "and 12,345 more
 * rows refused from this line on (...)" (src/main/market/import/importer.ts): that entry counts them all.
 */
const MORE_ROWS = /^and ([\d,]+) more rows? refused/;

function rowsIn(rejection: ImportRejection): number {
  const more = MORE_ROWS.exec(rejection.reason);
  return more ? Number(more[1]!.replaceAll(',', '')) : 1;
}

export function countImport(report: ImportReport): ImportCounts {
  let rowsRefused = 0;
  let filesRefused = 0;
  for (const rejection of report.rejected) {
    if (rejection.line === 0) filesRefused += 1;
    else rowsRefused += rowsIn(rejection);
  }
  return { filesImported: report.files, rowsStored: report.rows, rowsRefused, filesRefused };
}

const count = (n: number, one: string, many: string): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** "Done in 0.3 s: 1 file imported, 19 rows stored, 2 rows refused, 1 file refused." */
export function describeImport(report: ImportReport): string {
  const c = countImport(report);
  return (
    `Done in ${report.seconds.toFixed(1)} s: ${count(c.filesImported, 'file', 'files')} imported, ` +
    `${count(c.rowsStored, 'row', 'rows')} stored, ${count(c.rowsRefused, 'row', 'rows')} refused, ` +
    `${count(c.filesRefused, 'file', 'files')} refused.`
  );
}
