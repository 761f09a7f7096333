import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './index';

afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

describe('trm', () => {
  it('exits 2 on a usage error, with the reason and the usage on stderr', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await main(['web', '--port', 'abc']);
    expect(process.exitCode).toBe(2);
    expect(stderr.mock.calls.join('')).toMatch(/--port must be a whole number/);
    process.exitCode = undefined;
    await main(['no-such-command']);
    expect(process.exitCode).toBe(2);
  });

  it('with no command, lists the commands on stderr and exits 2; --version prints the version', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await main([]);
    expect(process.exitCode).toBe(2);
    expect(stderr.mock.calls.join('')).toMatch(/Commands:[\s\S]*import/);
    process.exitCode = undefined;
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await main(['--version']);
    expect(process.exitCode ?? 0).toBe(0);
    expect(stdout.mock.calls.join('')).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('exits 0 for --help', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await main(['--help']);
    expect(process.exitCode ?? 0).toBe(0);
  });
});
