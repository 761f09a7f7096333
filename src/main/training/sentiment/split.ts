/**
 * Stratified, seeded splits of labelled rows: each class's rows are shuffled with the seeded generator
 * and cut at the same fractions, so every part keeps the class shares of the whole (to one row).
 */
import { Random } from '../../core/synthetic/random';

/**
 * Row indices of each part, ascending. `fractions` are the shares of all parts but the last (which
 * takes the rest); e.g. [0.15, 0.1] → [test 15 %, validation 10 %, training 75 %].
 * @throws Error when a fraction is outside (0, 1) or they sum to 1 or more.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  fractions: readonly number[],
  seed: number,
): number[][] {
  const total = fractions.reduce((a, b) => a + b, 0);
  if (fractions.some((f) => !(f > 0 && f < 1)) || total >= 1)
    throw new Error(`split fractions must each be in (0, 1) and sum below 1, got ${fractions.join(', ')}`);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const rows = byClass.get(labels[i]!) ?? [];
    rows.push(i);
    byClass.set(labels[i]!, rows);
  }
  const random = Random.fromSeed(seed);
  const parts: number[][] = Array.from({ length: fractions.length + 1 }, () => []);
  for (const cls of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = byClass.get(cls)!;
    for (let i = rows.length - 1; i > 0; i--) {
      const j = random.int(0, i);
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    let start = 0;
    fractions.forEach((fraction, p) => {
      const count = Math.round(rows.length * fraction);
      parts[p]!.push(...rows.slice(start, start + count));
      start += count;
    });
    parts[fractions.length]!.push(...rows.slice(start));
  }
  return parts.map((part) => part.sort((a, b) => a - b));
}
