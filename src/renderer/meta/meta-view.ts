/**
 * The meta panel's words and shapes: each part of the meta-score as a signed bar (or "—" and why it is
 * missing), the regime forecast's probabilities, the entry gate, and the weights form (what a trader
 * types, checked against the contract's MetaWeightsSchema before it is sent). Pure: no React, no DOM.
 */
import {
  META_COMPONENTS,
  MetaWeightsSchema,
  REGIMES,
  type MetaComponent,
  type MetaScore,
  type MetaWeights,
  type Regime,
  type RegimeForecast,
} from '../../shared/domain';
import { formatSignedScore } from '../news/news-format';

export const COMPONENT_LABEL: Record<MetaComponent, string> = {
  micro: 'Micro',
  technical: 'Technical',
  sentiment: 'Sentiment',
  regime: 'Regime',
};

/** What each part reads, for its tooltip. */
export const COMPONENT_TITLE: Record<MetaComponent, string> = {
  micro: 'Market microstructure: the quote imbalance (bid vs ask size) of the latest quotes',
  technical: 'Technical: trend and momentum of recent bars',
  sentiment: 'Sentiment: the recent scored news naming the symbol, newer items weighing more',
  regime: 'Volatility regime: calm favours new risk, stressed counts against it',
};

/** Why a part has no value, in a few words (the tooltip says more): what the engine needs and lacks. */
export const COMPONENT_MISSING: Record<MetaComponent, string> = {
  micro: 'no quotes',
  technical: 'too little history',
  sentiment: 'no scored news yet',
  regime: 'too few daily bars',
};

/** The same at length, for the tooltip. */
export const COMPONENT_MISSING_TITLE: Record<MetaComponent, string> = {
  micro: 'this feed gives no quotes (bid and ask sizes)',
  technical: 'too few recent bars of this symbol for the trend and momentum reading',
  sentiment: 'no scored news naming this symbol in the recent window',
  regime: 'too few daily bars of this symbol for a volatility forecast',
};

/** One part of the meta-score as a bar drawn from the centre: right for positive, left for negative. */
export interface ComponentRow {
  id: MetaComponent;
  label: string;
  value: number | null;
  /** "+0.42", or "—" when missing. */
  text: string;
  /** Half-width share of the bar, 0..50 (%), from the centre. */
  widthPct: number;
  side: 'positive' | 'negative' | 'none';
  /** Why the value is missing, or null. */
  missing: string | null;
  /** The weight in force, as "w 0.25". */
  weight: string;
}

export function componentRows(meta: MetaScore): ComponentRow[] {
  return META_COMPONENTS.map((id) => {
    const value = meta.components[id];
    const present = value !== null && Number.isFinite(value);
    return {
      id,
      label: COMPONENT_LABEL[id],
      value: present ? value : null,
      text: present ? formatSignedScore(value) : '—',
      widthPct: present ? Math.min(50, Math.abs(value) * 50) : 0,
      side: !present || value === 0 ? 'none' : value > 0 ? 'positive' : 'negative',
      missing: present ? null : COMPONENT_MISSING[id],
      weight: formatWeight(meta.weights[id]),
    };
  });
}

/** A weight as the form and the rows show it: up to three decimals, no trailing zeros ("0.25", "1"). */
export function formatWeight(weight: number): string {
  return Number.isFinite(weight) ? String(Number(weight.toFixed(3))) : '—';
}

/** The meta-score in one figure, "+0.31", or "—" with why when no part is present. */
export function scoreText(meta: MetaScore): string {
  return meta.score === null ? '—' : formatSignedScore(meta.score);
}

export const REGIME_LABEL: Record<Regime, string> = { calm: 'calm', normal: 'normal', stressed: 'stressed' };

/** The regime forecast as rows: each regime's probability for the next session, the likeliest marked. */
export function regimeRows(
  regime: RegimeForecast,
): { id: Regime; label: string; probability: number; pct: string; likeliest: boolean }[] {
  return REGIMES.map((id, index) => {
    const probability = regime.next[index] ?? 0;
    return {
      id,
      label: REGIME_LABEL[id],
      probability,
      pct: `${Math.round(probability * 100)} %`,
      likeliest: id === regime.nextRegime,
    };
  });
}

/** Annualised volatility as a percentage: 0.183 → "18.3 %". */
export function formatVolatility(volatility: number): string {
  return Number.isFinite(volatility) ? `${(volatility * 100).toFixed(1)} %` : '—';
}

/** The weights form's fields, as typed. */
export type WeightTexts = Record<MetaComponent, string>;

export function weightTexts(weights: MetaWeights): WeightTexts {
  return {
    micro: formatWeight(weights.micro),
    technical: formatWeight(weights.technical),
    sentiment: formatWeight(weights.sentiment),
    regime: formatWeight(weights.regime),
  };
}

/**
 * The typed weights, checked as the engine will check them (MetaWeightsSchema: each a number in 0..1,
 * at least one above 0): the weights to send, or what is wrong, per field and overall.
 */
export function parseWeights(
  texts: WeightTexts,
): { weights: MetaWeights } | { fields: Partial<Record<MetaComponent, string>>; overall: string | null } {
  const fields: Partial<Record<MetaComponent, string>> = {};
  const numbers = {} as Record<MetaComponent, number>;
  for (const id of META_COMPONENTS) {
    const text = texts[id].trim().replace(',', '.');
    const value = text === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(value)) fields[id] = `${COMPONENT_LABEL[id]}: type a number from 0 to 1`;
    else if (value < 0 || value > 1) fields[id] = `${COMPONENT_LABEL[id]}: must be from 0 to 1`;
    numbers[id] = value;
  }
  if (Object.keys(fields).length > 0) return { fields, overall: null };
  const parsed = MetaWeightsSchema.safeParse(numbers);
  if (!parsed.success) {
    return { fields: {}, overall: parsed.error.issues.map((issue) => issue.message).join('; ') };
  }
  return { weights: parsed.data };
}
