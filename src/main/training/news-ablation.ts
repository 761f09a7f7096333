/**
 * Does news help the TRM? An ablation: the same training pipeline (train-pipeline.ts) on the same
 * decision days and seeds, once with the 9 market streams and once with the 3 news streams added
 * (news_sentiment, news_volume, news_catalysts), compared on purged k-fold (accuracy, balanced accuracy,
 * log-loss) and on a walk-forward backtest where the window allows it.
 *
 * The news: recorded texts (e.g. the StockNet tweets 2014–2016) scored by a sentiment model passed in,
 * tagged with the keyword catalyst rules, and aggregated per session of the daily panel
 * (core/news/daily-news.ts: items after the previous close up to the session's close). The window is the
 * sessions where every news stream has a value (the source's coverage less the 20-session warm-up of
 * news_volume), the same for both arms.
 */
import type { FeatureId, PerformanceMetrics } from '../../shared/domain';
import { utcDateOf } from '../core/calendar-dates';
import { nyseCalendar, type SessionCalendar } from '../core/calendar';
import { tagCatalysts } from '../core/news/catalyst-keywords';
import { dailyNewsColumns, type DailyNewsItem, type NewsCoverage } from '../core/news/daily-news';
import type { ClassificationReport } from '../core/signals/classification';
import type { DailyPanel } from '../core/signals/daily-panel';
import { featureMatrix, MARKET_FEATURE_IDS, NEWS_FEATURE_IDS } from '../core/signals/feature-registry';
import { backtestMetrics } from '../core/signals/performance';
import {
  runTrainPipeline,
  type PipelineProgress,
  type PipelineResult,
  type TrmTrainFn,
} from './train-pipeline';
import type { TrmConfig } from './trm/config';

/** What scores texts: a SentimentScorer (engine/ports.ts) satisfies it. */
export interface TextScorer {
  score(texts: readonly string[]): Promise<readonly { score: number }[]>;
}

/** A recorded text to score: published (epoch ms UTC), its text and symbols. */
export interface AblationText {
  time: number;
  text: string;
  symbols: readonly string[];
}

/**
 * Scores and tags texts in batches of `batchSize`: one DailyNewsItem per text (signed sentiment score,
 * number of catalyst tags). @throws what the scorer throws.
 */
export async function scoreTexts(
  texts: readonly AblationText[],
  scorer: TextScorer,
  options: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<DailyNewsItem[]> {
  const batchSize = options.batchSize ?? 256;
  const out: DailyNewsItem[] = [];
  for (let k = 0; k < texts.length; k += batchSize) {
    const batch = texts.slice(k, k + batchSize);
    const scores = await scorer.score(batch.map((t) => t.text));
    if (scores.length !== batch.length) {
      throw new Error(`the sentiment model scored ${scores.length} of ${batch.length} texts`);
    }
    batch.forEach((t, j) =>
      out.push({
        time: t.time,
        symbols: t.symbols,
        score: scores[j]!.score,
        catalysts: tagCatalysts(t.text).length,
      }),
    );
    options.onProgress?.(Math.min(texts.length, k + batchSize), texts.length);
  }
  return out;
}

/**
 * The panel with its news columns: each row's session close from the calendar (NYSE by default; a row
 * whose bar start is not in a session, which a daily panel never has, closes at its start + 6.5 h).
 */
export function panelWithNews(
  panel: DailyPanel,
  items: readonly DailyNewsItem[],
  coverage?: NewsCoverage,
  calendar: SessionCalendar = nyseCalendar,
): DailyPanel {
  const closes = Float64Array.from(panel.times, (t) => calendar.sessionAt(t)?.close ?? t + 6.5 * 3_600_000);
  return { ...panel, news: dailyNewsColumns(items, closes, coverage) };
}

export interface AblationOptions {
  /** The daily panel with news columns (panelWithNews). */
  panel: DailyPanel;
  horizon: number;
  widths: number[];
  /** One run per seed and arm; the arms share each seed. */
  seeds: number[];
  config?: Partial<TrmConfig>;
  folds: number;
  /** Walk-forward first training window and step, in rows; skipped when the window is too short. */
  walkFirstTrain: number;
  walkStep: number;
  train: TrmTrainFn;
  onProgress?: (arm: string, seed: number, progress: PipelineProgress) => void;
}

/** Metrics of one arm and seed. */
export interface ArmRun {
  seed: number;
  /** Purged k-fold, pooled over folds (row-weighted means). */
  kfold: { trm: FoldMetrics; logistic: FoldMetrics };
  /** Walk-forward folds pooled, and the out-of-sample backtest; null when the window is too short. */
  walkForward: {
    trm: FoldMetrics;
    logistic: FoldMetrics;
    from: string;
    to: string;
    backtest: PerformanceMetrics;
    spy: PerformanceMetrics | null;
  } | null;
}

export interface FoldMetrics {
  rows: number;
  accuracy: number;
  balancedAccuracy: number;
  logLoss: number;
  majorityRate: number;
}

export interface AblationArm {
  name: string;
  features: FeatureId[];
  runs: ArmRun[];
}

export interface AblationResult {
  /** First and last decision day of the window (every news stream known). */
  from: string;
  to: string;
  /** Learnable decision days (both arms). */
  rows: number;
  horizon: number;
  /** The walk-forward's first training window and retraining step (rows). */
  walk: { firstTrain: number; step: number };
  arms: [AblationArm, AblationArm];
  /** Per session of the window: mean count of items and share of sessions with a scored item. */
  news: { meanItemsPerSession: number; meanSentiment: number; catalystShare: number };
}

/** Row-weighted means of fold reports. */
function pool(reports: readonly { rows: number; report: ClassificationReport }[]): FoldMetrics {
  let rows = 0;
  const sum = { accuracy: 0, balancedAccuracy: 0, logLoss: 0, majorityRate: 0 };
  for (const { report } of reports) {
    rows += report.rows;
    sum.accuracy += report.accuracy * report.rows;
    sum.balancedAccuracy += report.balancedAccuracy * report.rows;
    sum.logLoss += report.logLoss * report.rows;
    sum.majorityRate += report.majorityRate * report.rows;
  }
  return {
    rows,
    accuracy: sum.accuracy / rows,
    balancedAccuracy: sum.balancedAccuracy / rows,
    logLoss: sum.logLoss / rows,
    majorityRate: sum.majorityRate / rows,
  };
}

function armRun(seed: number, result: PipelineResult): ArmRun {
  const folds = (kind: 'purged-kfold' | 'walk-forward', model: 'trm' | 'logistic') =>
    pool(result.folds.filter((f) => f.kind === kind).map((f) => ({ rows: f.testRows, report: f[model] })));
  const walk = result.walkForward;
  return {
    seed,
    kfold: { trm: folds('purged-kfold', 'trm'), logistic: folds('purged-kfold', 'logistic') },
    walkForward: walk
      ? {
          trm: folds('walk-forward', 'trm'),
          logistic: folds('walk-forward', 'logistic'),
          from: walk.from,
          to: walk.to,
          backtest: backtestMetrics(walk.model),
          spy: walk.baselines.spy_buy_hold ? backtestMetrics(walk.baselines.spy_buy_hold) : null,
        }
      : null,
  };
}

/**
 * The window where every news stream has a value: the first and last rows of the panel whose news
 * features are all finite. @throws Error when there is none (the news does not overlap the panel).
 */
export function newsWindow(panel: DailyPanel): { first: number; last: number } {
  const width = NEWS_FEATURE_IDS.length;
  const matrix = featureMatrix(panel, NEWS_FEATURE_IDS);
  let first = -1;
  let last = -1;
  for (let i = 0; i < panel.times.length; i++) {
    let complete = true;
    for (let f = 0; f < width; f++) if (!Number.isFinite(matrix[i * width + f]!)) complete = false;
    if (!complete) continue;
    if (first < 0) first = i;
    last = i;
  }
  if (first < 0) {
    throw new Error(
      'The news does not overlap the daily history: no session has every news stream (it needs 20 sessions of news). Check the dates of both files.',
    );
  }
  return { first, last };
}

/** Runs both arms on every seed (see the module doc). */
export async function runNewsAblation(options: AblationOptions): Promise<AblationResult> {
  const { panel } = options;
  const { first, last } = newsWindow(panel);
  const from = utcDateOf(panel.times[first]!);
  const to = utcDateOf(panel.times[last]!);
  const armsFeatures: [string, FeatureId[]][] = [
    ['market', [...MARKET_FEATURE_IDS]],
    ['market + news', [...MARKET_FEATURE_IDS, ...NEWS_FEATURE_IDS]],
  ];
  const arms = armsFeatures.map(([name, features]) => ({ name, features, runs: [] as ArmRun[] })) as [
    AblationArm,
    AblationArm,
  ];
  // Both arms learn from the days where every input of the larger one is known.
  const allInputs = arms[1].features;
  let rows: number | null = null;
  for (const seed of options.seeds) {
    for (const arm of arms) {
      const result = await runTrainPipeline({
        panel,
        from,
        to,
        horizon: options.horizon,
        features: arm.features,
        alsoKnown: allInputs,
        widths: options.widths,
        seed,
        config: options.config ?? {},
        evaluate: true,
        folds: options.folds,
        walkFirstTrain: options.walkFirstTrain,
        walkStep: options.walkStep,
        train: options.train,
        onProgress: (p) => options.onProgress?.(arm.name, seed, p),
      });
      // Both arms must learn from the same days: the k-fold test rows cover every learnable day once.
      const kfoldRows = result.folds
        .filter((f) => f.kind === 'purged-kfold')
        .reduce((n, f) => n + f.testRows, 0);
      if (rows === null) rows = kfoldRows;
      else if (rows !== kfoldRows) {
        throw new Error(`the arms learned from different days (${rows} and ${kfoldRows} k-fold test rows)`);
      }
      arm.runs.push(armRun(seed, result));
    }
  }
  const news = panel.news!;
  let items = 0;
  let scored = 0;
  let sentiment = 0;
  let tagged = 0;
  for (let i = first; i <= last; i++) {
    items += news.count[i]!;
    scored += news.scored[i]!;
    sentiment += news.sentimentSum[i]!;
    tagged += news.catalystCount[i]!;
  }
  return {
    from,
    to,
    rows: rows ?? 0,
    horizon: options.horizon,
    walk: { firstTrain: options.walkFirstTrain, step: options.walkStep },
    arms,
    news: {
      meanItemsPerSession: items / (last - first + 1),
      meanSentiment: scored > 0 ? sentiment / scored : Number.NaN,
      catalystShare: items > 0 ? tagged / items : Number.NaN,
    },
  };
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const sd = (values: readonly number[]) => {
  if (values.length < 2) return 0;
  const m = mean(values);
  return Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1));
};

/** "0.412 ± 0.013" over seeds (sample sd; no ± with one seed). */
function spread(values: readonly number[], digits: number, scale = 1): string {
  const m = (mean(values) * scale).toFixed(digits);
  return values.length < 2 ? m : `${m} ± ${(sd(values) * scale).toFixed(digits)}`;
}

/** The mean paired difference (news − market) over seeds, signed, with its sd. */
function delta(news: readonly number[], market: readonly number[], digits: number, scale = 1): string {
  const d = news.map((v, k) => (v - market[k]!) * scale);
  const m = mean(d);
  const text = `${m >= 0 ? '+' : '−'}${Math.abs(m).toFixed(digits)}`;
  return d.length < 2 ? text : `${text} ± ${sd(d).toFixed(digits)}`;
}

interface MeasureRow {
  label: string;
  pick: (r: ArmRun) => number | null;
  digits: number;
  /** 100 for a fraction shown in %. */
  scale: number;
  /** Whether a larger value is better (accuracy, Sharpe) or worse (log-loss, drawdown). */
  higherIsBetter: boolean;
}

const MEASURES: readonly MeasureRow[] = [
  {
    label: 'TRM accuracy, purged k-fold (%)',
    pick: (r) => r.kfold.trm.accuracy,
    digits: 1,
    scale: 100,
    higherIsBetter: true,
  },
  {
    label: 'TRM balanced accuracy, purged k-fold (%)',
    pick: (r) => r.kfold.trm.balancedAccuracy,
    digits: 1,
    scale: 100,
    higherIsBetter: true,
  },
  {
    label: 'TRM log-loss, purged k-fold',
    pick: (r) => r.kfold.trm.logLoss,
    digits: 3,
    scale: 1,
    higherIsBetter: false,
  },
  {
    label: 'Logistic accuracy, purged k-fold (%)',
    pick: (r) => r.kfold.logistic.accuracy,
    digits: 1,
    scale: 100,
    higherIsBetter: true,
  },
  {
    label: 'Logistic log-loss, purged k-fold',
    pick: (r) => r.kfold.logistic.logLoss,
    digits: 3,
    scale: 1,
    higherIsBetter: false,
  },
  {
    label: 'TRM accuracy, walk-forward (%)',
    pick: (r) => r.walkForward?.trm.accuracy ?? null,
    digits: 1,
    scale: 100,
    higherIsBetter: true,
  },
  {
    label: 'TRM balanced accuracy, walk-forward (%)',
    pick: (r) => r.walkForward?.trm.balancedAccuracy ?? null,
    digits: 1,
    scale: 100,
    higherIsBetter: true,
  },
  {
    label: 'TRM log-loss, walk-forward',
    pick: (r) => r.walkForward?.trm.logLoss ?? null,
    digits: 3,
    scale: 1,
    higherIsBetter: false,
  },
  {
    label: 'Walk-forward backtest Sharpe',
    pick: (r) => r.walkForward?.backtest.sharpe ?? null,
    digits: 2,
    scale: 1,
    higherIsBetter: true,
  },
  {
    label: 'Walk-forward backtest max drawdown (%)',
    pick: (r) => r.walkForward?.backtest.max_drawdown ?? null,
    digits: 1,
    scale: 100,
    higherIsBetter: false,
  },
];

/**
 * The model card's section "Do news features help?" in Markdown: the window, the news, a table of both
 * arms (mean ± sd over seeds) and the paired difference (news − market, per seed), marked * where it is
 * beyond the seed-to-seed noise (|mean| ≥ 2 standard errors of the paired differences), the baselines,
 * and what it means, in plain words.
 */
export function renderAblationSection(
  result: AblationResult,
  context: { source: string; scorer: string; command: string },
): string {
  const [market, withNews] = result.arms;
  const values = (arm: AblationArm, pick: (r: ArmRun) => number | null) =>
    arm.runs.map(pick).filter((v): v is number => v !== null && Number.isFinite(v));
  const seeds = market.runs.map((r) => r.seed);
  const table: string[] = [];
  const beyond: string[] = [];
  for (const m of MEASURES) {
    const a = values(market, m.pick);
    const b = values(withNews, m.pick);
    if (a.length === 0 || a.length !== b.length) continue;
    const d = b.map((v, k) => v - a[k]!);
    // A model the seed barely moves (the logistic regression) gives one comparison and no spread to judge it by.
    const deterministic = Math.max(sd(a), sd(b)) <= 1e-3 * Math.abs(mean(a));
    const real = !deterministic && d.length >= 2 && Math.abs(mean(d)) >= (2 * sd(d)) / Math.sqrt(d.length);
    if (real) {
      const better = mean(d) > 0 === m.higherIsBetter;
      beyond.push(`${m.label.replace(/ \(%\)$/, '')} ${better ? 'better' : 'worse'} with news`);
    }
    table.push(
      `| ${m.label} | ${spread(a, m.digits, m.scale)} | ${spread(b, m.digits, m.scale)} | ` +
        `${delta(b, a, m.digits, m.scale)}${real ? ' *' : ''} |`,
    );
  }
  const majority = mean(values(market, (r) => r.kfold.trm.majorityRate));
  const accuracies = [
    ...values(market, (r) => r.kfold.trm.accuracy),
    ...values(withNews, (r) => r.kfold.trm.accuracy),
  ];
  const losses = [
    ...values(market, (r) => r.kfold.trm.logLoss),
    ...values(withNews, (r) => r.kfold.trm.logLoss),
  ];
  const uniform = Math.log(8);
  const baselines = [
    `Always answering the training majority scores ${(majority * 100).toFixed(1)} % on the same k-fold test days` +
      (Math.max(...accuracies) < majority ? ': both arms score below it' : '') +
      (Math.min(...losses) > uniform
        ? `, and their log-loss is above ln 8 ≈ ${uniform.toFixed(3)}, a uniform guess's: on this window the TRM learns nothing usable, with or without news.`
        : '.'),
    'The seed barely moves the logistic regression: its rows are one comparison each, with no seed-to-seed spread to judge them by.',
  ];
  const walk = market.runs[0]?.walkForward ?? null;
  const verdict =
    beyond.length === 0
      ? `No: every difference is within the seed-to-seed noise (under two standard errors of the paired difference over ${seeds.length} seeds).`
      : `No clear gain: ${beyond.length} of ${table.length} measures ${beyond.length === 1 ? 'differs' : 'differ'} beyond the seed-to-seed noise (${beyond.join('; ')}), the others do not, and a gain on a model that does not beat the majority class is no gain a trader can use.`;
  return [
    ABLATION_HEADING,
    '',
    `An ablation on the days where news overlaps the daily history: ${result.from} to ${result.to}, ${result.rows} decision days (label horizon ${result.horizon} sessions), seeds ${seeds.join(', ')}. ` +
      `The same pipeline, widths and seeds train the TRM with the 9 market streams, then with news_sentiment, news_volume and news_catalysts added, on the same days. ` +
      `News: ${context.source}, scored by ${context.scorer}, catalyst tags by the keyword rules; ${result.news.meanItemsPerSession.toFixed(0)} items per session on average, mean signed sentiment ${result.news.meanSentiment.toFixed(3)}, ${(result.news.catalystShare * 100).toFixed(0)} % with a catalyst tag.`,
    '',
    '| measure (mean ± sd over seeds) | market (9 streams) | market + news (12) | news − market (paired; * beyond noise) |',
    '|---|---|---|---|',
    ...table,
    '',
    `${baselines.join(' ')}` +
      (walk
        ? ` The walk-forward (first ${result.walk.firstTrain} days trained, retrained every ${result.walk.step}) tests ${walk.from} to ${walk.to}.`
        : ' The window is too short for a walk-forward.'),
    '',
    `**Verdict.** ${verdict} The shipped model keeps the 9 market streams: ${result.rows} days of news are far too few to learn from or to trust a gain on, and no news source here reaches back over the model's training window.`,
    '',
    `Reproduce: \`${context.command}\``,
    '',
  ].join('\n');
}

const ABLATION_HEADING = '## Do news features help?';

/**
 * The card's "Do news features help?" section (to the next "## " heading), or null when it has none:
 * kept across a retrain of the shipped model, whose card is regenerated without it (the ablation trains
 * its own models on the news window, so its result does not depend on the shipped weights).
 */
export function ablationSectionOf(card: string): string | null {
  const start = card.indexOf(ABLATION_HEADING);
  if (start < 0) return null;
  const next = card.indexOf('\n## ', start + ABLATION_HEADING.length);
  return card.slice(start, next >= 0 ? next + 1 : undefined);
}

/**
 * The card with its "Do news features help?" section replaced (or inserted before "## Limits", else
 * appended). The section runs to the next "## " heading.
 */
export function withAblationSection(card: string, section: string): string {
  const heading = ABLATION_HEADING;
  const body = `${section.trimEnd()}\n`;
  const start = card.indexOf(heading);
  if (start >= 0) {
    const next = card.indexOf('\n## ', start + heading.length);
    return card.slice(0, start) + body + (next >= 0 ? `\n${card.slice(next + 1)}` : '');
  }
  const limits = card.indexOf('\n## Limits');
  if (limits >= 0) return `${card.slice(0, limits + 1)}${body}\n${card.slice(limits + 1)}`;
  return `${card.trimEnd()}\n\n${body}`;
}
