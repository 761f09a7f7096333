import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ImportReportSchema } from '../../shared/domain';
import { write } from '../market/import/test-fixtures/price-files';
import { openStore } from '../store/store';
import { tempDir, type TempDir } from '../store/test-fixtures/helpers';
import { runImport } from './import-run';
import { main } from './index';
import { runTrm } from './test-fixtures/run-trm';

let tmp: TempDir;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => {
  tmp.remove();
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

const DAILY =
  'Date,Open,High,Low,Close,Volume\n2024-03-04,440,442,439,441,1000\n2024-03-09,441,443,440,442,2000\n';

describe('trm import', () => {
  it('with --json prints exactly the report object on stdout and nothing else', async () => {
    const file = write(tmp.file('qqq.csv'), DAILY);
    const db = tmp.file('market.sqlite');
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);

    await main(['import', '--db', db, '--json', file]);

    expect(process.exitCode).toBe(0);
    const printed = stdout.mock.calls.map((call) => String(call[0])).join('');
    expect(printed.endsWith('\n')).toBe(true);
    const json: unknown = JSON.parse(printed);
    expect(Object.keys(json as object)).toEqual(['files', 'rows', 'rejected', 'seconds']);
    expect(ImportReportSchema.parse(json)).toEqual({
      files: 1,
      rows: 1,
      rejected: [
        {
          file,
          line: 3,
          reason:
            'no trading session on 2024-03-09 on the NYSE calendar (a weekend, a holiday or a special closure)',
        },
      ],
      seconds: expect.any(Number) as number,
    });
    // Not a terminal: one line per file on stderr instead of a progress bar.
    expect(stderr.mock.calls.map((call) => String(call[0])).join('')).toBe(
      `${file}: 1 rows, QQQ daily, NYSE (Yahoo), 1 refused\n`,
    );
    const store = openStore(db);
    expect(store.bars.range('QQQ', '1D', { limit: 5 })).toHaveLength(1);
    store.close();
  });

  it('reports refused files and missing paths in text and exits 1', async () => {
    const good = write(tmp.file('qqq.csv'), DAILY);
    const bad = write(tmp.file('spy.csv'), 'not,a,price,table\n1,2,3,4\n');
    const out: string[] = [];
    const code = await runImport(
      [good, bad, tmp.file('nowhere')],
      { db: tmp.file('market.sqlite') },
      {
        stdout: (text) => out.push(text),
        stderr: () => undefined,
        stderrIsTTY: false,
      },
    );
    expect(code).toBe(1);
    const text = out.join('');
    expect(text).toMatch(/^Imported 1 file into .*market\.sqlite: 1 rows in \d+\.\d s\.\n/);
    expect(text).toContain(
      `Refused 2 files:\n  ${tmp.file('nowhere')}: no such file or folder\n  ${bad}: the header has no time`,
    );
    expect(text).toContain(
      `Refused rows (file:line: reason):\n  ${good}:3: no trading session on 2024-03-09`,
    );
  });

  it('ends at once when there is nothing to read (the parser thread started ahead does not hold it)', async () => {
    const trm = runTrm(['import', '--db', tmp.file('market.sqlite'), tmp.file('nowhere')], {});
    // A process held open is stopped (and fails the test) rather than left behind.
    const stop = setTimeout(() => trm.child.kill(), 20_000);
    const exited = await trm.exited;
    clearTimeout(stop);
    expect(exited).toBe(1);
    expect(trm.stdout()).toContain(`Refused 1 file:\n  ${tmp.file('nowhere')}: no such file or folder`);
  });
});
