// The layer rules catch a violation at any folder depth, in lint and in the pure layers' compile.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { layerBoundaries } from '../eslint.config.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Lints `code` as if it stood at `path`, with the project's layer rules only. */
async function layerErrors(path, code) {
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.{ts,tsx}'], languageOptions: { parser: tseslint.parser } },
      layerBoundaries,
    ],
  });
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layer rules', () => {
  it('refuses core importing the store or the engine, two folders deep', async () => {
    const errors = await layerErrors(
      'src/main/core/synthetic/deeper/probe.ts',
      "import type { Store } from '../../../store/store';\nimport { Engine } from '../../../engine/kernel';\nexport const x = (s: Store) => [s, Engine];\n",
    );
    expect(errors).toEqual([
      expect.stringMatching(/boundaries\/dependencies: .*"core" to .*"store"/),
      expect.stringMatching(/boundaries\/dependencies: .*"core" to .*"engine"/),
    ]);
  });

  it('refuses an adapter importing another adapter or the engine, and the renderer importing main', async () => {
    expect(
      await layerErrors(
        'src/main/market/alpaca/probe.ts',
        "import { openStore } from '../../store/store';\nexport const x = openStore;\n",
      ),
    ).toEqual([expect.stringMatching(/"market" to .*"store"/)]);
    expect(
      await layerErrors(
        'src/main/store/probe.ts',
        "import { Engine } from '../engine/kernel';\nexport const x = Engine;\n",
      ),
    ).toEqual([expect.stringMatching(/"store" to .*"engine"/)]);
    expect(
      await layerErrors(
        'src/renderer/panes/probe.ts',
        "import { Engine } from '../../main/engine/kernel';\nexport const x = Engine;\n",
      ),
    ).toEqual([expect.stringMatching(/"renderer" to .*"engine"/)]);
  });

  it('allows what the architecture allows', async () => {
    expect(
      await layerErrors(
        'src/main/engine/probe.ts',
        "import { openStore } from '../store/store';\nimport { nyseCalendar } from '../core/calendar';\nexport const x = [openStore, nyseCalendar];\n",
      ),
    ).toEqual([]);
    expect(
      await layerErrors(
        'src/main/core/synthetic/probe.ts',
        "import { TIMEFRAMES } from '../../../shared/domain';\nexport const x = TIMEFRAMES;\n",
      ),
    ).toEqual([]);
  });

  it('fails the pure layers’ compile when a type import drags Node types into core', () => {
    const check = spawnSync(
      process.execPath,
      [join(root, 'scripts', 'check-layers.mjs'), 'scripts/test-fixtures/layers/tsconfig.json'],
      { cwd: root, encoding: 'utf8' },
    );
    expect(check.status).toBe(1);
    expect(check.stderr).toMatch(/node_modules\/@types\/node\//);
    expect(check.stderr).toMatch(/src\/main\/store\/store\.ts/);
    // And the project's own layers pass the same check.
    const clean = spawnSync(process.execPath, [join(root, 'scripts', 'check-layers.mjs')], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(clean.stderr).toBe('');
    expect(clean.status).toBe(0);
  });
});
