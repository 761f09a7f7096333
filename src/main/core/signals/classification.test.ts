import { describe, expect, it } from 'vitest';
import { argmaxRows, classificationReport, majorityClass } from './classification';

/** A probability row putting `p` on `top` and spreading the rest evenly. */
const row = (top: number, p: number): number[] =>
  Array.from({ length: 8 }, (_, c) => (c === top ? p : (1 - p) / 7));

describe('classificationReport', () => {
  it('scores accuracy, the training majority rate, balanced accuracy, log-loss and the confusion matrix', () => {
    const labels = Int8Array.of(0, 0, 0, 1, 2, -1);
    const probabilities = Float64Array.from([
      ...row(0, 0.9),
      ...row(0, 0.6),
      ...row(1, 0.5), // a miss: class 0 gets 0.5/7
      ...row(1, 0.8),
      ...row(0, 0.3), // a miss: class 2 gets 0.1
      ...row(5, 1), // unlabelled row: skipped
    ]);
    const report = classificationReport(labels, probabilities, 1);
    expect(report.rows).toBe(5);
    expect(report.accuracy).toBeCloseTo(3 / 5, 14);
    expect(report.majorityRate).toBeCloseTo(1 / 5, 14); // the training majority (1) labels 1 row of 5
    // Recall: class 0 2/3, class 1 1/1, class 2 0/1 → mean over the 3 present classes.
    expect(report.balancedAccuracy).toBeCloseTo((2 / 3 + 1 + 0) / 3, 14);
    const expectedLoss =
      -(Math.log(0.9) + Math.log(0.6) + Math.log(0.5 / 7) + Math.log(0.8) + Math.log(0.1)) / 5;
    expect(report.logLoss).toBeCloseTo(expectedLoss, 12);
    expect(report.confusion[0]).toEqual([2, 1, 0, 0, 0, 0, 0, 0]);
    expect(report.confusion[2]![0]).toBe(1);
    expect(report.counts).toEqual([3, 1, 1, 0, 0, 0, 0, 0]);
  });

  it('clips a zero probability of the label to 1e-7 rather than answering Infinity', () => {
    const report = classificationReport(Int8Array.of(3), Float64Array.from(row(0, 1)), 0);
    expect(report.logLoss).toBeCloseTo(-Math.log(1e-7), 10);
  });

  it('answers NaN with no labelled row, and refuses mismatched sizes', () => {
    expect(classificationReport(Int8Array.of(-1), new Float64Array(8), 0).accuracy).toBeNaN();
    expect(() => classificationReport(Int8Array.of(1, 2), new Float64Array(8), 0)).toThrow(/8 probabilities/);
    expect(() => classificationReport(Int8Array.of(1), new Float64Array(8), 8)).toThrow(/majority/);
  });
});

describe('majorityClass and argmaxRows', () => {
  it('finds the most frequent label (lowest on a tie) and each row’s top class', () => {
    expect(majorityClass(Int8Array.of(-1, 4, 2, 4, 2, 7))).toBe(2);
    expect(majorityClass(Int8Array.of(-1))).toBeNull();
    expect([...argmaxRows(Float64Array.from([...row(6, 0.5), ...row(2, 0.4)]))]).toEqual([6, 2]);
  });
});
