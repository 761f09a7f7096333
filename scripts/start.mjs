// `npm start`: the desktop app in demo mode. Where Electron cannot start (its binary could not be
// downloaded, or there is no display), it says so in one line and starts the web mode instead, which
// prints the address to open in a browser. Extra arguments pass through: npm start -- --speed 60
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureBuilt, root } from './ensure-built.mjs';
import { findElectron } from './electron-binary.mjs';

const args = process.argv.slice(2);
ensureBuilt('start');

function startWeb(reason) {
  console.log(`Electron cannot start here (${reason}); starting the web mode instead.`);
  const child = spawn(process.execPath, [join(root, 'bin', 'trm.mjs'), 'web', ...args], { stdio: 'inherit' });
  forwardSignals(child);
  child.on('exit', (code) => process.exit(code ?? 0));
}

function forwardSignals(child) {
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
}

const electron = findElectron();
const headless =
  process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY ? 'no display' : null;

if ('missing' in electron) startWeb(electron.missing);
else if (headless) startWeb(headless);
else {
  const startedAt = Date.now();
  const child = spawn(electron.path, [root, ...args], { stdio: 'inherit' });
  forwardSignals(child);
  child.on('error', (error) => startWeb(error.message));
  child.on('exit', (code, signal) => {
    // A crash within seconds of launch means Electron cannot run here (missing libraries, GPU, sandbox).
    if (code !== 0 && signal === null && Date.now() - startedAt < 5000)
      startWeb(`Electron exited with code ${code}`);
    else process.exit(code ?? 0);
  });
}
