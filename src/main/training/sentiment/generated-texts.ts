/**
 * Labelled finance sentences generated from templates with the seeded generator: data the project
 * makes itself, so the trainer's and exporter's tests run on any machine (no ../shared needed).
 * Classes are SENTIMENT_LABELS indices (0 negative, 1 neutral, 2 positive).
 */
import { Random } from '../../core/synthetic/random';
import type { LabelledTexts } from './labelled-texts';

const COMPANIES = [
  'Apple',
  'Tesla',
  'Nvidia',
  'Boeing',
  'Pfizer',
  'Carnival',
  'Intel',
  'Netflix',
  'Ford',
  'Walmart',
];
const TICKERS = ['$AAPL', '$TSLA', '$NVDA', '$BA', '$PFE', '$CCL', '$INTC', '$NFLX', '$F', '$WMT'];

const TEMPLATES: Record<number, string[]> = {
  0: [
    '{c} shares plunge after weak earnings',
    '{t} - analysts cut {c} to sell on falling demand',
    '{c} misses estimates and slashes its outlook',
    '{c} stock drops as losses widen',
    '{t} {c} warns of lower revenue, shares tumble',
    'Downgrade: {c} faces a lawsuit and weak sales',
  ],
  1: [
    '{c} to hold its annual meeting on Tuesday',
    '{t} - {c} schedules a conference call for next week',
    '{c} names a new board member',
    '{c} files its quarterly report with the SEC',
    '{t} {c} will present at an industry conference',
    '{c} announces the date of its earnings release',
  ],
  2: [
    '{c} shares soar after strong earnings',
    '{t} - analysts upgrade {c} to buy on rising demand',
    '{c} beats estimates and raises its outlook',
    '{c} stock jumps as profit grows',
    '{t} {c} reports record revenue, shares rally',
    'Upgrade: {c} wins a big contract and strong sales',
  ],
};

/** `count` sentences, classes in turn (0, 1, 2, 0, …), companies and templates drawn with `seed`. */
export function generateLabelledTexts(count: number, seed: number): LabelledTexts {
  const random = Random.fromSeed(seed);
  const out: LabelledTexts = { texts: [], labels: [] };
  for (let i = 0; i < count; i++) {
    const label = i % 3;
    const templates = TEMPLATES[label]!;
    const template = templates[random.int(0, templates.length - 1)]!;
    const k = random.int(0, COMPANIES.length - 1);
    out.texts.push(template.replaceAll('{c}', COMPANIES[k]!).replaceAll('{t}', TICKERS[k]!));
    out.labels.push(label);
  }
  return out;
}
