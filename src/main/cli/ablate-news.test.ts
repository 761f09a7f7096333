import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCaptured } from '../test-support/captured-cli';
import { main } from './index';

const trm = (...args: string[]) => runCaptured(main, args);
const dir = mkdtempSync(join(tmpdir(), 'trm-ablate-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = undefined;
});

describe('trm ablate-news', () => {
  it('refuses bad seeds and widths with the usage', async () => {
    const seeds = await trm('ablate-news', '--news', 'n.csv', '--data', dir, '--seeds', '1,x');
    expect(seeds.exitCode).toBe(2);
    expect(seeds.stderr).toMatch(/--seeds/);
    const widths = await trm('ablate-news', '--news', 'n.csv', '--data', dir, '--widths', '4');
    expect(widths.exitCode).toBe(2);
    expect(widths.stderr).toMatch(/--widths must be whole numbers from 8 to 256/);
  });

  it('refuses an unknown sentiment model and an unreadable card before any work', async () => {
    const model = await trm('ablate-news', '--news', 'n.csv', '--data', dir, '--model', 'no-such-model');
    expect(model.exitCode).toBe(2);
    expect(model.stderr).toMatch(/--model no-such-model is neither a folder nor a model in the registry/);
    const card = await trm(
      'ablate-news',
      '--news',
      'n.csv',
      '--data',
      dir,
      '--model',
      dir,
      '--card',
      join(dir, 'none.md'),
    );
    expect(card.exitCode).toBe(2);
    expect(card.stderr).toMatch(/cannot read the model card .*none\.md .*give --card or --no-write/);
  });
});
