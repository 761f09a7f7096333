/**
 * The seeded randomness of the demo market: a thin, allocation-free layer over pure-rand's
 * xoroshiro128+ with the few distributions the market needs. Everything random in the synthetic market
 * comes from here, so one seed reproduces a whole world bit for bit.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

const TWO_PI = 2 * Math.PI;

/**
 * Everything a `Random` holds, as plain JSON-safe numbers: the four 32-bit words of xoroshiro128+ and
 * the Box-Muller spare (null when none is pending). `Random.fromState` continues the stream exactly.
 */
export interface RandomState {
  words: number[];
  spare: number | null;
}

/** murmur3's 32-bit finaliser: spreads every input bit over the whole word. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Any finite number to a well-mixed 32-bit seed. xoroshiro128+ seeded with a raw small integer starts
 * from a nearly-zero state, so seeds 1 and 2 would begin with visibly similar draws; mixing (and the
 * warm-up in `Random.fromSeed`) makes neighbouring seeds independent. Both 32-bit halves of a large
 * integer count; the fractional part does not.
 */
export function mixSeed32(seed: number): number {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const whole = Math.trunc(seed);
  const lo = whole >>> 0;
  const hi = Math.floor(whole / 4294967296) | 0;
  return fmix32(lo ^ fmix32(hi ^ 0x9e3779b9));
}

export class Random {
  private spare = 0;
  private hasSpare = false;

  private constructor(private readonly gen: JumpableRandomGenerator) {}

  static fromSeed(seed: number): Random {
    const gen = xoroshiro128plus(mixSeed32(seed));
    // The first outputs after seeding still echo the seed's bit pattern; skip them.
    for (let i = 0; i < 16; i++) gen.next();
    return new Random(gen);
  }

  /**
   * The stream continued from a `state()`: it draws exactly what the stream it was taken from would
   * have drawn next. Throws a RangeError for a state that no `Random` produced (wrong length, not
   * 32-bit integers, a non-finite spare).
   */
  static fromState(state: RandomState): Random {
    const { words, spare } = state;
    if (words.length !== 4 || !words.every((w) => Number.isInteger(w) && w >= -(2 ** 31) && w < 2 ** 31)) {
      throw new RangeError('a random state needs four 32-bit integer words');
    }
    if (spare !== null && !Number.isFinite(spare))
      throw new RangeError('a random state spare must be finite');
    const random = new Random(xoroshiro128plusFromState(words));
    if (spare !== null) {
      random.spare = spare;
      random.hasSpare = true;
    }
    return random;
  }

  /** A copy of where the stream stands (see `fromState`). */
  state(): RandomState {
    return { words: [...this.gen.getState()], spare: this.hasSpare ? this.spare : null };
  }

  /**
   * An independent stream: a copy of this one moved 2^64 steps ahead, so the two never overlap.
   * Used to keep optional work (trades) from shifting the draws of the main stream.
   */
  split(): Random {
    const gen = this.gen.clone();
    gen.jump();
    return new Random(gen);
  }

  /** Uniform in [0, 1), 53 bits. */
  uniform(): number {
    return uniformFloat64(this.gen);
  }

  /** Uniform in (0, 1]: safe to take the logarithm of. */
  uniformPositive(): number {
    return 1 - uniformFloat64(this.gen);
  }

  /** Uniform integer in [from, to], both included, without modulo bias. */
  int(from: number, to: number): number {
    return uniformInt(this.gen, from, to);
  }

  chance(p: number): boolean {
    return uniformFloat64(this.gen) < p;
  }

  /** Standard normal (Box-Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const radius = Math.sqrt(-2 * Math.log(this.uniformPositive()));
    const angle = TWO_PI * uniformFloat64(this.gen);
    this.spare = radius * Math.sin(angle);
    this.hasSpare = true;
    return radius * Math.cos(angle);
  }

  /** Exponential with mean 1. */
  exponential(): number {
    return -Math.log(this.uniformPositive());
  }

  /** Poisson count with mean `lambda` (Knuth's product method: the means used here are small). */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    const limit = Math.exp(-lambda);
    let count = 0;
    let product = uniformFloat64(this.gen);
    while (product > limit && count < 1000) {
      count++;
      product *= uniformFloat64(this.gen);
    }
    return count;
  }
}
