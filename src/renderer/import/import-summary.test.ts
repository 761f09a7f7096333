import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../../shared/domain';
import { countImport, describeImport } from './import-summary';

const report = (change: Partial<ImportReport> = {}): ImportReport => ({
  files: 1,
  rows: 2,
  rejected: [],
  seconds: 0.34,
  ...change,
});

describe('the import report’s summary', () => {
  it('counts refused rows and refused files apart (a rejection on line 0 is a whole file)', () => {
    const mixed = report({
      rejected: [
        { file: 'acme.csv', line: 12, reason: 'the exchange was closed on 2021-01-18' },
        { file: 'acme.csv', line: 21, reason: 'high 9 is below low 11' },
        ...['a.csv', 'b.csv', 'c.csv', 'd.csv'].map((file) => ({
          file,
          line: 0,
          reason: 'no time column: the header needs Date, Time or Datetime',
        })),
      ],
    });
    expect(countImport(mixed)).toEqual({ filesImported: 1, rowsStored: 2, rowsRefused: 2, filesRefused: 4 });
    expect(describeImport(mixed)).toBe(
      'Done in 0.3 s: 1 file imported, 2 rows stored, 2 rows refused, 4 files refused.',
    );
  });

  it('says plainly when nothing was refused, and counts one of each in the singular', () => {
    expect(describeImport(report({ rows: 19_000 }))).toBe(
      'Done in 0.3 s: 1 file imported, 19,000 rows stored, 0 rows refused, 0 files refused.',
    );
    const one = report({
      files: 0,
      rows: 1,
      rejected: [
        { file: 'x.csv', line: 3, reason: 'bad' },
        { file: 'y.csv', line: 0, reason: 'empty' },
      ],
    });
    expect(describeImport(one)).toBe(
      'Done in 0.3 s: 0 files imported, 1 row stored, 1 row refused, 1 file refused.',
    );
  });

  it('counts the rows behind "and N more rows refused", the entry that stands for rows not listed', () => {
    const many = report({
      rejected: [
        { file: 'big.csv', line: 5, reason: 'close is not a number' },
        {
          file: 'big.csv',
          line: 1006,
          reason:
            'and 12,345 more rows refused from this line on (only the first 1,000 of a file are listed)',
        },
      ],
    });
    expect(countImport(many).rowsRefused).toBe(12_346);
  });
});
