/** training-view.ts: following a retraining job, and the words and figures of the Retrain panel. */
import { describe, expect, it } from 'vitest';
import type { PerformanceMetrics, TrainingProgress } from '../../shared/domain';
import {
  INITIAL_TRAINING,
  awaitsDecision,
  canStart,
  describeTraining,
  retrainParams,
  trainingFigures,
  trainingReducer,
  trainingShare,
  type TrainingAction,
  type TrainingState,
} from './training-view';

const METRICS: PerformanceMetrics = {
  cagr: 0.07,
  vol: 0.12,
  sharpe: 0.6,
  sortino: 0.8,
  max_drawdown: 0.2,
  turnover: 2,
};

function progress(jobId: string, phase: TrainingProgress['phase'], epoch = 0): TrainingProgress {
  return {
    jobId,
    phase,
    epoch,
    epochs: 40,
    loss: phase === 'preparing' ? null : 1.9,
    accuracy: phase === 'preparing' ? null : 0.31,
    valLoss: null,
    valAccuracy: null,
    etaMs: phase === 'training' ? 125_000 : null,
    message: null,
    report:
      phase === 'done'
        ? {
            candidateVersion: 'trm-new',
            from: '2021-01-04',
            to: '2021-12-02',
            candidate: METRICS,
            current: null,
            baselines: { spy_buy_hold: METRICS },
            accuracy: 0.35,
            balancedAccuracy: 0.3,
            majorityRate: 0.25,
          }
        : null,
  };
}

const run = (...actions: TrainingAction[]): TrainingState =>
  actions.reduce(trainingReducer, INITIAL_TRAINING);

describe('following a retraining job', () => {
  it('follows the job it started, with progress that came before the job’s id', () => {
    const state = run(
      { type: 'start' },
      { type: 'progress', progress: progress('job-1', 'preparing') },
      { type: 'started', jobId: 'job-1' },
      { type: 'progress', progress: progress('job-1', 'training', 3) },
    );
    expect(state.jobId).toBe('job-1');
    expect(state.progress?.epoch).toBe(3);
    expect(canStart(state)).toBe(false);
  });

  it('offers Accept and Reject once the report is in, and Start again only after the decision', () => {
    const done = run(
      { type: 'start' },
      { type: 'started', jobId: 'j' },
      { type: 'progress', progress: progress('j', 'done', 40) },
    );
    expect(awaitsDecision(done)).toBe(true);
    expect(canStart(done)).toBe(false);
    const decided = run(
      { type: 'start' },
      { type: 'started', jobId: 'j' },
      { type: 'progress', progress: progress('j', 'done', 40) },
      { type: 'decide' },
      { type: 'decided', decision: { accepted: true, model: null, message: null } },
    );
    expect(awaitsDecision(decided)).toBe(false);
    expect(canStart(decided)).toBe(true);
  });

  it('takes up a job started elsewhere only while it follows none that runs or waits', () => {
    const idle = run({ type: 'progress', progress: progress('other', 'training', 1) });
    expect(idle.jobId).toBe('other');
    const busy = run(
      { type: 'start' },
      { type: 'started', jobId: 'mine' },
      { type: 'progress', progress: progress('mine', 'training', 2) },
      { type: 'progress', progress: progress('other', 'training', 9) },
    );
    expect(busy.jobId).toBe('mine');
    expect(busy.progress?.epoch).toBe(2);
  });

  it('keeps the engine’s words when a start or a decision is refused, and lets the trader try again', () => {
    const refused = run(
      { type: 'start' },
      { type: 'startFailed', message: 'Retraining is not available in this build' },
    );
    expect(refused.error).toBe('Retraining is not available in this build');
    expect(canStart(refused)).toBe(true);
    const start = run(
      { type: 'start' },
      { type: 'started', jobId: 'j' },
      { type: 'progress', progress: progress('j', 'done') },
    );
    const failed = [
      { type: 'decide' } as const,
      { type: 'decideFailed', message: 'no such job' } as const,
    ].reduce(trainingReducer, start);
    expect(failed.error).toBe('no such job');
    expect(awaitsDecision(failed)).toBe(true);
  });
});

describe('the Retrain panel’s words', () => {
  it('says the phase, the epoch and the engine’s message', () => {
    expect(describeTraining(progress('j', 'training', 12))).toBe('Training: epoch 12 of 40');
    expect(describeTraining({ ...progress('j', 'failed'), message: 'not enough daily bars' })).toBe(
      'Training failed — not enough daily bars',
    );
    expect(trainingShare(progress('j', 'training', 10))).toBe(0.25);
    expect(trainingShare({ ...progress('j', 'preparing'), epochs: 0 })).toBeNull();
    expect(trainingShare(progress('j', 'done', 0))).toBe(1);
  });

  it('labels every figure, with a dash for those not known yet', () => {
    expect(trainingFigures(progress('j', 'training', 5))).toEqual([
      { label: 'Loss', value: '1.900' },
      { label: 'Accuracy', value: '31.0 %' },
      { label: 'Val. loss', value: '—' },
      { label: 'Val. accuracy', value: '—' },
      { label: 'Time left', value: '2 min' },
    ]);
  });

  it('checks the date range before asking the engine', () => {
    expect(retrainParams('', '')).toEqual({ params: {}, problem: null });
    expect(retrainParams('2010-01-04', '2024-12-31')).toEqual({
      params: { from: '2010-01-04', to: '2024-12-31' },
      problem: null,
    });
    expect(retrainParams('2024-12-31', '2010-01-04').problem).toBe(
      'The start date 2024-12-31 is after the end date 2010-01-04.',
    );
    expect(retrainParams('2024-1-4', '').problem).toMatch(/start date must be a date/);
  });
});
