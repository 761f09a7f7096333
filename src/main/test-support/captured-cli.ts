import { vi } from 'vitest';

export interface CliRun {
  stdout: string;
  stderr: string;
  /** process.exitCode after the run (undefined: success). */
  exitCode: unknown;
}

/**
 * Runs a CLI entry in-process (`main` of src/main/cli/index.ts) with `args`, capturing what it writes to
 * stdout and stderr; returns that and the exit code it set. The caller resets process.exitCode.
 */
export async function runCaptured(
  main: (args: readonly string[]) => Promise<void>,
  args: readonly string[],
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    await main(args);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return { stdout, stderr, exitCode: process.exitCode };
}
