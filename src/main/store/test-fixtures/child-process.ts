/**
 * Runs a fixture in a child Node process for tests that need a real second process (file locks, kills).
 * Node loads tsx as an import hook rather than through the `tsx` CLI, because the CLI runs the script
 * in a grandchild: a SIGKILL to the CLI would leave the real writer running and holding the lock.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export interface FixtureProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Every stdout line so far (complete lines only). */
  readonly lines: string[];
  /** Resolves with the first line (past or future) matching `pattern`; rejects if the child exits first. */
  waitForLine(pattern: RegExp): Promise<string>;
  /** Resolves when the child has exited and its stdout is drained. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runFixture(name: string, args: readonly string[]): FixtureProcess {
  const script = fileURLToPath(new URL(`./${name}`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: repoRoot });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  let partial = '';
  let stderr = '';
  let closed = false;

  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (let i = waiters.length - 1; i >= 0; i--) {
        const waiter = waiters[i]!;
        if (waiter.pattern.test(line)) {
          waiters.splice(i, 1);
          waiter.resolve(line);
        }
      }
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      closed = true;
      for (const waiter of waiters.splice(0)) {
        waiter.reject(
          new Error(`${name} exited (${code ?? signal}) before ${waiter.pattern}; stderr:\n${stderr}`),
        );
      }
      resolve({ code, signal });
    });
  });

  return {
    child,
    lines,
    exited,
    waitForLine: (pattern) =>
      new Promise((resolve, reject) => {
        const seen = lines.find((line) => pattern.test(line));
        if (seen !== undefined) resolve(seen);
        else if (closed) reject(new Error(`${name} already exited; stderr:\n${stderr}`));
        else waiters.push({ pattern, resolve, reject });
      }),
  };
}
