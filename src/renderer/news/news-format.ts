/**
 * News as a trader reads it: publication times on the exchange's clock (New York, as every time in the
 * window), sentiment as a label with a signed score and its colour, catalyst tags in words, the state
 * of the news sources and of the sentiment model in one line each.
 */
import type {
  CatalystTag,
  NewsStatus,
  Sentiment,
  SentimentLabel,
  SentimentModelInfo,
} from '../../shared/domain';
import { exchangeParts, formatExchangeDateTime } from '../time/exchange-time';

/** "Tue 20 Feb 10:31": a publication time in New York time, to the minute. */
export function formatNewsTime(ms: number): string {
  const p = exchangeParts(ms);
  return `${p.weekday} ${p.day} ${p.month} ${p.hour}:${p.minute}`;
}

/** "2024-02-20 10:31 ET" for a row's tooltip and the chart marker's label (exchange wall clock). */
export function formatNewsMoment(ms: number): string {
  return `${formatExchangeDateTime(ms)} ET`;
}

/** A signed score with two decimals and a true minus sign: 0.724 → "+0.72", −0.5 → "−0.50", 0 → "0.00". */
export function formatSignedScore(score: number): string {
  if (!Number.isFinite(score)) return '—';
  const size = Math.abs(score).toFixed(2);
  return size === '0.00' ? size : `${score > 0 ? '+' : '−'}${size}`;
}

export type SentimentTone = SentimentLabel | 'unscored';

/** What a row shows of an item's sentiment: the label, the signed score, the colour's name, a tooltip. */
export interface SentimentView {
  label: string;
  score: string;
  tone: SentimentTone;
  title: string;
}

/**
 * @param sentiment the item's sentiment, or null when no model scored it
 * @param model the version that scored it (null when unscored)
 */
export function sentimentView(sentiment: Sentiment | null, model: string | null): SentimentView {
  if (sentiment === null) {
    return {
      label: 'unscored',
      score: '',
      tone: 'unscored',
      title: 'Not scored: no sentiment model ran when it arrived (the header says why)',
    };
  }
  const [negative = 0, neutral = 0, positive = 0] = sentiment.probabilities;
  const pct = (p: number) => `${Math.round(p * 100)} %`;
  return {
    label: sentiment.label,
    score: formatSignedScore(sentiment.score),
    tone: sentiment.label,
    title:
      `Sentiment ${sentiment.label}, score ${formatSignedScore(sentiment.score)} (P(positive) − P(negative)); ` +
      `negative ${pct(negative)}, neutral ${pct(neutral)}, positive ${pct(positive)}` +
      (model !== null ? `; scored by ${model}` : ''),
  };
}

const CATALYST_LABEL: Record<CatalystTag, string> = {
  earnings: 'earnings',
  guidance: 'guidance',
  analyst_rating: 'analyst',
  merger_acquisition: 'M&A',
  legal_regulatory: 'legal',
  product: 'product',
  management: 'management',
  capital_return: 'buyback/div.',
  macro: 'macro',
};

const CATALYST_TITLE: Record<CatalystTag, string> = {
  earnings: 'Earnings: results, EPS, revenue',
  guidance: 'Guidance: outlook, forecasts',
  analyst_rating: 'Analyst rating: upgrade, downgrade, price target',
  merger_acquisition: 'Merger or acquisition',
  legal_regulatory: 'Legal or regulatory: lawsuit, probe, fine, approval',
  product: 'Product: launch, recall',
  management: 'Management: CEO, CFO, board changes',
  capital_return: 'Capital return: buyback, dividend',
  macro: 'Macro: rates, inflation, jobs, the Fed',
};

/** A catalyst tag as a chip shows it, and its tooltip. */
export function catalystChip(tag: CatalystTag): { text: string; title: string } {
  return { text: CATALYST_LABEL[tag], title: CATALYST_TITLE[tag] };
}

/** The sentiment model in a few words: "sentiment <version> · CPU", or "no sentiment: <reason>". */
export function sentimentModelLine(
  model: SentimentModelInfo | null,
  reason: string | null,
): { text: string; title: string; ok: boolean } {
  if (model !== null) {
    const provider = model.provider.toUpperCase();
    return {
      text: `sentiment ${model.version} · ${provider}`,
      title: `Sentiment model ${model.name} ${model.version}, run by ONNX Runtime on the ${provider}; labels ${model.labels.join(', ')}; reads up to ${model.maxTokens} tokens of each headline`,
      ok: true,
    };
  }
  // The engine's reason may open with what the line already says ("No sentiment model runs: …").
  const why = (reason ?? 'no sentiment model runs').replace(/^no sentiment model runs?:\s*/i, '');
  return { text: `no sentiment: ${why}`, title: `News arrives unscored: ${why}`, ok: false };
}

export type SourceTone = 'ok' | 'warn' | 'bad' | 'muted';

const SOURCE_TONE: Record<NewsStatus['sources'][number]['state'], SourceTone> = {
  starting: 'warn',
  backfilling: 'warn',
  live: 'ok',
  reconnecting: 'warn',
  stopped: 'muted',
  error: 'bad',
};

/** Each news source as a chip: "company_news_2023_2024.csv · live", its tone, and its message in the tooltip. */
export function sourceChips(
  sources: NewsStatus['sources'],
): { key: string; text: string; tone: SourceTone; title: string }[] {
  return sources.map((source, index) => ({
    key: `${index}:${source.name}`,
    text: `${source.name} · ${source.state}`,
    tone: SOURCE_TONE[source.state],
    title: `News source ${source.name}: ${source.state}${source.message ? ` — ${source.message}` : ''}`,
  }));
}
