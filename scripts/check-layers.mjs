// The pure layers (src/shared and src/main/core) must compile with no Node and no DOM types, whatever
// they import. `types: []` in tsconfig.layers.json is not enough on its own: a type import of, say, the
// store pulls in better-sqlite3's typings, which reference @types/node, and then `setTimeout` and
// `process` compile in core. So this lists every file the layers' program holds and fails on any file
// from outside those layers and their allowed packages. Exit 1 with one line per offending file.
import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** What the pure layers may hold: themselves, TypeScript's own ES libs, and these packages' typings. */
const ALLOWED = [
  /^src\/shared\//,
  /^src\/main\/core\//,
  /^node_modules\/typescript\/lib\/lib\.es[\w.]*\.d\.ts$/,
  /^node_modules\/typescript\/lib\/lib\.decorators[\w.]*\.d\.ts$/,
  /^node_modules\/zod\//,
  /^node_modules\/pure-rand\//,
];

export function offendingFiles(files) {
  return files.filter((file) => !ALLOWED.some((pattern) => pattern.test(file)));
}

function listFiles(project) {
  const tsc = spawnSync(
    process.execPath,
    [
      fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url)),
      '-p',
      project,
      '--listFilesOnly',
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (tsc.status !== 0) throw new Error(`tsc --listFilesOnly failed:\n${tsc.stdout}${tsc.stderr}`);
  return tsc.stdout
    .split('\n')
    .filter(Boolean)
    .map((file) => relative(root, file).split('\\').join('/'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const project = process.argv[2] ?? 'tsconfig.layers.json';
  const bad = offendingFiles(listFiles(project));
  if (bad.length > 0) {
    console.error(
      `${project}: the pure layers (src/shared, src/main/core) pull in files they must not see ` +
        '(Node or DOM types, or another layer):',
    );
    for (const file of bad) console.error(`  ${file}`);
    process.exit(1);
  }
}

export { listFiles };
