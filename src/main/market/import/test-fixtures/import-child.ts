/**
 * Child process for the kill-and-resume test: imports the files given on the command line into a
 * database and prints `committed <n>` (a synchronous write, after the transaction returned) per batch,
 * so the parent knows what is durable when it kills this process.
 */
import { writeSync } from 'node:fs';
import { openStore } from '../../../store/store';
import { importFiles } from '../importer';

const [db, batchRows, ...files] = process.argv.slice(2);
if (!db || !batchRows || files.length === 0)
  throw new Error('usage: import-child.ts <db> <batch rows> <file>...');
const store = openStore(db);
let n = 0;
const journal = store.imports;
await importFiles(
  files.map((path) => ({ path })),
  {
    batchRows: Number(batchRows),
    target: {
      fileState: (path) => journal.fileState(path),
      startFile: (path, identity) => journal.startFile(path, identity),
      forget: (path) => journal.forget(path),
      commit: (batch) => {
        journal.commit(batch);
        writeSync(1, `committed ${n++}\n`);
      },
    },
  },
);
store.close();
writeSync(1, 'done\n');
