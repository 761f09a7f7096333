import { describe, expect, it } from 'vitest';
import { fitTfidf, tfidfRows, trainTfidfBaseline } from './tfidf-baseline';

describe('TF-IDF + logistic regression baseline', () => {
  it('weights terms by sublinear tf and smoothed idf, rows L2-normalised', () => {
    const vocabulary = fitTfidf([['a', 'b'], ['a']]);
    // Terms: a, a b, b. idf(a) = ln(3/3) + 1 = 1; idf(b) = idf(a b) = ln(3/2) + 1.
    expect([...vocabulary.index.keys()]).toEqual(['a', 'a b', 'b']);
    expect(vocabulary.idf[2]).toBeCloseTo(Math.log(1.5) + 1, 12);
    const [row] = tfidfRows(vocabulary, [['a', 'a', 'z']]);
    // Only "a" is known: tf 1 + ln 2, normalised to 1; the unknown "z" and "a a"/"a z" are dropped.
    expect([...row!.cols]).toEqual([0]);
    expect(row!.values[0]).toBeCloseTo(1, 12);
  });

  it('learns a toy set and picks C on validation', () => {
    const make = (n: number): { words: string[][]; labels: number[] } => {
      const words: string[][] = [];
      const labels: number[] = [];
      for (let i = 0; i < n; i++) {
        const label = i % 3;
        const cue = ['falls', 'holds', 'rises'][label]!;
        // "not rises" is negative: only the bigram tells it apart.
        const negated = i % 7 === 0 && label === 0;
        words.push(negated ? ['stock', 'not', 'rises', `w${i % 5}`] : ['stock', cue, `w${i % 5}`]);
        labels.push(label);
      }
      return { words, labels };
    };
    const baseline = trainTfidfBaseline(make(300), make(90), [1, 10]);
    expect(baseline.candidates.map((c) => c.c)).toEqual([1, 10]);
    const test = make(60);
    const p = baseline.predict(test.words);
    let correct = 0;
    test.labels.forEach((label, i) => {
      const row = [...p.subarray(i * 3, i * 3 + 3)];
      if (row.indexOf(Math.max(...row)) === label) correct++;
    });
    expect(correct / test.labels.length).toBeGreaterThan(0.95);
    expect(p.subarray(0, 3).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });
});
