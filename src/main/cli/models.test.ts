import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readModelRegistry, type ModelEntry } from '../inference/model-registry';
import { runCaptured } from '../test-support/captured-cli';
import { writeBertFolder } from '../test-support/bert-folder';
import { startHubServer, type HubServer } from '../test-support/hf-server';
import { main } from './index';
import { modelsDir } from './models-run';

const trm = (...args: string[]) => runCaptured(main, args);
const root = mkdtempSync(join(tmpdir(), 'trm-models-cli-'));
const saved = { data: process.env.TRM_DATA_DIR, hub: process.env.TRM_HF_ENDPOINT };
process.env.TRM_DATA_DIR = join(root, 'data');

/** The registry's finbert entry, served by a loopback hub from a FinBERT-shaped fixture. */
const finbert = readModelRegistry(modelsDir()).models.find((m) => m.name === 'finbert') as ModelEntry & {
  origin: { kind: 'huggingface'; repo: string; revision: string; onnx: string };
};
let hub: HubServer;
beforeAll(async () => {
  const source = writeBertFolder(join(root, 'source'));
  const files = new Map<string, Uint8Array>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(relative(source, full).split('\\').join('/'), readFileSync(full));
    }
  };
  walk(source);
  // The registry pins an ONNX file of the repository (e.g. the quantised one); serve the fixture under that name.
  files.set(finbert.origin.onnx, files.get('onnx/model.onnx')!);
  const sha = finbert.origin.revision.padEnd(40, '0');
  hub = await startHubServer([{ repo: finbert.origin.repo, sha, files }]);
});
afterEach(() => {
  process.exitCode = undefined;
});
afterAll(async () => {
  await hub.close();
  for (const [key, value] of [
    ['TRM_DATA_DIR', saved.data],
    ['TRM_HF_ENDPOINT', saved.hub],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  rmSync(root, { recursive: true, force: true });
});

interface ListRow {
  name: string;
  task: string;
  installed: boolean;
  bytes: number;
  licence: string;
}
async function list(): Promise<ListRow[]> {
  const run = await trm('models', 'list', '--json');
  expect(run.exitCode, run.stderr).toBeUndefined();
  return (JSON.parse(run.stdout) as { models: ListRow[] }).models;
}

describe('trm models', () => {
  it('list shows each model with its task, whether it is installed, its size and licence', async () => {
    const rows = await list();
    expect(rows.find((r) => r.name === 'trm-default')).toMatchObject({ task: 'strategy', installed: true });
    expect(rows.find((r) => r.name === 'finbert')).toMatchObject({
      task: 'sentiment',
      installed: false,
      bytes: 0,
    });
    const table = await trm('models', 'list');
    expect(table.stdout).toMatch(/^name +task +installed +size +licence +origin$/m);
    expect(table.stdout).toMatch(/^trm-default \* +strategy +yes +[\d.]+ MB +MIT +shipped$/m);
  });

  it('fetch says plainly that the hub cannot be reached and which model is used instead (exit 1)', async () => {
    const closed = await startHubServer([]);
    await closed.close();
    process.env.TRM_HF_ENDPOINT = closed.endpoint;
    const run = await trm('models', 'fetch', 'finbert');
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe(
      `trm: cannot reach ${new URL(closed.endpoint).host} (no internet connection?): finbert is not installed; ` +
        'the workstation uses sentiment-default instead\n',
    );
  });

  it('fetch installs a hub model that list then shows and sentiment score uses by name', async () => {
    process.env.TRM_HF_ENDPOINT = hub.endpoint;
    const run = await trm('models', 'fetch', 'finbert');
    expect(run.exitCode, run.stderr).toBeUndefined();
    expect(run.stdout).toMatch(
      /^finbert installed in .*fetched\/finbert \(Xenova\/finbert@[0-9a-f]{12}, .* checksums verified\)\n$/,
    );
    expect((await list()).find((r) => r.name === 'finbert')).toMatchObject({ installed: true });
    const scored = await trm('sentiment', 'score', 'record profit', '--model', 'finbert', '--json');
    expect(scored.exitCode, scored.stderr).toBeUndefined();
    expect(JSON.parse(scored.stdout)).toMatchObject({ results: [{ label: 'positive' }] });
  });

  it('fetch refuses a name the registry does not know, and a shipped model', async () => {
    const unknown = await trm('models', 'fetch', 'gpt-5');
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain('no model named "gpt-5"');
    const shipped = await trm('models', 'fetch', 'trm-default');
    expect(shipped.exitCode).toBe(1);
    expect(shipped.stderr).toContain('ships with the workstation');
  });

  it('manifest confirms the shipped checksums are current', async () => {
    const run = await trm('models', 'manifest');
    expect(run.exitCode, run.stderr).toBeUndefined();
    expect(run.stdout).toBe('manifest.json is up to date\n');
  });
});
