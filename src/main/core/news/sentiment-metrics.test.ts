import { describe, expect, it } from 'vitest';
import {
  TWEET_LABEL_TO_SENTIMENT,
  argmaxSentiment,
  evaluateSentiment,
  sentimentIndexOfName,
} from './sentiment-metrics';

describe('evaluateSentiment', () => {
  it('counts accuracy, the confusion matrix and per-class precision/recall/F1', () => {
    // labels:    neg neg neu neu neu pos
    // predicted: neg neu neu neu pos pos
    const result = evaluateSentiment([0, 0, 1, 1, 1, 2], [0, 1, 1, 1, 2, 2]);
    expect(result.n).toBe(6);
    expect(result.accuracy).toBeCloseTo(4 / 6, 12);
    expect(result.confusion).toEqual([
      [1, 1, 0],
      [0, 2, 1],
      [0, 0, 1],
    ]);
    const [neg, neu, pos] = result.perClass;
    expect(neg).toMatchObject({ label: 'negative', precision: 1, recall: 0.5, support: 2 });
    expect(neu).toMatchObject({ label: 'neutral', precision: 2 / 3, recall: 2 / 3, support: 3 });
    expect(pos).toMatchObject({ label: 'positive', precision: 0.5, recall: 1, support: 1 });
    // scikit-learn f1_score(average='macro') on the same arrays: (2/3 + 2/3 + 2/3) / 3.
    expect(result.macroF1).toBeCloseTo(2 / 3, 12);
  });

  it('gives a class predicted but never labelled an F1 of 0, and skips a class absent from both', () => {
    const result = evaluateSentiment([1, 1, 1], [1, 1, 0]);
    expect(result.perClass[0]!.f1).toBe(0);
    // neutral: precision 1, recall 2/3 → F1 0.8; negative: 0; positive absent → skipped.
    expect(result.macroF1).toBeCloseTo(0.4, 12);
  });

  it('refuses mismatched lengths, no rows and indices outside 0..2', () => {
    expect(() => evaluateSentiment([0, 1], [0])).toThrow(/differ in length/);
    expect(() => evaluateSentiment([], [])).toThrow(/nothing to evaluate/);
    expect(() => evaluateSentiment([3], [0])).toThrow(/row 0/);
  });
});

describe('label mapping', () => {
  it('maps the tweet dataset (0 bearish, 1 bullish, 2 neutral) onto negative, positive, neutral', () => {
    expect(TWEET_LABEL_TO_SENTIMENT).toEqual({ 0: 0, 1: 2, 2: 1 });
  });

  it('reads label names case-insensitively and refuses names it cannot read', () => {
    expect(sentimentIndexOfName('Positive')).toBe(2);
    expect(sentimentIndexOfName(' bearish ')).toBe(0);
    expect(sentimentIndexOfName('NEUTRAL')).toBe(1);
    expect(sentimentIndexOfName('LABEL_0')).toBeNull();
  });

  it('picks the most probable class of each row, the first on a tie', () => {
    expect([...argmaxSentiment([0.2, 0.5, 0.3, 0.4, 0.4, 0.2, 0.1, 0.1, 0.8])]).toEqual([1, 0, 2]);
  });
});
