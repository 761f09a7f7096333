import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultModelDir } from '../platform/paths';
import { writeBertFolder } from '../test-support/bert-folder';
import {
  ModelRegistrySchema,
  SHIPPED_FILES,
  describeFiles,
  installedModel,
  readModelRegistry,
  type ModelEntry,
  type ModelRegistry,
} from './model-registry';

const modelsDir = dirname(defaultModelDir());
const root = mkdtempSync(join(tmpdir(), 'model-registry-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('models/manifest.json', () => {
  const registry = readModelRegistry(modelsDir);

  it('lists the shipped models, FinBERT, a Twitter RoBERTa and a zero-shot NLI model, one default per task', () => {
    const names = registry.models.map((m) => m.name);
    expect(names).toEqual(
      expect.arrayContaining(['trm-default', 'sentiment-default', 'finbert', 'twitter-roberta']),
    );
    expect(registry.models.some((m) => m.task === 'zero-shot-catalysts')).toBe(true);
    for (const task of ['strategy', 'sentiment'] as const)
      expect(registry.models.filter((m) => m.task === task && m.default).map((m) => m.origin.kind)).toEqual([
        'shipped',
      ]);
  });

  it("holds the shipped folders' current sizes and sha256 (after a retrain: npm run models-manifest)", async () => {
    for (const entry of registry.models) {
      if (entry.origin.kind !== 'shipped') continue;
      const files = await describeFiles(join(modelsDir, entry.origin.dir), SHIPPED_FILES[entry.task]);
      expect(entry.files, `${entry.name} is stale: run npm run models-manifest`).toEqual(files);
    }
  });

  it('pins every hub model to a repository, a commit and an ONNX file, with the files a loader needs', () => {
    for (const entry of registry.models) {
      if (entry.origin.kind !== 'huggingface') continue;
      expect(entry.origin.revision).toMatch(/^[0-9a-f]{7,40}$/);
      expect(entry.files.map((f) => f.path).sort()).toEqual(
        ['config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json'].sort(),
      );
    }
  });
});

describe('ModelRegistrySchema', () => {
  const entry: ModelEntry = {
    name: 'a',
    task: 'sentiment',
    labels: ['negative', 'neutral', 'positive'],
    files: [],
    licence: 'MIT',
    origin: { kind: 'shipped', dir: 'a' },
    description: '',
    default: true,
  };
  const registry = (models: unknown[]): unknown => ({ notes: [], models });

  it('refuses a name listed twice, two defaults for a task, a bad sha256 and a path leaving the folder', () => {
    expect(ModelRegistrySchema.safeParse(registry([entry, { ...entry, default: false }])).success).toBe(
      false,
    );
    expect(ModelRegistrySchema.safeParse(registry([entry, { ...entry, name: 'b' }])).success).toBe(false);
    const file = { path: 'x', bytes: 1, sha256: 'abc' };
    expect(ModelRegistrySchema.safeParse(registry([{ ...entry, files: [file] }])).success).toBe(false);
    const outside = { path: '../x', bytes: 1, sha256: null };
    expect(ModelRegistrySchema.safeParse(registry([{ ...entry, files: [outside] }])).success).toBe(false);
    expect(ModelRegistrySchema.safeParse(registry([entry])).success).toBe(true);
  });

  it('names the file when it is not a registry', () => {
    writeFileSync(join(root, 'manifest.json'), JSON.stringify({ models: 'none' }));
    expect(() => readModelRegistry(root)).toThrow(
      /manifest\.json is not a model registry this version reads/,
    );
  });
});

describe('installedModel', () => {
  it('is installed when the files match, and says which file differs when one does not', async () => {
    const dir = writeBertFolder(join(root, 'models', 'fixture'), { version: 'v1' });
    const files = await describeFiles(dir, SHIPPED_FILES.sentiment);
    const entry: ModelEntry = {
      name: 'fixture',
      task: 'sentiment',
      labels: ['positive', 'negative', 'neutral'],
      files,
      licence: 'MIT',
      origin: { kind: 'shipped', dir: 'fixture' },
      description: '',
      default: false,
    };
    const registry: ModelRegistry = { notes: [], models: [entry] };
    expect(ModelRegistrySchema.parse(registry)).toBeTruthy();
    expect(await installedModel(entry, join(root, 'models'), root)).toMatchObject({ installed: true });
    writeFileSync(join(dir, 'tokenizer_config.json'), '{"model_max_length": 9}');
    const state = await installedModel(entry, join(root, 'models'), root);
    expect(state.installed).toBe(false);
    expect(state.problem).toMatch(/tokenizer_config\.json (has \d+ bytes|does not match its sha256)/);
  });
});
