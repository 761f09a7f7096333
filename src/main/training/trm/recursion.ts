/**
 * The TRM's forward computation written once over an abstract set of tensor operations, so that the
 * tfjs model (training, `predict`) and the ONNX graph (onnx-export.ts) are the same computation by
 * construction: tfjs evaluates it on tensors, the exporter records it as graph nodes.
 *
 * Source: /work/shared/notes/trm.md §5 (our pseudo-code of Jolicoeur-Martineau 2025, Fig. 3, and the
 * official code's layers): rows are samples, so every weight is stored [in, out] and applied as h·W.
 */

/** The operations the forward pass needs (each a standard ONNX op: MatMul, Add, Mul, Div, Sigmoid, Sqrt, ReduceMean). */
export interface TensorOps<T> {
  matMul(a: T, b: T): T;
  /** Element-wise with broadcasting ([1, D] + [B, D] → [B, D]). */
  add(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  sigmoid(a: T): T;
  sqrt(a: T): T;
  /** Mean over the last axis, kept as an axis of length 1. */
  meanLastAxis(a: T): T;
}

/** One SwiGLU sublayer's weights: gate and up [D, I], down [I, D]. */
export interface SwiGluWeights<T> {
  gate: T;
  up: T;
  down: T;
}

/** The weights (and fixed buffers) in the form the forward pass reads them. */
export interface TrmParams<T> {
  /** W_in [F, D] (no bias). */
  input: T;
  /** The shared trunk, LAYERS sublayers. */
  layers: readonly SwiGluWeights<T>[];
  /** W_out [D, 8] (no bias). */
  output: T;
  /** w_q [D, 1] and b_q [1]: the halting head. */
  haltWeight: T;
  haltBias: T;
  /** Initial y and z [1, D]: fixed truncated-normal buffers, broadcast over the batch. */
  y0: T;
  z0: T;
  /** RMSNorm's epsilon as a scalar tensor (RMS_EPS). */
  eps: T;
}

/** rms(h) = h / sqrt(mean(h²) + eps), over the feature axis, no gain. */
export function rmsNorm<T>(ops: TensorOps<T>, p: TrmParams<T>, h: T): T {
  return ops.div(h, ops.sqrt(ops.add(ops.meanLastAxis(ops.mul(h, h)), p.eps)));
}

/** SwiGLU(h) = (silu(h·W_g) ⊙ h·W_u)·W_d, silu(g) = g·sigmoid(g). */
export function swiGlu<T>(ops: TensorOps<T>, w: SwiGluWeights<T>, h: T): T {
  const gate = ops.matMul(h, w.gate);
  const up = ops.matMul(h, w.up);
  return ops.matMul(ops.mul(ops.mul(gate, ops.sigmoid(gate)), up), w.down);
}

/** net(h): for each layer, h ← RMSNorm(h + SwiGLU(h)) (post-norm residual). */
export function trunk<T>(ops: TensorOps<T>, p: TrmParams<T>, h: T): T {
  let out = h;
  for (const layer of p.layers) out = rmsNorm(ops, p, ops.add(out, swiGlu(ops, layer, out)));
  return out;
}

/** x = features·W_in ([B, F] → [B, D]). */
export function embedInput<T>(ops: TensorOps<T>, p: TrmParams<T>, features: T): T {
  return ops.matMul(features, p.input);
}

/**
 * One full recursion: n times z ← net(z + y + x), then y ← net(y + z). y + x is formed once per
 * recursion (it does not change while z is updated), here and in the exported graph alike.
 */
export function fullRecursion<T>(
  ops: TensorOps<T>,
  p: TrmParams<T>,
  x: T,
  state: { y: T; z: T },
  latentSteps: number,
): { y: T; z: T } {
  const yx = ops.add(state.y, x);
  let z = state.z;
  for (let i = 0; i < latentSteps; i++) z = trunk(ops, p, ops.add(z, yx));
  const y = trunk(ops, p, ops.add(state.y, z));
  return { y, z };
}

/** Heads on y: class logits y·W_out [B, 8] and the halting logit y·w_q + b_q [B, 1]. */
export function heads<T>(ops: TensorOps<T>, p: TrmParams<T>, y: T): { logits: T; halt: T } {
  return { logits: ops.matMul(y, p.output), halt: ops.add(ops.matMul(y, p.haltWeight), p.haltBias) };
}
