/**
 * The risk limits as the Settings panel edits them: one text field per limit, checked as the trader types
 * by the contract's own schema (RiskLimitsSchema), so what the form lets through is what
 * `trading.setLimits` accepts. Money in dollars, the price band in percent (the schema's fraction × 100).
 */
import { RiskLimitsSchema, type RiskLimits } from '../../shared/domain';
import { LIMIT_RULE_NAME, type LimitRule } from '../trading/trading-format';

export const LIMIT_FIELDS = [
  'maxOrderNotional',
  'maxPositionNotional',
  'maxGrossExposure',
  'maxDailyLoss',
  'maxOrdersPerMinute',
  'priceBand',
] as const satisfies readonly (keyof RiskLimits)[];
export type LimitField = (typeof LIMIT_FIELDS)[number];

export type LimitTexts = Record<LimitField, string>;

/** A field's name (the one table's, shared with the ticket's refusals), its unit and the rule it is. */
const limit = (rule: LimitRule, unit: string) => ({ label: LIMIT_RULE_NAME[rule], unit, rule });

/** What each field is, in the trader's words, its unit, and the rule a refusal names. */
export const LIMIT_LABEL: Record<LimitField, { label: string; unit: string; rule: LimitRule }> = {
  maxOrderNotional: limit('max_order_notional', '$'),
  maxPositionNotional: limit('max_position_notional', '$'),
  maxGrossExposure: limit('max_gross_exposure', '$'),
  maxDailyLoss: limit('max_daily_loss', '$'),
  maxOrdersPerMinute: limit('max_orders_per_minute', 'orders'),
  priceBand: limit('price_band', '%'),
};

/** The limits as the form shows them: dollars as typed numbers, the band in percent. */
export function limitTexts(limits: RiskLimits): LimitTexts {
  const texts = {} as LimitTexts;
  for (const field of LIMIT_FIELDS) {
    const value = field === 'priceBand' ? limits.priceBand * 100 : limits[field];
    // Rounded to what a person types: 0.1 × 100 must read 10, not 10.000000000000002.
    texts[field] = String(Number(value.toPrecision(12)));
  }
  return texts;
}

export type LimitsCheck =
  { ok: true; limits: RiskLimits } | { ok: false; errors: Partial<Record<LimitField, string>> };

/**
 * Reads the fields into limits the contract accepts, or says per field what is wrong ("a number
 * above 0", "a whole number", "at most 100 %"). Commas and a leading $ are allowed in money.
 */
export function checkLimits(texts: LimitTexts): LimitsCheck {
  const errors: Partial<Record<LimitField, string>> = {};
  const candidate: Record<string, number> = {};
  for (const field of LIMIT_FIELDS) {
    const text = texts[field].trim().replace(/^\$/, '').replace(/,/g, '');
    const value = text === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(value)) {
      errors[field] = 'a number';
      continue;
    }
    candidate[field] = field === 'priceBand' ? value / 100 : value;
  }
  const parsed = RiskLimitsSchema.strict().safeParse(candidate);
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, limits: parsed.data };
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const field = issue.path[0] as LimitField | undefined;
    if (field === undefined || errors[field] !== undefined) continue;
    errors[field] = fieldProblem(field, issue.code);
  }
  return { ok: false, errors };
}

function fieldProblem(field: LimitField, code: string): string {
  const whole = field === 'maxOrdersPerMinute';
  // zod 4 says a fraction where an int is wanted with invalid_type.
  if (code === 'invalid_type') return whole ? 'a whole number' : 'a number';
  if (code === 'too_big') return field === 'priceBand' ? 'at most 100 %' : 'too large';
  return whole ? 'a whole number above 0' : 'a number above 0';
}
