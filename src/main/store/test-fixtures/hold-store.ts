/**
 * Child process for the single-writer test: opens the store given on the command line and keeps it open
 * until killed. Prints `ready` once it holds the lock, or `error <name>: <message>` if opening failed.
 */
import { writeSync } from 'node:fs';
import { openStore } from '../store';

const path = process.argv[2];
if (!path) throw new Error('usage: hold-store.ts <db path>');
try {
  const store = openStore(path);
  writeSync(1, 'ready\n');
  // Keep the store referenced: a collected connection would be closed and its lock released.
  setInterval(() => store.path, 60_000);
} catch (error) {
  const { name, message } = error as Error;
  writeSync(1, `error ${name}: ${message}\n`);
  process.exitCode = 3;
}
