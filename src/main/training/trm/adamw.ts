/**
 * AdamW with decoupled weight decay, by hand: tfjs's Adam has no decoupled decay (and its learning rate
 * cannot follow a warm-up schedule). Per weight w with gradient g, at step t (Loshchilov & Hutter,
 * "Decoupled Weight Decay Regularization", ICLR 2019, Algorithm 2; the order of PyTorch's AdamW):
 *   w ← w·(1 − lr·wd)
 *   m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²
 *   w ← w − lr·(m / (1 − β1^t)) / (sqrt(v / (1 − β2^t)) + ε)
 */
import * as tf from '@tensorflow/tfjs';

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  /** Names of weights that get no decay. */
  noDecay: ReadonlySet<string>;
}

export class AdamW {
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  private t = 0;

  constructor(
    private readonly variables: Readonly<Record<string, tf.Variable>>,
    private readonly options: AdamWOptions,
  ) {
    for (const [name, variable] of Object.entries(variables)) {
      // tidy disposes the initial values; the variables (which tidy never disposes) hold their own copies.
      this.m.set(
        name,
        tf.tidy(() => tf.variable(tf.zerosLike(variable), false)),
      );
      this.v.set(
        name,
        tf.tidy(() => tf.variable(tf.zerosLike(variable), false)),
      );
    }
  }

  /** Optimizer steps taken. */
  get steps(): number {
    return this.t;
  }

  /** One step at learning rate `lr` with `grads` (by weight name; every weight must have one). */
  apply(grads: tf.NamedTensorMap, lr: number): void {
    this.t++;
    const { beta1, beta2, epsilon, weightDecay, noDecay } = this.options;
    const correction1 = 1 - beta1 ** this.t;
    const correction2 = 1 - beta2 ** this.t;
    tf.tidy(() => {
      for (const [name, w] of Object.entries(this.variables)) {
        const g = grads[name];
        if (g === undefined) throw new Error(`AdamW: no gradient for ${name}`);
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
        v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
        const step = tf.div(tf.div(m, correction1), tf.add(tf.sqrt(tf.div(v, correction2)), epsilon));
        const decayed = noDecay.has(name) ? w : tf.mul(w, 1 - lr * weightDecay);
        w.assign(tf.sub(decayed, tf.mul(step, lr)));
      }
    });
  }

  dispose(): void {
    for (const variable of [...this.m.values(), ...this.v.values()]) variable.dispose();
  }
}
