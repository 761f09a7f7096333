/**
 * How each strategy and baseline is named and coloured on screen. The contract carries strategy ids
 * only; the names are those of core/signals/strategies.ts (the renderer may not import core, and
 * signals-strategy-style.test.ts checks the two lists agree). Colours run from cool (defensive) to warm
 * (aggressive), with the tactical bonds-and-gold allocation apart in purple.
 */
import { STRATEGY_IDS, type StrategyId } from '../../shared/domain';

export interface StrategyStyle {
  /** As in core/signals/strategies.ts. */
  name: string;
  /** At most 5 characters: chart markers and table headers. */
  short: string;
  color: string;
}

export const STRATEGY_STYLE: Readonly<Record<StrategyId, StrategyStyle>> = {
  ultra_defensive: { name: 'Ultra defensive', short: 'UDef', color: '#7d8fb3' },
  defensive: { name: 'Defensive', short: 'Def', color: '#4f8fd6' },
  balanced_safe: { name: 'Balanced safe', short: 'BalS', color: '#56c8e0' },
  balanced_growth: { name: 'Balanced growth', short: 'BalG', color: '#4cc374' },
  balanced_aggressive: { name: 'Balanced aggressive', short: 'BalA', color: '#b8c93e' },
  aggressive_growth: { name: 'Aggressive growth', short: 'Aggr', color: '#e3a13b' },
  max_growth: { name: 'Max growth', short: 'Max', color: '#ff7a45' },
  tactical_opportunity: { name: 'Tactical opportunity', short: 'Tact', color: '#b48af0' },
};

/** The strategies in probability-vector order, with their style. */
export const STRATEGY_ROWS: readonly ({ id: StrategyId } & StrategyStyle)[] = STRATEGY_IDS.map((id) => ({
  id,
  ...STRATEGY_STYLE[id],
}));

/**
 * The baselines of the scorecard and the training report (shared/domain/signals.ts BASELINE_IDS; their
 * allocations are core/signals/baselines.ts's).
 */
const BASELINE_NAMES: Readonly<Record<string, string>> = {
  spy_buy_hold: 'SPY buy and hold',
  sixty_forty: '60/40 SPY/IEF',
  equal_weight: 'Equal weight SPY/TLT/GLD/SHY',
  majority: 'Always the majority strategy',
  logistic: 'Logistic regression',
};

const BASELINE_COLORS: Readonly<Record<string, string>> = {
  spy_buy_hold: '#c9d1d9',
  sixty_forty: '#8b949e',
  equal_weight: '#6e7681',
  majority: '#a37b52',
  logistic: '#7f6bb0',
};

/** A baseline's name as a trader reads it; an id the window does not know is shown as sent. */
export const baselineName = (id: string): string => BASELINE_NAMES[id] ?? id;

/** A baseline's line colour; greys so that the model's own line stands out. */
export const baselineColor = (id: string): string => BASELINE_COLORS[id] ?? '#6e7681';

/** The model's own equity line. */
export const MODEL_COLOR = '#58a6ff';
