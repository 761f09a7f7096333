import { describe, expect, it } from 'vitest';
import { Random, mixSeed32 } from './random';

describe('Random', () => {
  it('repeats exactly for a seed and differs between neighbouring seeds', () => {
    const draw = (seed: number): number[] => {
      const r = Random.fromSeed(seed);
      return [r.uniform(), r.normal(), r.int(0, 1000), r.poisson(3)];
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(mixSeed32(2 ** 40)).not.toBe(mixSeed32(0));
    expect(() => mixSeed32(Number.NaN)).toThrow(RangeError);
  });

  it('keeps a split stream independent of the parent', () => {
    const parent = Random.fromSeed(1);
    const child = parent.split();
    const a = Array.from({ length: 5 }, () => parent.uniform());
    const b = Array.from({ length: 5 }, () => child.uniform());
    expect(a).not.toEqual(b);
    // Drawing from the child never moves the parent.
    const p1 = Random.fromSeed(1);
    const p2 = Random.fromSeed(1);
    const c2 = p2.split();
    for (let i = 0; i < 100; i++) c2.normal();
    expect(p2.uniform()).toBe(p1.uniform());
  });

  it('draws normals, exponentials and Poisson counts with the right moments', () => {
    const r = Random.fromSeed(7);
    const n = 100_000;
    let s = 0;
    let s2 = 0;
    let e = 0;
    let p = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
      e += r.exponential();
      p += r.poisson(0.25);
    }
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.02);
    expect(Math.abs(e / n - 1)).toBeLessThan(0.02);
    expect(Math.abs(p / n - 0.25)).toBeLessThan(0.01);
    expect(r.poisson(0)).toBe(0);
  });
});

describe('Random state', () => {
  it('continues a stream exactly from its saved state, a pending normal included', () => {
    const r = Random.fromSeed(5);
    for (let i = 0; i < 7; i++) r.uniform();
    r.normal(); // leaves the second normal of the pair pending
    const state = r.state();
    expect(state.spare).not.toBeNull();
    const copy = Random.fromState(JSON.parse(JSON.stringify(state)) as typeof state);
    const draws = (x: Random): number[] => [x.normal(), x.uniform(), x.normal(), x.int(0, 99), x.poisson(2)];
    expect(draws(copy)).toEqual(draws(r));
  });

  it('refuses a state no Random produced', () => {
    expect(() => Random.fromState({ words: [1, 2, 3], spare: null })).toThrow(RangeError);
    expect(() => Random.fromState({ words: [1, 2, 3, 2 ** 40], spare: null })).toThrow(RangeError);
    expect(() => Random.fromState({ words: [1, 2, 3, 4], spare: Number.NaN })).toThrow(RangeError);
  });
});
