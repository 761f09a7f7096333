// Root postinstall: fetches what dependency install scripts would download (package.json allowScripts
// denies those scripts, because one failing download rolls back a whole offline install). Each step
// only WARNS when it cannot download, saying what is missing and what still works; it never fails.
//
//   1. the Electron binary (electron's own install.js);
//   2. better-sqlite3 built for Electron's ABI, beside the Node build (the CLI and tests keep theirs);
//   3. ONNX Runtime's CUDA execution provider (onnxruntime-node's install script, from NuGet).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './ensure-built.mjs';
import { findElectron } from './electron-binary.mjs';

const modules = join(root, 'node_modules');
const TIMEOUT_MS = 5 * 60_000;

if (process.env.TRM_SKIP_DOWNLOADS) {
  console.log('postinstall: TRM_SKIP_DOWNLOADS is set; not downloading Electron or the CUDA provider');
  process.exit(0);
}

function warn(lines) {
  console.warn(`\npostinstall warning: ${lines.join('\n  ')}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: TIMEOUT_MS,
    ...options,
  });
  const lines = `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').map((line) => line.trim());
  // The first error line says why (a stack trace follows it); else the last thing printed.
  const reason =
    lines.find((line) => /^\w*Error\b|ERR!|ENOTFOUND|ECONNREFUSED/.test(line)) ??
    lines.filter(Boolean).pop() ??
    result.error?.message ??
    `exit code ${result.status}`;
  return { ok: result.status === 0, lastLine: reason };
}

// 1. Electron binary
function installElectron() {
  if ('path' in findElectron()) return true;
  const installer = join(modules, 'electron', 'install.js');
  if (!existsSync(installer)) return false;
  const { ok, lastLine } = run(process.execPath, [installer], { cwd: join(modules, 'electron') });
  if (ok && 'path' in findElectron()) {
    console.log('postinstall: Electron binary installed');
    return true;
  }
  warn([
    `the Electron binary could not be downloaded (${lastLine}).`,
    '`npm start` will start the web mode and print a localhost address to open in a browser;',
    'the engine, the CLI (`npx trm ...`) and every test of the web mode work without it.',
    'To install it later, with internet access: npm run postinstall',
  ]);
  return false;
}

// 2. better-sqlite3 for Electron's ABI, built in a copy so the Node build stays in place.
function buildSqliteForElectron() {
  const electronVersion = JSON.parse(readFileSync(join(modules, 'electron', 'package.json'), 'utf8')).version;
  const targetDir = join(modules, '.trm-electron');
  const target = join(targetDir, `better_sqlite3-electron-${electronVersion}.node`);
  if (existsSync(target)) return;
  const work = mkdtempSync(join(tmpdir(), 'trm-sqlite-electron-'));
  try {
    const copy = join(work, 'better-sqlite3');
    cpSync(join(modules, 'better-sqlite3'), copy, {
      recursive: true,
      filter: (source) => !source.includes(`${join('better-sqlite3', 'build')}`),
    });
    const electronArgs = [`--runtime=electron`, `--target=${electronVersion}`, `--arch=${process.arch}`];
    const prebuild = join(modules, 'prebuild-install', 'bin.js');
    let result = run(process.execPath, [prebuild, ...electronArgs], { cwd: copy });
    if (!result.ok && process.env.npm_config_node_gyp) {
      result = run(
        process.execPath,
        [
          process.env.npm_config_node_gyp,
          'rebuild',
          '--release',
          ...electronArgs,
          '--dist-url=https://electronjs.org/headers',
        ],
        { cwd: copy },
      );
    }
    const built = join(copy, 'build', 'Release', 'better_sqlite3.node');
    if (!result.ok || !existsSync(built)) {
      warn([
        `better-sqlite3 could not be built for Electron ${electronVersion} (${result.lastLine}).`,
        'The Electron app will not open its database; the web mode (npx trm web) is unaffected.',
      ]);
      return;
    }
    mkdirSync(targetDir, { recursive: true });
    cpSync(built, target);
    console.log(`postinstall: better-sqlite3 built for Electron ${electronVersion}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// 3. ONNX Runtime CUDA execution provider
function installCudaProvider() {
  const installer = join(modules, 'onnxruntime-node', 'script', 'install.js');
  if (!existsSync(installer)) return;
  if (
    !(process.platform === 'linux' && process.arch === 'x64') &&
    !(process.platform === 'win32' && process.arch === 'x64')
  ) {
    return; // ONNX Runtime publishes its CUDA provider for x64 Linux and Windows only
  }
  // Its script skips itself when it believes it is being developed locally (npm_package_json pointing at
  // the root package): run it as a dependency install would.
  const env = { ...process.env };
  delete env.npm_package_json;
  delete env.npm_config_local_prefix;
  const { ok, lastLine } = run(process.execPath, [installer], {
    cwd: join(modules, 'onnxruntime-node'),
    env,
  });
  if (ok) {
    console.log('postinstall: ONNX Runtime CUDA provider present');
    return;
  }
  warn([
    `ONNX Runtime's CUDA execution provider could not be downloaded (${lastLine}).`,
    'Inference will run on the CPU provider bundled with onnxruntime-node; nothing else is affected.',
  ]);
}

if (installElectron()) buildSqliteForElectron();
installCudaProvider();
