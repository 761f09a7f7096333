/**
 * Runs the `trm` command from source (through tsx) as a separate process, as a user would, and collects
 * what it prints.
 *
 * tsx is loaded into the one node process with `--import` rather than through its `cli.mjs`: that
 * launcher is a second process that relays a signal and, when the child has not acknowledged it within
 * 30 ms (a loaded CI machine), SIGKILLs it and exits 143 itself, so a clean SIGTERM shutdown would be
 * tested only when the machine was idle.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

export interface TrmProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  /** Waits until stdout matches `pattern`; rejects if the process exits first or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

export function runTrm(args: readonly string[], env: Record<string, string>): TrmProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src', 'main', 'cli', 'index.ts'), ...args],
    {
      cwd: root,
      env: { ...process.env, TRM_LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  let done = false;
  void exited.then(() => (done = true));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: async (pattern, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(out)) {
        if (done) throw new Error(`trm exited before printing ${pattern}:\n${out}\n${err}`);
        if (Date.now() > deadline) throw new Error(`trm did not print ${pattern} in time:\n${out}\n${err}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}
