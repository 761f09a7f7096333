import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelManifestSchema } from '../../core/signals/model-manifest';
import { FEATURE_IDS, STRATEGY_IDS } from '../../../shared/domain';
import { resolveTrmConfig } from './config';
import { writeModelFolder } from './model-folder';
import { initTrmWeights } from './weights';

describe('writeModelFolder', () => {
  const root = mkdtempSync(join(tmpdir(), 'trm-folder-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const features = FEATURE_IDS.slice(0, 4);
  const trained = {
    config: resolveTrmConfig({ width: 16, seed: 9, trainSteps: 2 }),
    features,
    weights: initTrmWeights({ features: 4, width: 16, hidden: 32 }, 9),
    samples: 1234,
    epochsRun: 17,
  };
  const fields = {
    normalisation: { mean: [0, 1, 2, 3], sd: [1, 1, 2, 2] },
    horizon: 20,
    training: { from: '2006-01-03', to: '2019-12-31' },
  };

  it('writes model.onnx and a complete, valid manifest.json', async () => {
    const dir = join(root, 'm');
    const written = await writeModelFolder(dir, trained, {
      ...fields,
      createdAt: '2026-11-30T00:00:00.000Z',
    });
    const manifest = ModelManifestSchema.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
    expect(manifest).toEqual(written);
    expect(manifest).toMatchObject({
      format: 'trm-onnx-1',
      createdAt: '2026-11-30T00:00:00.000Z',
      features,
      strategies: [...STRATEGY_IDS],
      horizon: 20,
      architecture: { width: 16, hidden: 32, layers: 2, cycles: 3, latentSteps: 6, steps: 2 },
      io: {
        input: 'features',
        probabilities: 'probabilities',
        halt: 'halt',
        cycleProbabilities: 'cycle_probabilities',
        cycleHalt: 'cycle_halt',
      },
      training: { from: '2006-01-03', to: '2019-12-31', samples: 1234, seed: 9, epochs: 17 },
    });
    expect(manifest.version).toMatch(/^trm-20191231-[0-9a-f]{6}$/);
    expect(readFileSync(join(dir, 'model.onnx')).length).toBeGreaterThan(10_000);
  });

  it('writes nothing when the fields do not make a valid manifest', async () => {
    const dir = join(root, 'bad');
    await expect(
      writeModelFolder(dir, trained, { ...fields, normalisation: { mean: [0], sd: [1] } }),
    ).rejects.toThrow(/normalisation needs 4 means and sds/);
    await expect(writeModelFolder(dir, trained, { ...fields, horizon: 0 })).rejects.toThrow();
    expect(existsSync(dir)).toBe(false);
  });
});
