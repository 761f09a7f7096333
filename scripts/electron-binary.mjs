// Where the Electron binary is, or why there is none. Requiring the electron package would try to
// download the binary on the spot (electron >= 45), so read its path file instead.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** @returns {{ path: string } | { missing: string }} */
export function findElectron() {
  let packageDir;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, 'dist');
  const path = join(dist, relative || 'electron');
  if (!relative && !process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    return { missing: 'the Electron binary was not downloaded at install time' };
  }
  if (!existsSync(path)) return { missing: `the Electron binary is missing (${path})` };
  return { path };
}
