/**
 * The TRM in tfjs: the backend, the recursion (recursion.ts) on tfjs tensors, and the static inference
 * pass that the ONNX graph reproduces (N_inf supervision steps of T full recursions, heads after every
 * full recursion, no halting).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { CLASSES, LAYERS, RMS_EPS } from './config';
import { embedInput, fullRecursion, heads, type TensorOps, type TrmParams } from './recursion';
import { weightShapes, type TrmShape, type TrmWeights } from './weights';

let backend: Promise<void> | null = null;

/**
 * Selects tfjs's wasm backend (single-threaded, SIMD; 5-10x the pure-JS `cpu` backend in Node) once per
 * thread. Rejects when the wasm binary cannot be loaded.
 */
export function ensureTfBackend(): Promise<void> {
  backend ??= (async () => {
    if (!(await tf.setBackend('wasm')))
      throw new Error('tfjs could not start its wasm backend (@tensorflow/tfjs-backend-wasm)');
    await tf.ready();
  })();
  return backend;
}

/**
 * a·b with a gradient that transposes explicitly: the wasm backend's matMul with a transpose flag (what
 * tfjs's own matMul gradient uses) runs about 10x slower than a transpose followed by a plain matMul
 * (measured at [256, 64]ᵀ·[256, 128]: 2.2 ms vs 0.22 ms), and it dominated a training step.
 */
const matMulFast = tf.customGrad((a, b, save) => {
  const [x, w] = [a as tf.Tensor2D, b as tf.Tensor2D];
  (save as tf.GradSaveFunc)([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
      const grad = dy as tf.Tensor2D;
      return [tf.matMul(grad, tf.transpose(sw)), tf.matMul(tf.transpose(sx), grad)];
    },
  };
});

/** tfjs tensors as TensorOps. */
export const tfOps: TensorOps<tf.Tensor> = {
  matMul: (a, b) => matMulFast(a, b),
  add: (a, b) => tf.add(a, b),
  mul: (a, b) => tf.mul(a, b),
  div: (a, b) => tf.div(a, b),
  sigmoid: (a) => tf.sigmoid(a),
  sqrt: (a) => tf.sqrt(a),
  meanLastAxis: (a) => tf.mean(a, -1, true),
};

/** Trainable and fixed tensors under the names of TrmWeights (tf.Variable while training). */
export type TrmTensors = Record<keyof TrmWeights, tf.Tensor>;

/** Tensors holding `weights` (the caller disposes them). */
export function tensorsOf(weights: TrmWeights, shape: TrmShape): TrmTensors {
  const shapes = weightShapes(shape);
  const out = {} as TrmTensors;
  for (const name of Object.keys(shapes) as (keyof TrmWeights)[]) {
    out[name] = tf.tensor(weights[name], shapes[name], 'float32');
  }
  return out;
}

/** The forward pass's view of named tensors; `eps` is a scalar the caller disposes. */
export function paramsOf(t: TrmTensors, eps: tf.Tensor): TrmParams<tf.Tensor> {
  if (LAYERS !== 2) throw new Error('paramsOf maps two trunk layers');
  return {
    input: t.input,
    layers: [
      { gate: t.gate0, up: t.up0, down: t.down0 },
      { gate: t.gate1, up: t.up1, down: t.down1 },
    ],
    output: t.output,
    haltWeight: t.haltWeight,
    haltBias: t.haltBias,
    y0: t.y0,
    z0: t.z0,
    eps,
  };
}

export function epsTensor(): tf.Scalar {
  return tf.scalar(RMS_EPS, 'float32');
}

/** The outputs of StrategyModel.run, row-major float32. */
export interface TrmOutputs {
  /** [rows, 8]: softmax of the last full recursion's logits. */
  probabilities: Float32Array;
  /** [rows]: sigmoid of the last halting logit. */
  halt: Float32Array;
  /** [rows, steps·cycles, 8]: the answer after every full recursion. */
  cycleProbabilities: Float32Array;
  /** [rows, steps·cycles]. */
  cycleHalt: Float32Array;
}

export interface Recursion {
  cycles: number;
  latentSteps: number;
}

/**
 * The static inference pass on a batch `x` [B, F] (trm.md §5 INFER): from (y0, z0), `steps`·T full
 * recursions with the heads after each. Returns per-cycle probabilities [B, steps·T, 8] and halting
 * probabilities [B, steps·T] as tensors (inside the caller's tidy).
 */
export function inferTensors(
  p: TrmParams<tf.Tensor>,
  x: tf.Tensor,
  recursion: Recursion,
  steps: number,
): { cycleProbabilities: tf.Tensor3D; cycleHalt: tf.Tensor2D } {
  const xe = embedInput(tfOps, p, x);
  let state = { y: p.y0, z: p.z0 };
  const probabilities: tf.Tensor[] = [];
  const halts: tf.Tensor[] = [];
  for (let s = 0; s < steps * recursion.cycles; s++) {
    state = fullRecursion(tfOps, p, xe, state, recursion.latentSteps);
    const out = heads(tfOps, p, state.y);
    probabilities.push(tf.softmax(out.logits));
    halts.push(tf.sigmoid(out.halt));
  }
  return {
    cycleProbabilities: tf.stack(probabilities, 1) as tf.Tensor3D,
    cycleHalt: tf.concat(halts, 1) as tf.Tensor2D,
  };
}

/** Rows per tfjs batch in `predictTrm` (bounds memory for large inputs). */
const PREDICT_CHUNK = 1024;

/**
 * Runs the static inference pass in tfjs on `rows` rows of `x` ([rows, F] z-scores) with `weights`:
 * the same four outputs as the exported ONNX graph (for parity checks and validation). Throws when
 * `x.length !== rows · F`.
 */
export async function predictTrm(
  weights: TrmWeights,
  shape: TrmShape,
  recursion: Recursion,
  steps: number,
  x: Float32Array,
  rows: number,
): Promise<TrmOutputs> {
  if (!Number.isInteger(rows) || rows < 0 || x.length !== rows * shape.features) {
    throw new Error(
      `the TRM takes ${shape.features} values per row: ${rows} rows need ${rows * shape.features} values, got ${x.length}`,
    );
  }
  await ensureTfBackend();
  const cyclesTotal = steps * recursion.cycles;
  const out: TrmOutputs = {
    probabilities: new Float32Array(rows * CLASSES),
    halt: new Float32Array(rows),
    cycleProbabilities: new Float32Array(rows * cyclesTotal * CLASSES),
    cycleHalt: new Float32Array(rows * cyclesTotal),
  };
  const tensors = tensorsOf(weights, shape);
  const eps = epsTensor();
  try {
    const p = paramsOf(tensors, eps);
    for (let from = 0; from < rows; from += PREDICT_CHUNK) {
      const n = Math.min(PREDICT_CHUNK, rows - from);
      const [probs, halt] = tf.tidy(() => {
        const xb = tf.tensor2d(x.subarray(from * shape.features, (from + n) * shape.features), [
          n,
          shape.features,
        ]);
        const r = inferTensors(p, xb, recursion, steps);
        return [r.cycleProbabilities, r.cycleHalt];
      });
      const probsData = probs.dataSync() as Float32Array;
      const haltData = halt.dataSync() as Float32Array;
      probs.dispose();
      halt.dispose();
      out.cycleProbabilities.set(probsData, from * cyclesTotal * CLASSES);
      out.cycleHalt.set(haltData, from * cyclesTotal);
      for (let r = 0; r < n; r++) {
        const last = (r * cyclesTotal + cyclesTotal - 1) * CLASSES;
        out.probabilities.set(probsData.subarray(last, last + CLASSES), (from + r) * CLASSES);
        out.halt[from + r] = haltData[r * cyclesTotal + cyclesTotal - 1]!;
      }
    }
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
    eps.dispose();
  }
  return out;
}
