/**
 * The TRM's weights as plain float32 arrays (row-major, [in, out]): what training produces, a worker
 * posts back, the exporter writes as ONNX initializers and `predict` loads into tfjs. Seeded LeCun
 * truncated-normal initialisation (trm.md §1.4).
 */
import { Random } from '../../core/synthetic/random';
import { CLASSES, HALT_BIAS_INIT, LAYERS } from './config';

/** Trainable weights, in a fixed order (optimizer state, EMA and the exporter iterate this list). */
export const TRAINABLE_WEIGHTS = [
  'input',
  'gate0',
  'up0',
  'down0',
  'gate1',
  'up1',
  'down1',
  'output',
  'haltWeight',
  'haltBias',
] as const;
export type TrainableWeight = (typeof TRAINABLE_WEIGHTS)[number];

/** The fixed initial states y0, z0 [1, D]: random, not trainable, saved with the weights. */
export const BUFFERS = ['y0', 'z0'] as const;
export type BufferName = (typeof BUFFERS)[number];
export type WeightName = TrainableWeight | BufferName;

export type TrmWeights = Record<WeightName, Float32Array>;

/** Weights that get no weight decay: the halting bias (biases are not decayed, as usual for AdamW). */
export const NO_DECAY: ReadonlySet<TrainableWeight> = new Set(['haltBias']);

export interface TrmShape {
  /** F: inputs per row. */
  features: number;
  /** D. */
  width: number;
  /** I. */
  hidden: number;
}

/** Each weight's shape for `shape`. */
export function weightShapes(shape: TrmShape): Record<WeightName, [number, number] | [number]> {
  const { features: f, width: d, hidden: i } = shape;
  if (LAYERS !== 2) throw new Error('weightShapes lists two trunk layers');
  return {
    input: [f, d],
    gate0: [d, i],
    up0: [d, i],
    down0: [i, d],
    gate1: [d, i],
    up1: [d, i],
    down1: [i, d],
    output: [d, CLASSES],
    haltWeight: [d, 1],
    haltBias: [1],
    y0: [1, d],
    z0: [1, d],
  };
}

export function sizeOf(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/**
 * Standard deviation of N(0, 1) truncated to ±2: 0.8796. Dividing the target std by it makes the
 * truncated draws have exactly that std (as the official code's trunc_normal_init_).
 */
const TRUNCATED_STD = 0.8796256610342398;

function truncatedNormal(random: Random, size: number, std: number): Float32Array {
  const out = new Float32Array(size);
  const scale = std / TRUNCATED_STD;
  for (let k = 0; k < size; k++) {
    let v: number;
    do v = random.normal();
    while (v < -2 || v > 2);
    out[k] = v * scale;
  }
  return out;
}

/**
 * Fresh weights for `shape`, a pure function of `seed`: LeCun truncated normal (std 1/√fan_in) for every
 * matrix, w_q = 0 and b_q = −5 (the halting head starts at "never halt"), y0 and z0 truncated normal
 * with std 1 (trm.md §1.1, §1.3, §1.4).
 */
export function initTrmWeights(shape: TrmShape, seed: number): TrmWeights {
  const shapes = weightShapes(shape);
  const random = Random.fromSeed(seed);
  const matrix = (name: WeightName): Float32Array => {
    const dims = shapes[name];
    return truncatedNormal(random, sizeOf(dims), 1 / Math.sqrt(dims[0]));
  };
  return {
    input: matrix('input'),
    gate0: matrix('gate0'),
    up0: matrix('up0'),
    down0: matrix('down0'),
    gate1: matrix('gate1'),
    up1: matrix('up1'),
    down1: matrix('down1'),
    output: matrix('output'),
    haltWeight: new Float32Array(shape.width),
    haltBias: Float32Array.of(HALT_BIAS_INIT),
    y0: truncatedNormal(random, shape.width, 1),
    z0: truncatedNormal(random, shape.width, 1),
  };
}

/** A deep copy (weights handed out must not alias training's buffers). */
export function copyWeights(weights: TrmWeights): TrmWeights {
  const out = {} as TrmWeights;
  for (const name of [...TRAINABLE_WEIGHTS, ...BUFFERS]) out[name] = weights[name].slice();
  return out;
}

/**
 * Checks that `weights` fit `shape`; throws an Error naming the first weight whose length is wrong.
 */
export function checkWeights(weights: TrmWeights, shape: TrmShape): void {
  const shapes = weightShapes(shape);
  for (const name of [...TRAINABLE_WEIGHTS, ...BUFFERS]) {
    const want = sizeOf(shapes[name]);
    const have = weights[name]?.length;
    if (have !== want) throw new Error(`TRM weight ${name} has ${have} values, expected ${want}`);
  }
}
