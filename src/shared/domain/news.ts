/**
 * News and what the workstation reads from it: news items (headlines and social posts) with their
 * sentiment and catalyst tags, the sentiment model that scores them, the volatility regime with its
 * one-step-ahead forecast, and the meta-score that combines micro, technical, sentiment and regime scores
 * into one number with an entry gate. Each type is a runtime schema with its static type inferred from it.
 *
 * Conventions: times are epoch ms UTC; a news item's `time` is when it was published (for a recorded
 * source, the time in the file); symbols are upper case; an item with no symbols is market-wide news.
 */
import { z } from 'zod';
import { SymbolSchema, TimestampSchema } from './bars';
import { INFERENCE_PROVIDERS, StrategyIdSchema } from './signals';

/** Sentiment classes, in the order of every probability vector. */
export const SENTIMENT_LABELS = ['negative', 'neutral', 'positive'] as const;
export const SentimentLabelSchema = z.enum(SENTIMENT_LABELS);
export type SentimentLabel = z.infer<typeof SentimentLabelSchema>;

const Probability = z.number().finite().min(0).max(1);

/** One text's sentiment as a model scored it. */
export const SentimentSchema = z.object({
  /** The most probable class. */
  label: SentimentLabelSchema,
  /** Probabilities in SENTIMENT_LABELS order (negative, neutral, positive); they sum to 1. */
  probabilities: z.array(Probability).length(SENTIMENT_LABELS.length),
  /** P(positive) − P(negative), in [−1, 1]: the signed score every aggregate uses. */
  score: z.number().finite().min(-1).max(1),
});
export type Sentiment = z.infer<typeof SentimentSchema>;

/**
 * Catalyst tags: what kind of event a headline reports. Keyword rules assign them by default; a
 * zero-shot NLI model does when one is installed (`trm models fetch`).
 */
export const CATALYST_TAGS = [
  'earnings',
  'guidance',
  'analyst_rating',
  'merger_acquisition',
  'legal_regulatory',
  'product',
  'management',
  'capital_return',
  'macro',
] as const;
export const CatalystTagSchema = z.enum(CATALYST_TAGS);
export type CatalystTag = z.infer<typeof CatalystTagSchema>;

/** Where a news item came from: a provider's live stream or REST history, or a recorded file. */
export const NEWS_ORIGINS = ['alpaca', 'recorded'] as const;
export const NewsOriginSchema = z.enum(NEWS_ORIGINS);
export type NewsOrigin = z.infer<typeof NewsOriginSchema>;

/** A headline (news wire, company news) or a social post (a tweet). */
export const NEWS_KINDS = ['headline', 'social'] as const;
export const NewsKindSchema = z.enum(NEWS_KINDS);
export type NewsKind = z.infer<typeof NewsKindSchema>;

/** The longest headline or summary the store keeps (characters); longer text is cut with an ellipsis. */
export const MAX_NEWS_TEXT_CHARS = 4000;

/** A news item as it arrives, before scoring. */
export const NewsItemSchema = z.object({
  /**
   * Unique within the store: `<origin>:<provider id>` (e.g. `alpaca:24843171`), or for a recorded file
   * without ids `recorded:<source>:<sha-256 of time and text, 16 hex>`.
   */
  id: z.string().min(1).max(200),
  origin: NewsOriginSchema,
  kind: NewsKindSchema,
  /** The provider or file, as a trader reads it: "Benzinga", "company_news_2023_2024.csv", "StockNet tweets". */
  source: z.string().max(200),
  /** Published (epoch ms UTC). */
  time: TimestampSchema,
  headline: z.string().min(1).max(MAX_NEWS_TEXT_CHARS),
  /** Summary or body excerpt; '' when there is none. */
  summary: z.string().max(MAX_NEWS_TEXT_CHARS),
  /** Symbols it is about, upper case; empty for market-wide news. */
  symbols: z.array(SymbolSchema).max(64),
  url: z.string().max(2000).nullable(),
});
export type NewsItem = z.infer<typeof NewsItemSchema>;

/** A news item with what the workstation read from it. */
export const ScoredNewsSchema = NewsItemSchema.extend({
  /** The headline's sentiment; null when no sentiment model runs (`news.status` says why). */
  sentiment: SentimentSchema.nullable(),
  /** Version of the model that scored it, null when unscored. */
  sentimentModel: z.string().nullable(),
  catalysts: z.array(CatalystTagSchema),
});
export type ScoredNews = z.infer<typeof ScoredNewsSchema>;

/** The sentiment model that runs. */
export const SentimentModelInfoSchema = z.object({
  /** Registry name, e.g. "sentiment-default" or "finbert". */
  name: z.string(),
  /** Version (from the folder's manifest or model card), e.g. "sent-20261130-a1b2c3". */
  version: z.string(),
  provider: z.enum(INFERENCE_PROVIDERS),
  /** The model's own labels as its config names them, in its output order. */
  labels: z.array(z.string()),
  /** Tokens per text the model reads; longer texts are truncated. */
  maxTokens: z.number().int().positive(),
});
export type SentimentModelInfo = z.infer<typeof SentimentModelInfoSchema>;

export const NEWS_SOURCE_STATES = [
  'starting',
  'backfilling',
  'live',
  'reconnecting',
  'stopped',
  'error',
] as const;

/** State of news: its sources, the sentiment model (or why none runs) and how much is stored. */
export const NewsStatusSchema = z.object({
  sources: z.array(
    z.object({
      name: z.string(),
      state: z.enum(NEWS_SOURCE_STATES),
      message: z.string().nullable(),
    }),
  ),
  sentiment: SentimentModelInfoSchema.nullable(),
  /** Why no sentiment model runs (missing or corrupt file, named), else null; news still arrives unscored. */
  sentimentMessage: z.string().nullable(),
  /** The catalyst tagger: 'keywords' (default rules) or 'zero-shot' (an NLI model is installed). */
  catalystTagger: z.enum(['keywords', 'zero-shot']),
  /** News items in the store. */
  stored: z.number().int().nonnegative(),
  /** Why there is no news source and what to do (demo mode), else null. */
  message: z.string().nullable().optional(),
});
export type NewsStatus = z.infer<typeof NewsStatusSchema>;

/** Volatility regimes, calm to stressed (core/signals/volatility-regime.ts defines the thresholds). */
export const REGIMES = ['calm', 'normal', 'stressed'] as const;
export const RegimeSchema = z.enum(REGIMES);
export type Regime = z.infer<typeof RegimeSchema>;

/** The volatility regime now and its forecast for the next session. */
export const RegimeForecastSchema = z.object({
  /** The daily bar (its start) the regime was read at. */
  barStart: TimestampSchema,
  current: RegimeSchema,
  /** Annualised realised volatility now (0.2 = 20 %). */
  volatility: z.number().finite().nonnegative(),
  /** Forecast of next session's annualised volatility. */
  forecastVolatility: z.number().finite().nonnegative(),
  /** P(regime of the next session), in REGIMES order. */
  next: z.array(Probability).length(REGIMES.length),
  /** The most probable next regime. */
  nextRegime: RegimeSchema,
});
export type RegimeForecast = z.infer<typeof RegimeForecastSchema>;

/** The parts of the meta-score, each in [−1, 1] (positive = favourable for new long risk). */
export const META_COMPONENTS = ['micro', 'technical', 'sentiment', 'regime'] as const;
export const MetaComponentSchema = z.enum(META_COMPONENTS);
export type MetaComponent = z.infer<typeof MetaComponentSchema>;

/** Weights of the meta-score's parts (non-negative; the score renormalises over the parts present). */
export const MetaWeightsSchema = z
  .object({
    micro: z.number().finite().min(0).max(1),
    technical: z.number().finite().min(0).max(1),
    sentiment: z.number().finite().min(0).max(1),
    regime: z.number().finite().min(0).max(1),
  })
  .refine((w) => w.micro + w.technical + w.sentiment + w.regime > 0, 'at least one weight must be above 0');
export type MetaWeights = z.infer<typeof MetaWeightsSchema>;

/** Whether new risk may be entered, and why not. */
export const EntryGateSchema = z.object({
  open: z.boolean(),
  /** Why it is closed ("sentiment −0.42 below −0.20 and regime forecast stressed"), else null. */
  reason: z.string().nullable(),
});
export type EntryGate = z.infer<typeof EntryGateSchema>;

/** One symbol's meta-score at a time. */
export const MetaScoreSchema = z.object({
  symbol: SymbolSchema,
  /** Market time it was computed at. */
  time: TimestampSchema,
  /** Weighted mean of the parts present, in [−1, 1]; null when no part is present. */
  score: z.number().finite().min(-1).max(1).nullable(),
  /** Each part's value, or null when its input is missing (no quotes, no news, too little history). */
  components: z.object({
    micro: z.number().finite().min(-1).max(1).nullable(),
    technical: z.number().finite().min(-1).max(1).nullable(),
    sentiment: z.number().finite().min(-1).max(1).nullable(),
    regime: z.number().finite().min(-1).max(1).nullable(),
  }),
  weights: MetaWeightsSchema,
  regime: RegimeForecastSchema.nullable(),
  gate: EntryGateSchema,
  /**
   * The strategy layer's latest decision under the gate (DECISION_SYMBOL only, once the strategy model
   * decided): the model's proposal, the strategy held, and whether the closed gate held it back.
   */
  decision: z
    .object({
      /** The daily bar (its start) the decision was made at. */
      barStart: TimestampSchema,
      /** What the strategy model proposed. */
      proposed: StrategyIdSchema,
      /** What the strategy layer holds after the gate (the previous strategy when held back). */
      strategy: StrategyIdSchema,
      /** True when the closed gate kept the previous, less risky strategy instead of the proposal. */
      held: z.boolean(),
      /** The gate's reason when it held the proposal back, else null. */
      reason: z.string().nullable(),
    })
    .nullable()
    .optional(),
});
export type MetaScore = z.infer<typeof MetaScoreSchema>;
