/**
 * How each strategy and baseline is named and coloured on screen: the names are the contract's
 * (STRATEGY_NAMES, BASELINE_NAMES); colours run from cool (defensive) to warm (aggressive), with the
 * tactical bonds-and-gold allocation apart in purple.
 */
import { BASELINE_NAMES, STRATEGY_IDS, STRATEGY_NAMES, type StrategyId } from '../../shared/domain';

export interface StrategyStyle {
  /** The contract's STRATEGY_NAMES. */
  name: string;
  /** At most 5 characters: chart markers and table headers. */
  short: string;
  color: string;
}

export const STRATEGY_STYLE: Readonly<Record<StrategyId, StrategyStyle>> = {
  ultra_defensive: { name: STRATEGY_NAMES.ultra_defensive, short: 'UDef', color: '#7d8fb3' },
  defensive: { name: STRATEGY_NAMES.defensive, short: 'Def', color: '#4f8fd6' },
  balanced_safe: { name: STRATEGY_NAMES.balanced_safe, short: 'BalS', color: '#56c8e0' },
  balanced_growth: { name: STRATEGY_NAMES.balanced_growth, short: 'BalG', color: '#4cc374' },
  balanced_aggressive: { name: STRATEGY_NAMES.balanced_aggressive, short: 'BalA', color: '#b8c93e' },
  aggressive_growth: { name: STRATEGY_NAMES.aggressive_growth, short: 'Aggr', color: '#e3a13b' },
  max_growth: { name: STRATEGY_NAMES.max_growth, short: 'Max', color: '#ff7a45' },
  tactical_opportunity: { name: STRATEGY_NAMES.tactical_opportunity, short: 'Tact', color: '#b48af0' },
};

/** The strategies in probability-vector order, with their style. */
export const STRATEGY_ROWS: readonly ({ id: StrategyId } & StrategyStyle)[] = STRATEGY_IDS.map((id) => ({
  id,
  ...STRATEGY_STYLE[id],
}));

const BASELINE_COLORS: Readonly<Record<string, string>> = {
  spy_buy_hold: '#c9d1d9',
  sixty_forty: '#8b949e',
  equal_weight: '#6e7681',
  majority: '#a37b52',
  logistic: '#7f6bb0',
};

/** A baseline's name as a trader reads it; an id the window does not know is shown as sent. */
export const baselineName = (id: string): string =>
  (BASELINE_NAMES as Readonly<Record<string, string>>)[id] ?? id;

/** A baseline's line colour; greys so that the model's own line stands out. */
export const baselineColor = (id: string): string => BASELINE_COLORS[id] ?? '#6e7681';

/** The model's own equity line. */
export const MODEL_COLOR = '#58a6ff';
