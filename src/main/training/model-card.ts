/**
 * MODEL_CARD.md of a trained model folder: the data and dates, the features (each stream's exact
 * definition from the registry), the architecture and parameter count, the training, and the evaluation
 * (purged k-fold and walk-forward per fold, the walk-forward's out-of-sample backtest against every
 * baseline), numbers as they came out.
 */
import { BASELINE_IDS, type PerformanceMetrics } from '../../shared/domain';
import { featureStream, FEATURE_STREAMS } from '../core/signals/feature-registry';
import type { ModelManifest } from '../core/signals/model-manifest';
import { STRATEGIES, CASH } from '../core/signals/strategies';
import type { FoldResult, PipelineResult } from './train-pipeline';

const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : '—');
const num = (v: number, digits = 2): string => (Number.isFinite(v) ? v.toFixed(digits) : '—');

function metricsRow(name: string, m: PerformanceMetrics): string {
  return `| ${name} | ${pct(m.cagr)} | ${pct(m.vol)} | ${num(m.sharpe)} | ${num(m.sortino)} | ${pct(m.max_drawdown)} | ${num(m.turnover, 1)} |`;
}

function foldRow(f: FoldResult): string {
  return `| ${f.kind} | ${f.from} – ${f.to} | ${f.trainRows} | ${f.testRows} | ${pct(f.trm.accuracy)} | ${pct(f.trm.majorityRate)} | ${pct(f.trm.balancedAccuracy)} | ${num(f.trm.logLoss, 3)} | ${pct(f.logistic.accuracy)} | ${pct(f.logistic.balancedAccuracy)} | ${num(f.logistic.logLoss, 3)} |`;
}

/** "ultra_defensive 98.1 %, max_growth 1.9 %": the strategies picked, most often first. */
function pickText(counts: readonly number[]): string {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return '—';
  return counts
    .map((count, k) => ({ id: STRATEGIES[k]!.id, count }))
    .filter((p) => p.count > 0)
    .sort((a, b) => b.count - a.count)
    .map((p) => `${p.id} ${((p.count / total) * 100).toFixed(1)} %`)
    .join(', ');
}

/** Parameters of the TRM: W_in, two SwiGLU layers, the output and halting heads (y0, z0 are fixed buffers). */
export function parameterCount(m: ModelManifest): number {
  const { width: d, hidden: i, layers } = m.architecture;
  return m.features.length * d + layers * 3 * d * i + d * 8 + d + 1;
}

export interface ModelCardInput {
  manifest: ModelManifest;
  result: PipelineResult;
  /** Metrics of the walk-forward's out-of-sample backtest, when it ran. */
  walkMetrics: {
    model: PerformanceMetrics;
    modelDaily?: PerformanceMetrics;
    baselines: Record<string, PerformanceMetrics>;
  } | null;
  dataDir: string;
  command: string;
}

export function renderModelCard({ manifest, result, walkMetrics, dataDir, command }: ModelCardInput): string {
  const a = manifest.architecture;
  const lines: string[] = [
    `# Model card: ${manifest.version}`,
    '',
    `TRM strategy model: a Tiny Recursive Model (Jolicoeur-Martineau, 2025, arXiv 2510.04871) that reads ${manifest.features.length} daily market features and gives a probability for each of 8 allocation strategies, plus a halting probability (its learned estimate that its pick equals the label, not a probability of profit).`,
    '',
    `Rebuild: \`${command}\``,
    '',
    '## Data and dates',
    `- Daily bars from \`${dataDir}\` (split- and dividend-adjusted closes, raw volume; Yahoo Finance export, see ../shared/data/README.md).`,
    `- Decision window (all in-sample: training and validation): ${result.window.from} to ${result.window.to}. The model trained on its first ${result.window.trainRows} learnable days and was validated (early stopping, width) on the last ${result.window.validationRows}, from ${result.window.validationFrom}, with ${manifest.horizon} days purged between them.`,
    `- Label: the strategy with the best forward Sharpe over the next ${manifest.horizon} sessions (mean / max(sd, 5 bps) of daily returns), from returns after the decision's close only.`,
    `- Training label counts (STRATEGY order): ${result.labelCounts.join(', ')}; majority class ${manifest.baselines?.majority ?? '—'}.`,
    `- What this model picks over the whole window (in-sample): ${pickText(result.picks.window)}.`,
    ...(result.picks.walkForward
      ? [`- What the walk-forward's models picked out of sample: ${pickText(result.picks.walkForward)}.`]
      : []),
    '',
    '## Strategies (target weights; cash earns 0)',
    '| strategy | allocation |',
    '|---|---|',
    ...STRATEGIES.map(
      (s) =>
        `| ${s.id} | ${Object.entries(s.allocation)
          .map(([symbol, w]) => `${symbol === CASH ? 'cash' : symbol} ${Math.round(w * 100)} %`)
          .join(', ')} |`,
    ),
    '',
    '## Features',
    "Z-scores use the training window's mean and sd (shipped in manifest.json), clipped to ±5; an unknown value at inference is fed as its training mean and counted.",
    '',
    '| id | definition | source | used |',
    '|---|---|---|---|',
    ...FEATURE_STREAMS.map((s) => {
      const used = manifest.features.includes(s.id);
      return `| ${s.id} | ${s.description} | ${s.source} | ${used ? 'yes' : `no: ${s.unavailable ?? 'not an input'}`} |`;
    }),
    '',
    '## Architecture',
    `- Inputs ${manifest.features.length} → x = W_in·features (width D = ${a.width}); answer y and latent z of width ${a.width}, fixed random initial y0, z0.`,
    `- One shared trunk of ${a.layers} post-norm SwiGLU layers (inner width ${a.hidden}, parameter-free RMSNorm, no biases). Per cycle: ${a.latentSteps} latent updates z ← net(z + y + x), then y ← net(y + z); ${a.cycles} cycles per supervision step, the first ${a.cycles - 1} without gradient.`,
    `- Heads: 8 strategy logits (softmax) and a halting logit from y. Deep supervision in training; ${a.steps} supervision steps unrolled at inference (ONNX opset 17, no control flow), ${a.steps * a.cycles} per-cycle answers as outputs.`,
    `- Parameters: ${parameterCount(manifest).toLocaleString('en-US')}.`,
    `- Widths tried (chosen by validation log-loss): ${result.widths.map((w) => `D=${w.width}: log-loss ${num(w.valLoss, 4)}, accuracy ${pct(w.valAccuracy)}, ${w.epochs} epochs`).join('; ')}.`,
    '',
    '## Training',
    `- ${manifest.training.samples} samples, ${manifest.training.epochs} epochs (early stopping on validation log-loss), seed ${manifest.training.seed}; AdamW, EMA 0.999 weights exported; TypeScript with tfjs (wasm backend).`,
    `- Validation per supervision step: ${result.trained.validationSteps.map((s) => `step ${s.step}: accuracy ${pct(s.accuracy)}, log-loss ${num(s.logLoss, 4)}`).join('; ') || '—'}.`,
  ];
  if (result.folds.length > 0) {
    lines.push(
      '',
      '## Evaluation',
      `Purged ${result.folds.filter((f) => f.kind === 'purged-kfold').length}-fold cross-validation (embargo ${manifest.horizon} days) and walk-forward retraining (expanding window, retrained every 2 years), each fold with its own z-scores, validation split, TRM and logistic regression. "majority" is the share of the fold's test days labelled with the training majority class: the accuracy of always answering it.`,
      '',
      '| kind | test days | train rows | test rows | TRM accuracy | majority rate | TRM balanced acc. | TRM log-loss | logistic acc. | logistic balanced | logistic log-loss |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      ...result.folds.map(foldRow),
    );
  }
  if (result.walkForward && walkMetrics) {
    lines.push(
      '',
      `### Walk-forward backtest, out of sample (${result.walkForward.from} to ${result.walkForward.to}, 5 bps per unit of turnover)`,
      '| strategy | CAGR | vol | Sharpe | Sortino | max drawdown | turnover/yr |',
      '|---|---|---|---|---|---|---|',
      metricsRow('TRM model', walkMetrics.model),
      ...BASELINE_IDS.map((id) =>
        walkMetrics.baselines[id] ? metricsRow(id, walkMetrics.baselines[id]) : '',
      ),
    );
    if (walkMetrics.modelDaily)
      lines.push(
        '',
        `Each pick is held for ${manifest.horizon} sessions in overlapping tranches (1/${manifest.horizon} of the portfolio per day's pick, Jegadeesh and Titman 1993), the window its label judged; the logistic and majority baselines are followed the same way. Switching the whole portfolio to each day's pick instead: CAGR ${pct(walkMetrics.modelDaily.cagr)}, Sharpe ${num(walkMetrics.modelDaily.sharpe)}, max drawdown ${pct(walkMetrics.modelDaily.max_drawdown)}, turnover ${num(walkMetrics.modelDaily.turnover, 1)} a year.`,
      );
    const model = walkMetrics.model;
    const beaten = BASELINE_IDS.filter(
      (id) => (walkMetrics.baselines[id]?.sharpe ?? Infinity) >= model.sharpe,
    );
    const spy = walkMetrics.baselines.spy_buy_hold;
    lines.push(
      '',
      beaten.length === 0
        ? "The model's Sharpe beats every baseline's over this period."
        : `The model does NOT beat ${beaten.join(', ')} on Sharpe over this period.`,
      spy
        ? model.max_drawdown < spy.max_drawdown
          ? `Its max drawdown (${pct(model.max_drawdown)}) is smaller than SPY's (${pct(spy.max_drawdown)}).`
          : `Its max drawdown (${pct(model.max_drawdown)}) is NOT smaller than SPY's (${pct(spy.max_drawdown)}).`
        : '',
    );
  }
  lines.push(
    '',
    '## Limits',
    '- Daily data to 2021-12-31 only; the model is judged on later years. Labels are noisy (which of 8 related allocations wins a month), so accuracy near the majority rate is expected; read the balanced accuracy and log-loss.',
    `- ${featureStream('put_call_ratio').id} has no source and is not an input.`,
    '- Costs are 5 bps per unit of turnover; no taxes, no slippage model beyond that, cash earns 0.',
  );
  return lines.filter((line, i, all) => !(line === '' && all[i - 1] === '')).join('\n') + '\n';
}
