// Builds the workstation (electron-vite build) when out/ is missing or older than the sources, so the
// start commands work right after `npm install` and after every edit.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outputs = [
  join(root, 'out', 'main', 'cli.js'),
  join(root, 'out', 'main', 'index.js'),
  join(root, 'out', 'preload', 'index.cjs'),
  join(root, 'out', 'renderer', 'index.html'),
];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function isStale() {
  if (!outputs.every((file) => existsSync(file))) return true;
  const sources = join(root, 'src');
  if (!existsSync(sources)) return false; // a packaged app ships out/ only
  const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  return newestMtime(sources) > built || statSync(join(root, 'electron.vite.config.ts')).mtimeMs > built;
}

/** Returns normally when out/ is current; exits the process with a message when it cannot build. */
export function ensureBuilt(prefix = 'trm') {
  if (!isStale()) return;
  const builder = join(
    root,
    'node_modules',
    '.bin',
    process.platform === 'win32' ? 'electron-vite.cmd' : 'electron-vite',
  );
  if (!existsSync(builder)) {
    console.error(
      `${prefix}: the workstation is not built and electron-vite is not installed: run "npm install" first`,
    );
    process.exit(1);
  }
  console.error(`${prefix}: building the workstation (electron-vite build)...`);
  const result = spawnSync(builder, ['build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) {
    console.error(`${prefix}: the build failed; run "npm run build" to see why`);
    process.exit(1);
  }
}
