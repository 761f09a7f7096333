/**
 * Why the demo's strategy panel shows one strategy every day (the shipped model on a demo year).
 *
 * A demo year at a fixed seed is generated at daily resolution (the same generator and feature code the
 * demo runs), fed to the shipped model exactly as the signals service feeds it (z-scored with the
 * manifest's training statistics, a missing stream at its training mean), and printed next to the
 * training window: each stream's range, and the model's probability per strategy. With ../shared/data
 * present, the training window's own ranges and picks are printed as well, and the demo's missing
 * streams are filled from real days to see whether the demo's missing symbols are what keeps it on one
 * pick.
 *
 * The finding these tests pin: the demo is not the cause. Its SPY streams stay inside the training
 * distribution, and the model picks its majority class, ultra_defensive, on the demo as often as on the
 * days it was trained on (99.9 % of them, evaluation.json). After a retrain the comparison still holds
 * the demo to the model's own behaviour on real history.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_IDS, type FeatureId } from '../../shared/domain';
import { nyseCalendar } from '../core/calendar';
import { buildDailyPanel, type DailyPanel } from '../core/signals/daily-panel';
import { computeFeatures, featureMatrix } from '../core/signals/feature-registry';
import { Z_CLIP } from '../core/signals/model-manifest';
import { normalise } from '../core/signals/zscore';
import { SyntheticMarket } from '../core/synthetic/market';
import type { Bar } from '../../shared/domain';
import { createMemoryLogger } from '../platform/log';
import { defaultModelDir } from '../platform/paths';
import { readDailyCsvFolder } from '../training/daily-csv-folder';
import { loadStrategyModel, type LoadedStrategyModel } from './trm-model';

const SEED = 42;
/** Sessions generated before the year, so every stream has its lookback (the longest is 60). */
const WARM_UP = 60;
const YEAR = 252;
/** The streams the demo universe (SPY QQQ TLT GLD XLK XLF XLE and three stocks) cannot compute. */
const DEMO_LACKS: readonly FeatureId[] = [
  'vix_level', // no VIX
  'breadth', // 3 sector funds, the streams need 5
  'cross_asset_correlation', // no EFA
  'concentration',
  'sector_dispersion',
];

const MODEL_DIR = defaultModelDir();
const SHARED_DAILY = fileURLToPath(new URL('../../../../shared/data/daily', import.meta.url));
const hasData = existsSync(SHARED_DAILY);

interface Evaluation {
  window: { from: string; to: string };
  /** Picks per strategy over the training window (in-sample), STRATEGY order. */
  picks: { window: number[] };
}

interface Picks {
  /** Rows picked per strategy, manifest order. */
  counts: number[];
  /** Mean probability per strategy. */
  meanProbability: number[];
  /** Median and largest margin of the pick over the runner-up. */
  medianMargin: number;
  maxMargin: number;
}

/** A synthetic market's daily bars: WARM_UP + YEAR sessions from the first session of 2025. */
function demoYear(seed: number): DailyPanel {
  const market = new SyntheticMarket({ seed });
  let session = nyseCalendar.sessionOnOrAfter(Date.UTC(2025, 0, 2));
  const bars: Bar[] = [];
  for (let i = 0; i < WARM_UP + YEAR; i++) {
    bars.push(...market.generateDay(session));
    session = nyseCalendar.nextSession(session);
  }
  return buildDailyPanel(bars);
}

function quantile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(p * (sorted.length - 1))]!;
}

const fmt = (v: number): string => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toPrecision(3));

describe('the shipped strategy model on a demo year', () => {
  let model: LoadedStrategyModel;
  let ids: readonly FeatureId[];
  let evaluation: Evaluation;
  /** The demo year's raw values (row-major, YEAR × F, NaN where the demo has no value). */
  let raw: Float64Array;
  let z: Float32Array;
  let imputed: number[];
  let demo: Picks;

  async function picksOf(input: Float32Array, rows: number): Promise<Picks> {
    const { probabilities } = await model.run(input, rows);
    const counts = new Array<number>(8).fill(0);
    const meanProbability = new Array<number>(8).fill(0);
    const margins: number[] = [];
    for (let r = 0; r < rows; r++) {
      const p = Array.from(probabilities.subarray(r * 8, r * 8 + 8));
      const order = p.map((_, k) => k).sort((a, b) => p[b]! - p[a]!);
      counts[order[0]!]!++;
      margins.push(p[order[0]!]! - p[order[1]!]!);
      p.forEach((v, k) => (meanProbability[k]! += v / rows));
    }
    return { counts, meanProbability, medianMargin: quantile(margins, 0.5), maxMargin: Math.max(...margins) };
  }

  function zOf(matrix: Float64Array, rows: number): Float32Array {
    const out = new Float32Array(rows * ids.length);
    for (let r = 0; r < rows; r++) {
      const values = Array.from(matrix.subarray(r * ids.length, (r + 1) * ids.length), (v) =>
        Number.isFinite(v) ? v : null,
      );
      out.set(normalise(values, model.manifest.normalisation).z, r * ids.length);
    }
    return out;
  }

  function printPicks(label: string, picks: Picks, rows: number): void {
    const { strategies } = model.manifest;
    console.log(
      `${label} (${rows} days): ` +
        strategies
          .map((s, k) => `${s} ${picks.counts[k]} (mean p ${(picks.meanProbability[k]! * 100).toFixed(1)} %)`)
          .join(', ') +
        `; margin of the pick over the runner-up: median ${(picks.medianMargin * 100).toFixed(1)} pp, ` +
        `largest ${(picks.maxMargin * 100).toFixed(1)} pp`,
    );
  }

  beforeAll(async () => {
    model = await loadStrategyModel(MODEL_DIR, { log: createMemoryLogger(), providers: ['cpu'] });
    ids = model.manifest.features;
    evaluation = JSON.parse(readFileSync(`${MODEL_DIR}/evaluation.json`, 'utf8')) as Evaluation;
    const panel = demoYear(SEED);
    // The signals service's path: computeFeatures per row, then normalise (imputing missing streams).
    const width = ids.length;
    raw = new Float64Array(YEAR * width);
    z = new Float32Array(YEAR * width);
    imputed = [];
    for (let r = 0; r < YEAR; r++) {
      const values = computeFeatures(panel, WARM_UP + r);
      const used = ids.map((id) => values[FEATURE_IDS.indexOf(id)] ?? null);
      used.forEach((v, f) => (raw[r * width + f] = v ?? NaN));
      const normalised = normalise(used, model.manifest.normalisation);
      z.set(normalised.z, r * width);
      imputed.push(normalised.imputed);
    }
    demo = await picksOf(z, YEAR);

    // The report: each stream in the demo next to the training window.
    const { mean, sd } = model.manifest.normalisation;
    const real = hasData ? realWindow() : null;
    console.log(
      `Shipped model ${model.manifest.version} on a demo year (seed ${SEED}, ${YEAR} sessions) next to its ` +
        `training window ${evaluation.window.from}..${evaluation.window.to}` +
        (real ? '' : ' (../shared/data absent: training mean ± sd only)'),
    );
    ids.forEach((id, f) => {
      const column: number[] = [];
      for (let r = 0; r < YEAR; r++)
        if (Number.isFinite(raw[r * width + f])) column.push(raw[r * width + f]!);
      const demoText =
        column.length === 0
          ? 'never known (fed as its training mean)'
          : `p1 ${fmt(quantile(column, 0.01))} p50 ${fmt(quantile(column, 0.5))} p99 ${fmt(quantile(column, 0.99))}`;
      const realText = real
        ? ` | training p1 ${fmt(real.ranges[f]![0])} p50 ${fmt(real.ranges[f]![1])} p99 ${fmt(real.ranges[f]![2])}`
        : '';
      console.log(
        `  ${id.padEnd(24)} demo ${String(column.length).padStart(3)}/${YEAR} ${demoText.padEnd(40)}` +
          ` | training mean ${fmt(mean[f]!)} sd ${fmt(sd[f]!)}${realText}`,
      );
    });
    printPicks('Demo year', demo, YEAR);
    if (real)
      printPicks(
        'Training window, real days',
        await picksOf(zOf(real.matrix, real.rows), real.rows),
        real.rows,
      );
  });
  afterAll(async () => {
    await model?.close();
  });

  /** The training window's feature rows from ../shared/data and each stream's p1, p50, p99. */
  function realWindow(): { matrix: Float64Array; rows: number; ranges: [number, number, number][] } {
    const panel = buildDailyPanel(readDailyCsvFolder(SHARED_DAILY).bars);
    const day = (t: number): string => new Date(t).toISOString().slice(0, 10);
    const from = panel.times.findIndex((t) => day(t) >= evaluation.window.from);
    let to = panel.times.findIndex((t) => day(t) > evaluation.window.to) - 1;
    if (to < 0) to = panel.times.length - 1;
    const rows = to - from + 1;
    const matrix = featureMatrix(panel, ids, { from, to });
    const ranges = ids.map((_, f): [number, number, number] => {
      const column: number[] = [];
      for (let r = 0; r < rows; r++) {
        const v = matrix[r * ids.length + f]!;
        if (Number.isFinite(v)) column.push(v);
      }
      return [quantile(column, 0.01), quantile(column, 0.5), quantile(column, 0.99)];
    });
    return { matrix, rows, ranges };
  }

  it('feeds the SPY streams inside the training distribution, and the five its universe lacks at their training mean', () => {
    const width = ids.length;
    expect(imputed.every((n) => n === DEMO_LACKS.filter((id) => ids.includes(id)).length)).toBe(true);
    ids.forEach((id, f) => {
      const known = Array.from({ length: YEAR }, (_, r) => raw[r * width + f]!).filter(Number.isFinite);
      if (DEMO_LACKS.includes(id)) {
        expect(known, id).toHaveLength(0);
        return;
      }
      expect(known, id).toHaveLength(YEAR);
      // Unclipped on (nearly) every day, and centred where the training days were: no demo day sits at
      // an input the model never saw more than real extremes do.
      const zs = Array.from({ length: YEAR }, (_, r) => Math.abs(z[r * width + f]!));
      expect(zs.filter((v) => v >= Z_CLIP).length, id).toBeLessThanOrEqual(YEAR * 0.01);
      expect(quantile(zs, 0.5), id).toBeLessThan(1);
    });
  });

  it('picks the model’s majority strategy on the demo as often as on its own training days: the model, not the demo, never changes its mind', () => {
    const inWindow = evaluation.picks.window;
    const windowDays = inWindow.reduce((a, b) => a + b, 0);
    const top = inWindow.indexOf(Math.max(...inWindow));
    // The demo's top pick is the same, on about as large a share of days (within 2 points).
    expect(demo.counts.indexOf(Math.max(...demo.counts))).toBe(top);
    expect(Math.abs(demo.counts[top]! / YEAR - inWindow[top]! / windowDays)).toBeLessThanOrEqual(0.02);
  });

  it.skipIf(!hasData)(
    'would pick the same with the streams the demo lacks taken from real days (adding VIX, EFA and sectors would not change it)',
    async () => {
      const real = realWindow();
      const width = ids.length;
      const filled = Float64Array.from(raw);
      const lacking = ids.map((id, f) => (DEMO_LACKS.includes(id) ? f : -1)).filter((f) => f >= 0);
      // Demo day r takes the lacking streams of real day r·step: the whole window, in time order.
      const step = Math.floor(real.rows / YEAR);
      for (let r = 0; r < YEAR; r++) {
        for (const f of lacking) filled[r * width + f] = real.matrix[r * step * width + f]!;
      }
      const picks = await picksOf(zOf(filled, YEAR), YEAR);
      printPicks('Demo year with the lacking streams taken from real days', picks, YEAR);
      const top = demo.counts.indexOf(Math.max(...demo.counts));
      expect(picks.counts[top]! / YEAR).toBeGreaterThanOrEqual(demo.counts[top]! / YEAR - 0.02);
    },
  );

  // Pins the README's sentence on the demo (the model, not the market, picks one strategy): a retrained
  // model that changes its mind more often fails here, and the README changes with it.
  it('is as sure of its majority pick on any plausible input: random z-scores, one standard deviation wide', async () => {
    // A fixed pseudo-random sequence (Park-Miller), Box-Muller normals, clipped like real inputs.
    let state = 20_261_130;
    const uniform = (): number => (state = (state * 48_271) % 2_147_483_647) / 2_147_483_647;
    const rows = 5000;
    const input = new Float32Array(rows * ids.length);
    for (let i = 0; i < input.length; i++) {
      const normal = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
      input[i] = Math.max(-Z_CLIP, Math.min(Z_CLIP, normal));
    }
    const picks = await picksOf(input, rows);
    printPicks('Random inputs z ~ N(0, 1)', picks, rows);
    const inWindow = evaluation.picks.window;
    const top = inWindow.indexOf(Math.max(...inWindow));
    expect(picks.counts[top]! / rows).toBeGreaterThanOrEqual(0.99);
  });
});
