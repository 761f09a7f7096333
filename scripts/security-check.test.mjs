// `npm run security`: the allow-list filter (which findings fail, which are explained, which entries are
// stale), and the whole check run over a deliberately insecure main process, which must fail.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyAllowList, summarise } from './security-allow.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const finding = (check, file, severity = 'MEDIUM') => ({ check, file, line: 3, severity });
const entry = (check, file, reason = 'reviewed: safe because ...') => ({ check, file, reason });

describe('the allow-list filter', () => {
  it('fails a finding above informational that no entry explains', () => {
    const result = applyAllowList([finding('NODE_INTEGRATION_JS_CHECK', 'src/main/index.ts')], []);
    expect(result.failures).toHaveLength(1);
    const { lines, ok } = summarise(result);
    expect(ok).toBe(false);
    expect(lines.join('\n')).toContain('FAIL NODE_INTEGRATION_JS_CHECK (MEDIUM) at src/main/index.ts:3');
  });

  it('passes a finding explained by an entry for the same check and file, and only that file', () => {
    const entries = [entry('PRELOAD_JS_CHECK', 'src/main/index.ts')];
    const allowed = applyAllowList([finding('PRELOAD_JS_CHECK', 'src/main/index.ts')], entries);
    expect(summarise(allowed).ok).toBe(true);
    expect(summarise(allowed).lines).toContain('PRELOAD_JS_CHECK (MEDIUM): 1 (all allowed)');
    const elsewhere = applyAllowList(
      [finding('PRELOAD_JS_CHECK', 'src/main/index.ts'), finding('PRELOAD_JS_CHECK', 'src/main/other.ts')],
      entries,
    );
    expect(elsewhere.failures.map((f) => f.file)).toEqual(['src/main/other.ts']);
    expect(summarise(elsewhere).ok).toBe(false);
  });

  it('lets informational findings through without an entry', () => {
    const result = applyAllowList([finding('SOME_CHECK', 'src/x.ts', 'INFORMATIONAL')], []);
    expect(summarise(result).ok).toBe(true);
    expect(summarise(result).lines.at(-1)).toBe('total: 1 findings, 0 allowed, 1 informational, 0 failing');
  });

  it('reports, and fails on, a stale entry that matches no finding and an entry without a reason', () => {
    const stale = summarise(applyAllowList([], [entry('OPEN_EXTERNAL_JS_CHECK', 'src/main/index.ts')]));
    expect(stale.ok).toBe(false);
    expect(stale.lines.join('\n')).toContain(
      'STALE allow-list entry OPEN_EXTERNAL_JS_CHECK for src/main/index.ts matches no finding',
    );
    const bare = applyAllowList(
      [finding('CSP_GLOBAL_CHECK', 'a.html', 'LOW')],
      [entry('CSP_GLOBAL_CHECK', 'a.html', ' ')],
    );
    expect(bare.unexplained).toHaveLength(1);
    expect(summarise(bare).ok).toBe(false);
  });
});

describe('npm run security', () => {
  it('fails on a window without context isolation or sandbox, navigation limits or permission handler', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trm-security-'));
    try {
      writeFileSync(
        join(dir, 'main.ts'),
        "import { BrowserWindow } from 'electron';\n" +
          'export const window: BrowserWindow = new BrowserWindow({\n' +
          '  webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false },\n' +
          '});\n',
      );
      writeFileSync(join(dir, 'allow.json'), JSON.stringify({ entries: [] }));
      const result = spawnSync(
        process.execPath,
        [
          join(root, 'scripts', 'security-check.mjs'),
          '--input',
          dir,
          '--allow-list',
          join(dir, 'allow.json'),
        ],
        { encoding: 'utf8', timeout: 120_000 },
      );
      expect(result.status).toBe(1);
      expect(result.stdout).toContain('FAIL CONTEXT_ISOLATION_JS_CHECK (HIGH)');
      expect(result.stdout).toContain('FAIL SANDBOX_JS_CHECK (MEDIUM)');
      // No will-navigate handler and no permission handler anywhere: the global checks say so.
      expect(result.stdout).toContain('FAIL LIMIT_NAVIGATION_GLOBAL_CHECK (HIGH)');
      expect(result.stdout).toContain('FAIL PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK (MEDIUM)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
