/**
 * Loads a TRM model folder (manifest.json + model.onnx) as the engine's StrategyModel: the manifest is
 * validated, the graph's inputs and outputs are checked against it, and one session is opened and
 * warmed, so the first prediction does not pay for ONNX Runtime's lazy initialisation.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { ModelManifestSchema, type ModelManifest } from '../core/signals/model-manifest';
import type { Logger } from '../platform/log';
import { createOnnxSession, type ExecutionProvider } from './onnx-runtime';

const CLASSES = 8;

/** Structurally the engine's StrategyModel (engine/ports.ts); outputs are row-major float32. */
export interface LoadedStrategyModel {
  readonly manifest: ModelManifest;
  readonly provider: ExecutionProvider;
  run(
    input: Float32Array,
    rows: number,
  ): Promise<{
    probabilities: Float32Array;
    halt: Float32Array;
    cycleProbabilities: Float32Array;
    cycleHalt: Float32Array;
  }>;
  close(): Promise<void>;
}

export interface LoadOptions {
  log: Logger;
  /** Providers in order of preference; default ['cuda', 'cpu']. */
  providers?: readonly ExecutionProvider[];
}

async function readManifest(dir: string): Promise<ModelManifest> {
  const file = join(dir, 'manifest.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT'
        ? `${file} does not exist: a model folder holds manifest.json and model.onnx (trm train writes both)`
        : `cannot read ${file}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}); train the model again`, {
      cause: error,
    });
  }
  const parsed = ModelManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`)
      .join('; ');
    throw new Error(
      `${file} is not a TRM model manifest this version reads (${issues}); train the model again`,
    );
  }
  const manifest = parsed.data;
  const f = manifest.features.length;
  if (manifest.normalisation.mean.length !== f || manifest.normalisation.sd.length !== f) {
    throw new Error(
      `${file}: normalisation has ${manifest.normalisation.mean.length} means and ` +
        `${manifest.normalisation.sd.length} sds for ${f} features`,
    );
  }
  return manifest;
}

/** Throws when the session's graph does not have the manifest's inputs and outputs in the expected shapes. */
function checkGraph(session: ort.InferenceSession, manifest: ModelManifest, file: string): void {
  const { io, architecture } = manifest;
  const cycles = architecture.steps * architecture.cycles;
  const expected: [string, (number | null)[]][] = [
    [io.probabilities, [null, CLASSES]],
    [io.halt, [null]],
    [io.cycleProbabilities, [null, cycles, CLASSES]],
    [io.cycleHalt, [null, cycles]],
  ];
  const describe = (metadata: readonly ort.InferenceSession.ValueMetadata[]): string =>
    metadata.map((m) => (m.isTensor ? `${m.name} [${m.shape.join(', ')}]` : m.name)).join(', ');
  const fits = (m: ort.InferenceSession.ValueMetadata | undefined, dims: (number | null)[]): boolean =>
    m !== undefined &&
    m.isTensor &&
    m.type === 'float32' &&
    m.shape.length === dims.length &&
    dims.every((d, k) => d === null || m.shape[k] === d);
  const input = session.inputMetadata.find((m) => m.name === io.input);
  if (session.inputNames.length !== 1 || !fits(input, [null, manifest.features.length])) {
    throw new Error(
      `${file} does not match its manifest: expected one input ${io.input} [batch, ` +
        `${manifest.features.length}], the graph has ${describe(session.inputMetadata)}`,
    );
  }
  for (const [name, dims] of expected) {
    if (
      !fits(
        session.outputMetadata.find((m) => m.name === name),
        dims,
      )
    ) {
      throw new Error(
        `${file} does not match its manifest: expected output ${name} ` +
          `[${dims.map((d) => d ?? 'batch').join(', ')}], the graph has ${describe(session.outputMetadata)}`,
      );
    }
  }
}

/**
 * Loads the model in `dir`. Rejects with a message naming the file at fault when manifest.json is
 * missing, not JSON or not a manifest of this format, or when model.onnx is missing, cannot be loaded
 * or does not have the manifest's inputs and outputs. Logs one line saying which provider runs it.
 *
 * `run(input, rows)` takes [rows, F] z-scores in the manifest's feature order and resolves with
 * `probabilities` [rows, 8], `halt` [rows], `cycleProbabilities` [rows, steps·cycles, 8] and
 * `cycleHalt` [rows, steps·cycles]; it throws when `input.length !== rows · F` or after `close()`.
 */
export async function loadStrategyModel(dir: string, options: LoadOptions): Promise<LoadedStrategyModel> {
  const manifest = await readManifest(dir);
  const file = join(dir, 'model.onnx');
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT'
        ? `${file} does not exist: the model folder is incomplete; train the model again`
        : `cannot read ${file}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  let opened;
  try {
    opened = await createOnnxSession(bytes, {
      label: `strategy model ${manifest.version}`,
      log: options.log,
      // One thread: a batch of a few hundred rows takes milliseconds, and a thread pool's spinning
      // workers would compete with the engine for the cores (measured on 2 loaded cores: one thread
      // was as fast at batch 1 and faster at batch 256).
      intraOpThreads: 1,
      ...(options.providers ? { providers: options.providers } : {}),
    });
  } catch (error) {
    throw new Error(
      `${file} cannot be loaded by ONNX Runtime (${(error as Error).message.split('\n')[0]}); train the model again`,
      { cause: error },
    );
  }
  const { session, provider } = opened;
  try {
    checkGraph(session, manifest, file);
  } catch (error) {
    await session.release();
    throw error;
  }

  const f = manifest.features.length;
  const cycles = manifest.architecture.steps * manifest.architecture.cycles;
  const { io } = manifest;
  const fetches = [io.probabilities, io.halt, io.cycleProbabilities, io.cycleHalt];
  let closed = false;

  const run = async (input: Float32Array, rows: number) => {
    if (closed) throw new Error(`strategy model ${manifest.version} is closed`);
    if (!Number.isInteger(rows) || rows < 0 || input.length !== rows * f) {
      throw new Error(
        `strategy model ${manifest.version} takes ${f} values per row: ${rows} rows need ` +
          `${Number.isInteger(rows) && rows >= 0 ? rows * f : 'a whole number of'} values, got ${input.length}`,
      );
    }
    if (rows === 0) {
      return {
        probabilities: new Float32Array(0),
        halt: new Float32Array(0),
        cycleProbabilities: new Float32Array(0),
        cycleHalt: new Float32Array(0),
      };
    }
    const out = await session.run({ [io.input]: new ort.Tensor('float32', input, [rows, f]) }, fetches);
    const data = (name: string, size: number): Float32Array => {
      const values = out[name]?.data;
      if (!(values instanceof Float32Array) || values.length !== size)
        throw new Error(`strategy model ${manifest.version} returned a malformed ${name}`);
      return values;
    };
    return {
      probabilities: data(io.probabilities, rows * CLASSES),
      halt: data(io.halt, rows),
      cycleProbabilities: data(io.cycleProbabilities, rows * cycles * CLASSES),
      cycleHalt: data(io.cycleHalt, rows * cycles),
    };
  };

  // Warm-up: the first run allocates and plans; pay it at load, not on the first prediction.
  await run(new Float32Array(f), 1);

  return {
    manifest,
    provider,
    run,
    close: async () => {
      if (closed) return;
      closed = true;
      await session.release();
    },
  };
}
