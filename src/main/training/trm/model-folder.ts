/**
 * Writes a model folder: model.onnx (the exported EMA weights) and manifest.json (what inference needs
 * to use the graph: features, normalisation, strategies, the recursion's shape, I/O names, provenance).
 * The manifest is validated before anything is written and written last, so a folder with a manifest
 * is complete; each file is written to a temporary name and renamed over the old one.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { STRATEGY_IDS } from '../../../shared/domain';
import { MODEL_FORMAT, ModelManifestSchema, type ModelManifest } from '../../core/signals/model-manifest';
import { LAYERS } from './config';
import { exportTrmOnnx, TRM_IO } from './onnx-export';
import type { TrainedTrmData } from './trainer';

/** The manifest's fields that training does not know (the data's window and statistics). */
export type ManifestFields = Omit<
  ModelManifest,
  'format' | 'version' | 'createdAt' | 'features' | 'strategies' | 'architecture' | 'io' | 'training'
> & {
  training: { from: string; to: string };
  /** Default "trm-<training.to without dashes>-<first 6 hex digits of model.onnx's SHA-256>". */
  version?: string;
  /** ISO 8601; default now. */
  createdAt?: string;
};

/**
 * Exports `trained` (N_inf = its config's inferSteps) into `dir` (created if missing) with a complete
 * manifest. Resolves with the manifest written. Throws (before writing anything) when the fields do not
 * make a valid manifest, e.g. normalisation arrays of the wrong length.
 */
export async function writeModelFolder(
  dir: string,
  trained: Pick<TrainedTrmData, 'config' | 'features' | 'weights' | 'samples' | 'epochsRun'>,
  fields: ManifestFields,
): Promise<ModelManifest> {
  const onnx = exportTrmOnnx(trained);
  const hash = createHash('sha256').update(onnx).digest('hex').slice(0, 6);
  const { version, createdAt, training, ...rest } = fields;
  const manifest = ModelManifestSchema.parse({
    ...rest,
    format: MODEL_FORMAT,
    version: version ?? `trm-${training.to.replaceAll('-', '')}-${hash}`,
    createdAt: createdAt ?? new Date().toISOString(),
    features: trained.features,
    strategies: [...STRATEGY_IDS],
    architecture: {
      width: trained.config.width,
      hidden: trained.config.hidden,
      layers: LAYERS,
      cycles: trained.config.cycles,
      latentSteps: trained.config.latentSteps,
      steps: trained.config.inferSteps,
    },
    io: { ...TRM_IO },
    training: {
      from: training.from,
      to: training.to,
      samples: trained.samples,
      seed: trained.config.seed,
      epochs: trained.epochsRun,
    },
  } satisfies ModelManifest);
  const f = trained.features.length;
  if (manifest.normalisation.mean.length !== f || manifest.normalisation.sd.length !== f) {
    throw new Error(
      `normalisation needs ${f} means and sds (one per feature), got ` +
        `${manifest.normalisation.mean.length} and ${manifest.normalisation.sd.length}`,
    );
  }
  await mkdir(dir, { recursive: true });
  await replaceFile(join(dir, 'model.onnx'), onnx);
  await replaceFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

async function replaceFile(file: string, data: Uint8Array | string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}
