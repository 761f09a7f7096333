/**
 * The risk limits as the Settings panel edits them: one text field per limit, checked as the trader types
 * by the contract's own schema (RiskLimitsSchema), so what the form lets through is what
 * `trading.setLimits` accepts. Money in dollars, the price band in percent (the schema's fraction × 100).
 */
import { RiskLimitsSchema, type RiskLimits } from '../../shared/domain';

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

/** What each field is, in the trader's words, its unit, and the rule a refusal names. */
export const LIMIT_LABEL: Record<LimitField, { label: string; unit: string; rule: string }> = {
  maxOrderNotional: { label: 'Largest order', unit: '$', rule: 'max_order_notional' },
  maxPositionNotional: { label: 'Largest position in one symbol', unit: '$', rule: 'max_position_notional' },
  maxGrossExposure: { label: 'Largest gross exposure', unit: '$', rule: 'max_gross_exposure' },
  maxDailyLoss: { label: 'Largest loss of the day', unit: '$', rule: 'max_daily_loss' },
  maxOrdersPerMinute: { label: 'Most orders a minute', unit: 'orders', rule: 'max_orders_per_minute' },
  priceBand: { label: 'Price band around the last price', unit: '%', rule: 'price_band' },
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
