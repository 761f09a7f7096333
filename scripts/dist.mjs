// `npm run dist`: the Linux packages (AppImage and deb, in out/dist/) with electron-builder
// (electron-builder.yml). Checks first what packaging needs and this machine may lack, and stops with one
// message saying what to do: the Electron binary and better-sqlite3 built for Electron's ABI both come from
// the internet through our postinstall. Arguments pass to electron-builder (`npm run dist -- --dir`:
// the unpacked app only, which needs no further download).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './ensure-built.mjs';
import { findElectron } from './electron-binary.mjs';

const electronVersion = JSON.parse(
  readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8'),
).version;
const sqliteForElectron = join(
  root,
  'node_modules',
  '.trm-electron',
  `better_sqlite3-electron-${electronVersion}.node`,
);

const electron = findElectron();
const missing =
  'missing' in electron
    ? `the Electron ${electronVersion} binary is not installed (${electron.missing})`
    : !existsSync(sqliteForElectron)
      ? `better-sqlite3 is not built for Electron ${electronVersion} (no ${sqliteForElectron})`
      : null;
if (missing !== null) {
  console.error(
    `npm run dist: cannot package: ${missing}. Both are fetched by our postinstall, which needs internet ` +
      'access: run `npm run postinstall` on a connected machine, then `npm run dist` again.',
  );
  process.exit(1);
}

function step(command, args) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

step('npm', ['run', 'build']);
console.log(
  'npm run dist: electron-builder downloads its AppImage and deb tools on first use (internet); ' +
    '`npm run dist -- --dir` makes the unpacked app only.',
);
step(join(root, 'node_modules', '.bin', 'electron-builder'), ['--linux', ...process.argv.slice(2)]);
