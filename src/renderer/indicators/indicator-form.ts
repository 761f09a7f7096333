/**
 * The indicator menu's "Add" rows as data: each kind's parameter fields with their defaults (SMA 20,
 * EMA 20, Bollinger 20/2, RSI 14, MACD 12/26/9, as charting tools default them), read as typed into an
 * Indicator checked by the workspace's IndicatorSchema, with plain-words problems.
 */
import {
  IndicatorSchema,
  type Indicator,
  type IndicatorKind,
  type Pane,
  type Timeframe,
} from '../../shared/domain';
import { unavailableReason } from './indicator-values';

export const INDICATOR_KINDS: readonly IndicatorKind[] = ['sma', 'ema', 'bollinger', 'vwap', 'rsi', 'macd'];

/** A numeric parameter of a kind, its label and default (as text, the way the input holds it). */
export interface ParamField {
  name: 'period' | 'deviations' | 'fast' | 'slow' | 'signal';
  label: string;
  initial: string;
  /** Whole numbers only (periods) or any decimal (standard deviations). */
  step: number;
}

const period = (initial: number): ParamField => ({
  name: 'period',
  label: 'period',
  initial: String(initial),
  step: 1,
});

export const PARAM_FIELDS: Record<IndicatorKind, readonly ParamField[]> = {
  sma: [period(20)],
  ema: [period(20)],
  bollinger: [period(20), { name: 'deviations', label: 'std devs', initial: '2', step: 0.5 }],
  vwap: [],
  rsi: [period(14)],
  macd: [
    { name: 'fast', label: 'fast', initial: '12', step: 1 },
    { name: 'slow', label: 'slow', initial: '26', step: 1 },
    { name: 'signal', label: 'signal', initial: '9', step: 1 },
  ],
};

/** The most indicators a pane keeps (the workspace schema's limit). */
export const MAX_PANE_INDICATORS = 12;

/** Field texts of a kind as first shown. */
export function initialFields(kind: IndicatorKind): Record<string, string> {
  return Object.fromEntries(PARAM_FIELDS[kind].map((f) => [f.name, f.initial]));
}

const PROBLEMS: Record<ParamField['name'], string> = {
  period: 'period must be a whole number from 1 to 1000',
  fast: 'fast must be a whole number from 1 to 1000',
  slow: 'slow must be a whole number from 1 to 1000',
  signal: 'signal must be a whole number from 1 to 1000',
  deviations: 'std devs must be a number above 0, at most 10',
};

export type FormReading = { indicator: Indicator; problem: null } | { indicator: null; problem: string };

/**
 * The indicator the fields describe, with `id`, or the first problem with them in plain words. Fields are
 * checked by IndicatorSchema; MACD's fast average must also be shorter than its slow one.
 */
export function readIndicatorForm(
  kind: IndicatorKind,
  fields: Readonly<Record<string, string>>,
  id: string,
): FormReading {
  const candidate: Record<string, unknown> = { id, kind };
  for (const field of PARAM_FIELDS[kind]) {
    const text = (fields[field.name] ?? '').trim();
    candidate[field.name] = text === '' ? Number.NaN : Number(text);
  }
  const parsed = IndicatorSchema.safeParse(candidate);
  if (!parsed.success) {
    const name = parsed.error.issues[0]?.path[0];
    const problem =
      typeof name === 'string' && name in PROBLEMS ? PROBLEMS[name as ParamField['name']] : null;
    return { indicator: null, problem: problem ?? 'these settings are not valid' };
  }
  const indicator = parsed.data;
  if (indicator.kind === 'macd' && indicator.fast >= indicator.slow) {
    return { indicator: null, problem: 'fast must be shorter than slow' };
  }
  return { indicator, problem: null };
}

/** Why the kind cannot be added to this pane now (null: it can). */
export function addBlockedReason(
  kind: IndicatorKind,
  pane: Pick<Pane, 'indicators'>,
  timeframe: Timeframe,
): string | null {
  if (pane.indicators.length >= MAX_PANE_INDICATORS) {
    return `a pane holds at most ${MAX_PANE_INDICATORS} indicators: remove one first`;
  }
  return unavailableReason(kind, timeframe);
}

/** A short id unique within the pane's list: the kind and a number from the clock (`now`, epoch ms). */
export function newIndicatorId(kind: IndicatorKind, taken: readonly Indicator[], now: number): string {
  const ids = new Set(taken.map((i) => i.id));
  let n = now % 1e6;
  while (ids.has(`${kind}-${n}`)) n = (n + 1) % 1e6;
  return `${kind}-${n}`;
}
