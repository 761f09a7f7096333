/**
 * The Retrain panel's state: which training job the window follows, its latest progress, and the
 * trader's decision on the candidate; plus the words and figures the panel shows. The reducer is pure
 * (use-training.ts feeds it the engine's replies and `signals.training` events).
 *
 * A job is followed when this window started it, or when its progress arrives while the window follows
 * none (started from another window). Progress may arrive before `signals.retrain` replies with the
 * job's id: it is held and picked up with the reply.
 */
import type { ModelInfo, TrainingProgress } from '../../shared/domain';
import { MISSING, formatEta, formatPercent } from './format';

export interface TrainingDecision {
  accepted: boolean;
  /** The model that runs after the decision (the engine's answer). */
  model: ModelInfo | null;
  message: string | null;
}

export interface TrainingState {
  jobId: string | null;
  progress: TrainingProgress | null;
  /** `signals.retrain` is in flight. */
  starting: boolean;
  /** `signals.decideCandidate` is in flight. */
  deciding: boolean;
  decision: TrainingDecision | null;
  /** What failed, in the engine's words (a refused start or decision). */
  error: string | null;
  /** Progress of jobs seen while the start's reply is awaited, latest per job. */
  early: Readonly<Record<string, TrainingProgress>>;
}

export const INITIAL_TRAINING: TrainingState = {
  jobId: null,
  progress: null,
  starting: false,
  deciding: false,
  decision: null,
  error: null,
  early: {},
};

export type TrainingAction =
  | { type: 'start' }
  | { type: 'started'; jobId: string }
  | { type: 'startFailed'; message: string }
  | { type: 'progress'; progress: TrainingProgress }
  | { type: 'decide' }
  | { type: 'decided'; decision: TrainingDecision }
  | { type: 'decideFailed'; message: string };

const RUNNING_PHASES: ReadonlySet<TrainingProgress['phase']> = new Set([
  'preparing',
  'training',
  'evaluating',
]);

/** A job is running: the engine trains or evaluates it. */
export const isRunning = (state: TrainingState): boolean =>
  state.progress !== null && RUNNING_PHASES.has(state.progress.phase);

/** A finished candidate waits for Accept or Reject. */
export const awaitsDecision = (state: TrainingState): boolean =>
  state.progress?.phase === 'done' && state.progress.report !== null && state.decision === null;

/** Start is offered: nothing starting or running, and no candidate waiting for the trader's word. */
export const canStart = (state: TrainingState): boolean =>
  !state.starting && !isRunning(state) && !awaitsDecision(state);

export function trainingReducer(state: TrainingState, action: TrainingAction): TrainingState {
  switch (action.type) {
    case 'start':
      return {
        ...state,
        starting: true,
        jobId: null,
        progress: null,
        decision: null,
        error: null,
        early: {},
      };
    case 'started':
      return {
        ...state,
        starting: false,
        jobId: action.jobId,
        progress: state.early[action.jobId] ?? state.progress,
        early: {},
      };
    case 'startFailed':
      return { ...state, starting: false, error: action.message, early: {} };
    case 'progress': {
      const { progress } = action;
      if (state.starting) return { ...state, early: { ...state.early, [progress.jobId]: progress } };
      if (progress.jobId === state.jobId) return { ...state, progress };
      // Another job: follow it unless ours still runs or waits for a decision.
      if (isRunning(state) || awaitsDecision(state) || state.deciding) return state;
      return { ...state, jobId: progress.jobId, progress, decision: null, error: null };
    }
    case 'decide':
      return { ...state, deciding: true, error: null };
    case 'decided':
      return { ...state, deciding: false, decision: action.decision };
    case 'decideFailed':
      return { ...state, deciding: false, error: action.message };
  }
}

/** How far the job is, 0..1 by epochs, or null while unknown (preparing, no epoch count yet). */
export function trainingShare(progress: TrainingProgress): number | null {
  if (progress.phase === 'done') return 1;
  if (progress.epochs <= 0) return null;
  return Math.min(1, progress.epoch / progress.epochs);
}

const PHASE_WORDS: Record<TrainingProgress['phase'], string> = {
  preparing: 'Preparing the training data',
  training: 'Training',
  evaluating: 'Evaluating the candidate against the baselines',
  done: 'Finished: the candidate is ready',
  failed: 'Training failed',
};

/** One line: what the job does now ("Training: epoch 12 of 60"), with the engine's message after it. */
export function describeTraining(progress: TrainingProgress): string {
  const phase =
    progress.phase === 'training' && progress.epochs > 0
      ? `Training: epoch ${progress.epoch} of ${progress.epochs}`
      : PHASE_WORDS[progress.phase];
  return progress.message ? `${phase} — ${progress.message}` : phase;
}

/** The figures under the progress bar, labelled; '—' for those not known yet. */
export function trainingFigures(progress: TrainingProgress): { label: string; value: string }[] {
  const loss = (value: number | null): string => (value === null ? MISSING : value.toFixed(3));
  return [
    { label: 'Loss', value: loss(progress.loss) },
    { label: 'Accuracy', value: formatPercent(progress.accuracy) },
    { label: 'Val. loss', value: loss(progress.valLoss) },
    { label: 'Val. accuracy', value: formatPercent(progress.valAccuracy) },
    { label: 'Time left', value: progress.phase === 'done' ? MISSING : formatEta(progress.etaMs) },
  ];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The retrain window from the panel's two date fields ('' = from the first / to the last stored daily
 * bar): the call's params, or what is wrong in plain words.
 */
export function retrainParams(
  from: string,
  to: string,
): { params: { from?: string; to?: string }; problem: null } | { params: null; problem: string } {
  const f = from.trim();
  const t = to.trim();
  if (f !== '' && !DATE.test(f))
    return { params: null, problem: 'The start date must be a date (YYYY-MM-DD).' };
  if (t !== '' && !DATE.test(t))
    return { params: null, problem: 'The end date must be a date (YYYY-MM-DD).' };
  if (f !== '' && t !== '' && f > t) {
    return { params: null, problem: `The start date ${f} is after the end date ${t}.` };
  }
  return { params: { ...(f !== '' ? { from: f } : {}), ...(t !== '' ? { to: t } : {}) }, problem: null };
}
