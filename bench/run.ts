/**
 * `npm run bench [name...]`: runs every bench/*.bench.ts (or the named ones) in turn.
 * Each benchmark module default-exports an async function that measures and calls report().
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => wanted.length === 0 || wanted.some((name) => file.startsWith(name)))
  .sort();

if (files.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}`);
  process.exit(1);
}

for (const file of files) {
  const module = (await import(pathToFileURL(join(here, file)).href)) as {
    default: () => Promise<void> | void;
  };
  console.log(`# ${file}`);
  await module.default();
}
