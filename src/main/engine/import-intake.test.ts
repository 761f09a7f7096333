import { existsSync, readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportProgress } from '../../shared/domain';
import { EngineError } from '../../shared/protocol';
import { minuteCsv, minuteRows } from '../market/import/test-fixtures/price-files';
import { createMemoryLogger } from '../platform/log';
import { DEMO_WORLD_KEY } from '../store/database-role';
import { openStore } from '../store/store';
import { runFixture } from '../store/test-fixtures/child-process';
import { tempDir, type TempDir } from '../store/test-fixtures/helpers';
import { createImportIntake, type ImportIntakeService } from './import-intake';

const ID = 'import-0001';
const DAILY =
  'Date,Open,High,Low,Close,Volume\n2024-03-04,440,442,439,441,1000\n2024-03-05,441,443,440,442,2000\n';

let tmp: TempDir;
let intake: ImportIntakeService;
let uploads: string;
beforeEach(() => {
  tmp = tempDir();
  uploads = tmp.file('uploads');
  intake = createImportIntake({
    marketDbPath: tmp.file('market.sqlite'),
    log: createMemoryLogger(),
    tempDir: uploads,
  });
});
afterEach(() => {
  intake.close();
  tmp.remove();
});

/** Sends a file's text in chunks of `size` characters, in order. */
function send(id: string, name: string, text: string, size = 1000): void {
  intake.begin(id, name, Buffer.byteLength(text));
  for (let seq = 0, at = 0; at < text.length; seq++, at += size)
    intake.chunk(id, name, seq, text.slice(at, at + size));
}

/** Files (not folders) left in the upload folder. */
const leftovers = () =>
  existsSync(uploads)
    ? readdirSync(uploads, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => entry.name)
    : [];

describe('ImportIntake', () => {
  it('imports files sent in chunks into the market database, streaming progress, then cleans up', async () => {
    const progress: ImportProgress[] = [];
    const stop = intake.progress(ID, (p) => progress.push(p));
    send(ID, 'qqq.csv', DAILY);
    send(ID, 'SPY_1min.csv', minuteCsv(minuteRows(['2024-03-04'])), 4096);
    expect(leftovers().length).toBeGreaterThan(0);

    const report = await intake.finish(ID);
    stop();
    expect(report).toMatchObject({ files: 2, rows: 2 + 390, rejected: [] });
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.slice(0, -1).every((p) => p.report === null && p.importId === ID)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ file: 'SPY_1min.csv', rows: 392, report });
    expect(progress.at(-1)!.bytesDone).toBe(progress.at(-1)!.bytesTotal);
    expect(leftovers()).toEqual([]);

    const market = openStore(tmp.file('market.sqlite'));
    expect(market.symbols.list().map((s) => s.symbol)).toEqual(['QQQ', 'SPY']);
    expect(market.bars.range('SPY', '1m', { limit: 1000 })).toHaveLength(390);
    market.close();
  });

  it('refuses a chunk out of order and takes the right one after it', async () => {
    intake.begin(ID, 'qqq.csv', Buffer.byteLength(DAILY));
    expect(() => intake.chunk(ID, 'qqq.csv', 1, DAILY)).toThrow(
      "Chunk 1 of qqq.csv arrived out of order (expected chunk 0): send a file's chunks in order.",
    );
    intake.chunk(ID, 'qqq.csv', 0, DAILY);
    expect(() => intake.chunk(ID, 'qqq.csv', 0, '')).toThrow(/expected chunk 1/);
    await expect(intake.finish(ID)).resolves.toMatchObject({ files: 1, rows: 2 });
  });

  it('refuses more bytes than announced (counting UTF-8 bytes) and cancels the import', () => {
    intake.begin(ID, 'qqq.csv', 4);
    intake.chunk(ID, 'qqq.csv', 0, 'é'); // two bytes
    let error: unknown;
    try {
      intake.chunk(ID, 'qqq.csv', 1, 'éé');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('LIMIT');
    expect((error as EngineError).message).toBe(
      'qqq.csv sent more than its announced 4 bytes: the import was cancelled.',
    );
    expect(leftovers()).toEqual([]);
    expect(() => intake.chunk(ID, 'qqq.csv', 1, 'x')).toThrow(
      /^Import import-0001 was cancelled: qqq.csv sent more/,
    );
  });

  it('will not finish before every announced byte arrived, nor take chunks of a file not begun', async () => {
    intake.begin(ID, 'qqq.csv', Buffer.byteLength(DAILY));
    intake.chunk(ID, 'qqq.csv', 0, DAILY.slice(0, 10));
    expect(() => intake.chunk(ID, 'spy.csv', 0, 'x')).toThrow(
      'spy.csv was not begun in import import-0001: call import.begin first.',
    );
    await expect(intake.finish(ID)).rejects.toThrow(
      `qqq.csv: 10 of the announced ${Buffer.byteLength(DAILY)} bytes arrived; send the rest, then finish.`,
    );
    await expect(intake.finish('import-9999')).rejects.toThrow(/There is no import import-9999/);
  });

  it('writes into the engine store when the engine runs on the market database', async () => {
    const store = openStore(tmp.file('replay.sqlite'));
    const onEngineStore = createImportIntake({
      marketDbPath: tmp.file('market.sqlite'),
      store,
      log: createMemoryLogger(),
    });
    try {
      onEngineStore.begin(ID, 'qqq.csv', Buffer.byteLength(DAILY));
      onEngineStore.chunk(ID, 'qqq.csv', 0, DAILY);
      await onEngineStore.finish(ID);
      expect(store.bars.range('QQQ', '1D', { limit: 5 })).toHaveLength(2);
      expect(existsSync(tmp.file('market.sqlite'))).toBe(false);
    } finally {
      onEngineStore.close();
      store.close();
    }
  });

  it('never writes real bars into a demo world’s database', async () => {
    const demo = openStore(tmp.file('market.sqlite'));
    demo.settings.set(DEMO_WORLD_KEY, { seed: 42 });
    demo.close();
    send(ID, 'qqq.csv', DAILY);
    await expect(intake.finish(ID)).rejects.toThrow(/holds a generated demo world/);
    const after = openStore(tmp.file('market.sqlite'));
    try {
      expect(after.bars.count()).toBe(0);
    } finally {
      after.close();
    }
    expect(leftovers()).toEqual([]);
  });

  it('says so when another process holds the market database', async () => {
    const holder = runFixture('hold-store.ts', [tmp.file('market.sqlite')]);
    try {
      await holder.waitForLine(/^ready$/);
      send(ID, 'qqq.csv', DAILY);
      await expect(intake.finish(ID)).rejects.toThrow(
        `The market database ${tmp.file('market.sqlite')} is in use by another TRM Workstation process`,
      );
      expect(leftovers()).toEqual([]);
    } finally {
      holder.child.kill('SIGKILL');
      await holder.exited;
    }
  });

  it('removes every temporary file when the engine stops, and refuses new imports after', () => {
    send(ID, 'qqq.csv', DAILY.slice(0, 20));
    intake.begin('import-0002', 'spy.csv', 100);
    intake.close();
    expect(existsSync(uploads) ? readdirSync(uploads) : []).toEqual([]);
    expect(() => intake.begin('import-0003', 'x.csv', 1)).toThrow('The engine is stopping.');
  });
});

describe('ImportIntake, stopping', () => {
  it('fails an import in progress with a clear message when the engine stops, leaving no files behind', async () => {
    const slow = createImportIntake({
      marketDbPath: tmp.file('market.sqlite'),
      log: createMemoryLogger(),
      tempDir: uploads,
      batchRows: 400,
    });
    let stopped = false;
    slow.progress(ID, () => {
      if (stopped) return;
      stopped = true;
      slow.close(); // the engine stops after the first batch was written
    });
    const text = minuteCsv(minuteRows(['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07']));
    slow.begin(ID, 'SPY_1min.csv', Buffer.byteLength(text));
    slow.chunk(ID, 'SPY_1min.csv', 0, text);
    await expect(slow.finish(ID)).rejects.toThrow(
      'The engine stopped during the import: import the files again.',
    );
    expect(stopped).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it('refuses to start an import the engine is no longer there to run', async () => {
    send(ID, 'qqq.csv', DAILY);
    const finishing = intake.finish(ID);
    intake.close();
    await expect(finishing).rejects.toThrow('The engine is stopping.');
  });
});
