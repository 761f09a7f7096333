/**
 * Trains the TRM in tfjs (wasm backend) on a prepared dataset: deep supervision with the paper's
 * gradient truncation, ACT halting with exploration, AdamW, an EMA of the weights, early stopping on
 * validation log-loss. Follows /work/shared/notes/trm.md §3.5 and §5 (TRAIN_BATCH), "paper style":
 * per batch, up to N_sup supervision steps with an optimizer step each; halted samples get loss
 * weight 0; the batch ends when none is active.
 */
import * as tf from '@tensorflow/tfjs';
import { Random } from '../../core/synthetic/random';
import type { FeatureId } from '../../../shared/domain';
import { AdamW } from './adamw';
import { CLASSES, resolveTrmConfig, type TrmConfig } from './config';
import { WeightEma } from './ema';
import {
  ensureTfBackend,
  epsTensor,
  inferTensors,
  paramsOf,
  predictTrm,
  tfOps,
  type TrmOutputs,
  type TrmTensors,
} from './model';
import { embedInput, fullRecursion, heads, type TrmParams } from './recursion';
import {
  BUFFERS,
  initTrmWeights,
  NO_DECAY,
  TRAINABLE_WEIGHTS,
  weightShapes,
  type TrainableWeight,
  type TrmShape,
  type TrmWeights,
} from './weights';

/** A prepared dataset: z-scored inputs row-major [rows, F] and class labels 0..7 (STRATEGY_IDS order). */
export interface TrmDataset {
  x: Float32Array;
  labels: Int8Array;
  rows: number;
  /** The inputs' order along F. */
  features: FeatureId[];
}

/** Per-epoch progress (the TrainingProgress fields training knows). */
export interface TrmEpochProgress {
  /** 1-based. */
  epoch: number;
  /** Most epochs (early stopping may end sooner). */
  epochs: number;
  /** Mean training loss (CE + 0.5·BCE) over the supervision steps samples were active in. */
  loss: number;
  /** Share of active samples whose argmax was the label, over the same steps. */
  accuracy: number;
  /** Validation log-loss of the EMA weights at the last inference step; null without validation rows. */
  valLoss: number | null;
  valAccuracy: number | null;
  /** Estimated ms left if every remaining epoch runs. */
  etaMs: number;
}

/** Validation metrics after supervision step `step` (1..N_inf) of the static inference pass. */
export interface StepMetrics {
  step: number;
  accuracy: number;
  logLoss: number;
}

/** A trained model as plain data (it crosses from the training worker). */
export interface TrainedTrmData {
  config: TrmConfig;
  features: FeatureId[];
  /** EMA weights of the best validation epoch (or of the last epoch without validation rows): what export and evaluation use. */
  weights: TrmWeights;
  /** The raw (not averaged) weights when training stopped. */
  rawWeights: TrmWeights;
  /** Epochs run, and the one whose EMA weights were kept (1-based). */
  epochsRun: number;
  bestEpoch: number;
  samples: number;
  history: TrmEpochProgress[];
  /** Validation accuracy and log-loss per supervision step of the kept weights (empty without validation rows). */
  validationSteps: StepMetrics[];
  /** Optimizer steps taken and the wall time of the epochs' training (not validation), ms. */
  optimizerSteps: number;
  trainMs: number;
}

export interface TrainedTrm extends TrainedTrmData {
  /** The static inference pass in tfjs with the kept EMA weights and N_inf steps: the ONNX graph's four outputs. */
  predict(x: Float32Array, rows: number): Promise<TrmOutputs>;
}

/** Adds `predict` to trained data (after it crossed a thread boundary, for example). */
export function trainedTrmFrom(data: TrainedTrmData): TrainedTrm {
  return {
    ...data,
    predict: (x, rows) =>
      predictTrm(data.weights, shapeOf(data), data.config, data.config.inferSteps, x, rows),
  };
}

export function shapeOf(trained: Pick<TrainedTrmData, 'config' | 'features'>): TrmShape {
  return { features: trained.features.length, width: trained.config.width, hidden: trained.config.hidden };
}

/** Thrown when training was stopped through its AbortSignal. */
export class TrainingCancelled extends Error {
  override readonly name = 'TrainingCancelled';
  constructor() {
    super('cancelled');
  }
}

/**
 * Checks a dataset's shape and values; throws an Error saying which part is wrong. `minRows` is 1 for
 * training data, 0 for validation.
 */
export function checkDataset(what: string, d: TrmDataset, minRows: number): void {
  const f = d.features.length;
  if (f < 1) throw new Error(`${what}: no features`);
  if (!Number.isInteger(d.rows) || d.rows < minRows)
    throw new Error(`${what}: needs at least ${minRows} rows, has ${d.rows}`);
  if (d.x.length !== d.rows * f)
    throw new Error(`${what}: ${d.rows} rows of ${f} features need ${d.rows * f} values, got ${d.x.length}`);
  if (d.labels.length !== d.rows)
    throw new Error(`${what}: ${d.rows} rows need ${d.rows} labels, got ${d.labels.length}`);
  for (let i = 0; i < d.labels.length; i++) {
    const label = d.labels[i]!;
    if (label < 0 || label >= CLASSES)
      throw new Error(`${what}: label ${label} at row ${i} is not a class 0..${CLASSES - 1}`);
  }
  for (let i = 0; i < d.x.length; i++) {
    if (!Number.isFinite(d.x[i]))
      throw new Error(
        `${what}: input at row ${Math.floor(i / f)}, feature ${d.features[i % f]} is not a finite number`,
      );
  }
}

/**
 * The loss of one supervision step (trm.md §5): softmax cross-entropy plus 0.5·BCE of the halting logit
 * against "argmax == label" (the target carries no gradient), summed over active samples and divided by
 * the batch size. Also returns per-sample CE and correctness for the caller's metrics.
 */
export function supervisionLoss(
  logits: tf.Tensor,
  haltLogit: tf.Tensor,
  oneHot: tf.Tensor,
  active: tf.Tensor,
): { loss: tf.Scalar; ce: tf.Tensor; correct: tf.Tensor } {
  const batch = logits.shape[0];
  const ce = tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1));
  // argmax == label as "the label's logit is the largest": built from ops whose gradients are zero
  // (GreaterEqual), because tfjs has no gradient for Equal and no stop-gradient op.
  const correct = tf.cast(tf.greaterEqual(tf.sum(tf.mul(logits, oneHot), 1), tf.max(logits, 1)), 'float32');
  const q = tf.reshape(haltLogit, [-1]);
  // BCE with logits, stable form: max(q, 0) − q·t + log(1 + exp(−|q|)).
  const bce = tf.add(tf.sub(tf.relu(q), tf.mul(q, correct)), tf.log1p(tf.exp(tf.neg(tf.abs(q)))));
  const perSample = tf.add(ce, tf.mul(bce, 0.5));
  const loss = tf.div<tf.Scalar>(tf.sum(tf.mul(perSample, active)), batch);
  return { loss, ce, correct };
}

/** What one supervision step hands back: gradients, the detached carry, and per-sample values read out. */
export interface SupervisionStepResult {
  loss: number;
  grads: Record<TrainableWeight, tf.Tensor>;
  /** The carried state after this step (plain tensors: the detach). The caller disposes them. */
  y: tf.Tensor;
  z: tf.Tensor;
  haltLogit: Float32Array;
  ce: Float32Array;
  correct: Float32Array;
}

/**
 * One supervision step (a deep recursion) on a batch, without the optimizer: T − 1 full recursions
 * outside the gradient scope, then the input embedding recomputed and ONE full recursion, the heads and
 * the loss inside `tf.variableGrads` (trm.md §3.5: if everything ran inside, tfjs would silently
 * backprop through all T cycles). `state` enters as constants; it is not disposed here.
 */
export function supervisionStep(
  vars: Record<TrainableWeight, tf.Variable>,
  p: TrmParams<tf.Tensor>,
  x: tf.Tensor,
  oneHot: tf.Tensor,
  active: tf.Tensor,
  state: { y: tf.Tensor; z: tf.Tensor },
  recursion: { cycles: number; latentSteps: number },
): SupervisionStepResult {
  const carried = tf.tidy(() => {
    const xe = embedInput(tfOps, p, x);
    let s = state;
    for (let c = 0; c < recursion.cycles - 1; c++) s = fullRecursion(tfOps, p, xe, s, recursion.latentSteps);
    return [s.y, s.z];
  });
  let kept: tf.Tensor[] = [];
  const varList = TRAINABLE_WEIGHTS.map((name) => vars[name]);
  const { value, grads } = tf.variableGrads(() => {
    const xe = embedInput(tfOps, p, x);
    const next = fullRecursion(tfOps, p, xe, { y: carried[0]!, z: carried[1]! }, recursion.latentSteps);
    const out = heads(tfOps, p, next.y);
    const { loss, ce, correct } = supervisionLoss(out.logits, out.halt, oneHot, active);
    kept = [next.y, next.z, out.halt, ce, correct].map((t) => tf.keep(t));
    return loss;
  }, varList);
  // With T = 1 nothing ran outside the gradient and `carried` is the caller's state: keep it.
  for (const t of carried) if (t !== state.y && t !== state.z) t.dispose();
  const [y, z, halt, ce, correct] = kept as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
  const byName = {} as Record<TrainableWeight, tf.Tensor>;
  for (const name of TRAINABLE_WEIGHTS) byName[name] = grads[vars[name].name]!;
  const result: SupervisionStepResult = {
    loss: value.dataSync()[0]!,
    grads: byName,
    y,
    z,
    haltLogit: halt.dataSync() as Float32Array,
    ce: ce.dataSync() as Float32Array,
    correct: correct.dataSync() as Float32Array,
  };
  value.dispose();
  for (const t of [halt, ce, correct]) t.dispose();
  return result;
}

let runCounter = 0;

/** Training's tensors: trainable variables (unique names per run) and the fixed buffers. */
export function createVariables(
  weights: TrmWeights,
  shape: TrmShape,
): {
  vars: Record<TrainableWeight, tf.Variable>;
  tensors: TrmTensors;
} {
  const shapes = weightShapes(shape);
  const run = ++runCounter;
  const vars = {} as Record<TrainableWeight, tf.Variable>;
  for (const name of TRAINABLE_WEIGHTS) {
    vars[name] = tf.tidy(() =>
      tf.variable(tf.tensor(weights[name], shapes[name], 'float32'), true, `trm${run}_${name}`),
    );
  }
  const tensors: TrmTensors = {
    ...vars,
    y0: tf.tensor(weights.y0, shapes.y0, 'float32'),
    z0: tf.tensor(weights.z0, shapes.z0, 'float32'),
  };
  return { vars, tensors };
}

function readWeights(source: Record<string, tf.Tensor>, buffers: TrmWeights): TrmWeights {
  const out = {} as TrmWeights;
  for (const name of TRAINABLE_WEIGHTS) out[name] = (source[name]!.dataSync() as Float32Array).slice();
  for (const name of BUFFERS) out[name] = buffers[name].slice();
  return out;
}

/** Rows per validation batch. */
const EVAL_CHUNK = 1024;

/** Lowest probability a log-loss takes the log of (float32 softmax can round a small one to 0). */
const LOG_LOSS_FLOOR = 1e-7;

/**
 * Accuracy and log-loss after each supervision step 1..steps of the static inference pass with the
 * weights in `p` (trm.md §3.6).
 */
export function evaluateSteps(
  p: TrmParams<tf.Tensor>,
  data: TrmDataset,
  recursion: { cycles: number; latentSteps: number },
  steps: number,
): StepMetrics[] {
  const f = data.features.length;
  const cyclesTotal = steps * recursion.cycles;
  const hits = new Float64Array(steps);
  const losses = new Float64Array(steps);
  for (let from = 0; from < data.rows; from += EVAL_CHUNK) {
    const n = Math.min(EVAL_CHUNK, data.rows - from);
    const probs = tf.tidy(() => {
      const xb = tf.tensor2d(data.x.subarray(from * f, (from + n) * f), [n, f]);
      return inferTensors(p, xb, recursion, steps).cycleProbabilities;
    });
    const values = probs.dataSync() as Float32Array;
    probs.dispose();
    for (let r = 0; r < n; r++) {
      const label = data.labels[from + r]!;
      for (let s = 0; s < steps; s++) {
        const base = (r * cyclesTotal + (s + 1) * recursion.cycles - 1) * CLASSES;
        let best = 0;
        for (let c = 1; c < CLASSES; c++) if (values[base + c]! > values[base + best]!) best = c;
        if (best === label) hits[s]!++;
        losses[s]! -= Math.log(Math.max(values[base + label]!, LOG_LOSS_FLOOR));
      }
    }
  }
  return Array.from({ length: steps }, (_, s) => ({
    step: s + 1,
    accuracy: hits[s]! / data.rows,
    logLoss: losses[s]! / data.rows,
  }));
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Trains a TRM on `dataset` with early stopping on `validation` (which may have 0 rows: then every
 * epoch runs and the last EMA weights are kept). Calls `onProgress` after every epoch. Seeded: the same
 * seed, data and machine give the same weights bit for bit.
 *
 * Throws an Error when the data are malformed (see checkDataset) or the feature lists differ, and
 * TrainingCancelled ("cancelled") when `signal` aborts.
 */
export async function trainTrm(
  dataset: TrmDataset,
  validation: TrmDataset,
  config: Partial<TrmConfig> = {},
  onProgress: (progress: TrmEpochProgress) => void = () => {},
  signal?: AbortSignal,
): Promise<TrainedTrm> {
  const cfg = resolveTrmConfig(config);
  checkDataset('training data', dataset, 1);
  checkDataset('validation data', validation, 0);
  if (validation.features.join() !== dataset.features.join())
    throw new Error('validation data must have the same features, in the same order, as the training data');
  await ensureTfBackend();

  const shape: TrmShape = { features: dataset.features.length, width: cfg.width, hidden: cfg.hidden };
  const f = shape.features;
  const init = initTrmWeights(shape, cfg.seed);
  const random = Random.fromSeed(cfg.seed).split();
  const { vars, tensors } = createVariables(init, shape);
  const eps = epsTensor();
  const p = paramsOf(tensors, eps);
  const optimizer = new AdamW(vars, {
    beta1: 0.9,
    beta2: 0.95,
    epsilon: 1e-8,
    weightDecay: cfg.weightDecay,
    noDecay: NO_DECAY,
  });
  const ema = new WeightEma(vars, cfg.ema);
  const emaParams = (): TrmParams<tf.Tensor> =>
    paramsOf(
      { ...(ema.tensors() as Record<TrainableWeight, tf.Tensor>), y0: tensors.y0, z0: tensors.z0 },
      eps,
    );

  const batchesPerEpoch = Math.ceil(dataset.rows / cfg.batchSize);
  const warmupSteps = Math.max(1, Math.round(cfg.warmupEpochs * batchesPerEpoch * cfg.trainSteps));
  const recursion = { cycles: cfg.cycles, latentSteps: cfg.latentSteps };
  const order = Int32Array.from({ length: dataset.rows }, (_, i) => i);
  const history: TrmEpochProgress[] = [];
  let best: { epoch: number; loss: number; weights: TrmWeights; steps: StepMetrics[] } | null = null;
  let trainMs = 0;
  let epochMsTotal = 0;

  try {
    for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
      const epochStart = performance.now();
      // Fisher-Yates with the seeded generator.
      for (let i = order.length - 1; i > 0; i--) {
        const j = random.int(0, i);
        const t = order[i]!;
        order[i] = order[j]!;
        order[j] = t;
      }
      let lossSum = 0;
      let hitSum = 0;
      let activeSum = 0;
      for (let from = 0; from < dataset.rows; from += cfg.batchSize) {
        if (signal?.aborted) throw new TrainingCancelled();
        const b = Math.min(cfg.batchSize, dataset.rows - from);
        const xb = new Float32Array(b * f);
        const labels = new Int32Array(b);
        for (let r = 0; r < b; r++) {
          const row = order[from + r]!;
          xb.set(dataset.x.subarray(row * f, row * f + f), r * f);
          labels[r] = dataset.labels[row]!;
        }
        const x = tf.tensor2d(xb, [b, f]);
        const oneHot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES), 'float32'));
        const active = new Float32Array(b).fill(1);
        let state = { y: p.y0, z: p.z0 };
        for (let s = 1; s <= cfg.trainSteps; s++) {
          const activeT = tf.tensor1d(active);
          const step = supervisionStep(vars, p, x, oneHot, activeT, state, recursion);
          activeT.dispose();
          const lr = cfg.lr * Math.min(1, (optimizer.steps + 1) / warmupSteps);
          optimizer.apply(step.grads, lr);
          ema.update();
          for (const g of Object.values(step.grads)) g.dispose();
          if (state.y !== p.y0) {
            state.y.dispose();
            state.z.dispose();
          }
          state = { y: step.y, z: step.z };
          let stillActive = 0;
          for (let i = 0; i < b; i++) {
            // Exploration is drawn for every sample every step, so the draws do not depend on the model.
            const explore = cfg.trainSteps >= 2 && random.chance(cfg.haltExploration);
            const minimum = explore ? random.int(2, cfg.trainSteps) : 0;
            if (active[i] === 0) continue;
            lossSum += step.ce[i]! + 0.5 * bceOf(step.haltLogit[i]!, step.correct[i]!);
            hitSum += step.correct[i]!;
            activeSum++;
            if (step.haltLogit[i]! > 0 && !(explore && s < minimum)) active[i] = 0;
            else stillActive++;
          }
          if (stillActive === 0) break;
        }
        if (state.y !== p.y0) {
          state.y.dispose();
          state.z.dispose();
        }
        x.dispose();
        oneHot.dispose();
        await yieldToEventLoop();
      }
      trainMs += performance.now() - epochStart;

      let valLoss: number | null = null;
      let valAccuracy: number | null = null;
      if (validation.rows > 0) {
        const steps = evaluateSteps(emaParams(), validation, recursion, cfg.inferSteps);
        const last = steps[steps.length - 1]!;
        valLoss = last.logLoss;
        valAccuracy = last.accuracy;
        if (best === null || valLoss < best.loss) {
          best = { epoch, loss: valLoss, weights: readWeights(ema.tensors(), init), steps };
        }
      }
      epochMsTotal += performance.now() - epochStart;
      const progress: TrmEpochProgress = {
        epoch,
        epochs: cfg.epochs,
        loss: activeSum > 0 ? lossSum / activeSum : 0,
        accuracy: activeSum > 0 ? hitSum / activeSum : 0,
        valLoss,
        valAccuracy,
        etaMs: (epochMsTotal / epoch) * (cfg.epochs - epoch),
      };
      history.push(progress);
      onProgress(progress);
      if (best !== null && epoch - best.epoch >= cfg.patience) break;
    }
    const kept = best ?? {
      epoch: history.length,
      weights: readWeights(ema.tensors(), init),
      steps: [] as StepMetrics[],
    };
    return trainedTrmFrom({
      config: cfg,
      features: [...dataset.features],
      weights: kept.weights,
      rawWeights: readWeights(vars, init),
      epochsRun: history.length,
      bestEpoch: kept.epoch,
      samples: dataset.rows,
      history,
      validationSteps: kept.steps,
      optimizerSteps: optimizer.steps,
      trainMs,
    });
  } finally {
    optimizer.dispose();
    ema.dispose();
    for (const t of Object.values(tensors)) t.dispose();
    eps.dispose();
  }
}

/** BCE of a halting logit against a 0/1 target, for the reported loss (same formula as supervisionLoss). */
function bceOf(q: number, target: number): number {
  return Math.max(q, 0) - q * target + Math.log1p(Math.exp(-Math.abs(q)));
}
