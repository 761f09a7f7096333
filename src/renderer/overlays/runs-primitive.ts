/**
 * A lightweight-charts series primitive that paints the prediction runs (prediction-runs.ts) of the bars in
 * view, one rectangle per run rather than one per bar, so a 60,000-bar series costs what its visible runs
 * cost (a binary search finds them):
 * - 'shading': behind the candles (zOrder 'bottom'), each run's bars tinted by the strategy picked, the
 *   pane's full height;
 * - 'confidence': in the confidence pane, the band between the runner-up's probability and the pick's
 *   (the pick's margin) and, over it, the pick's probability as a step line in the strategy's colour; the
 *   pane's scale fits the band in view.
 * Both are drawn in bitmap pixels so adjacent runs meet without gaps or overlaps.
 */
import type {
  AutoscaleInfo,
  IChartApi,
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesApi,
  ISeriesPrimitive,
  Logical,
  SeriesAttachedParameter,
  SeriesType,
  Time,
} from 'lightweight-charts';
import { bandOf, lineOf, shadeOf } from './overlay-colours';
import { pickMargin, runsInRange, type PredictionRun } from './prediction-runs';

export type RunsLayer = 'shading' | 'confidence';

type RenderTarget = Parameters<IPrimitivePaneRenderer['draw']>[0];

/** The confidence line's width in CSS pixels. */
const LINE_WIDTH = 2;

export class RunsPrimitive implements ISeriesPrimitive<Time> {
  private chart: IChartApi | null = null;
  private series: ISeriesApi<SeriesType, Time> | null = null;
  private requestUpdate: (() => void) | null = null;
  private runs: readonly PredictionRun[] = [];
  private readonly renderer: IPrimitivePaneRenderer = { draw: (target) => this.draw(target) };
  private readonly views: readonly IPrimitivePaneView[];

  constructor(private readonly layer: RunsLayer) {
    const zOrder = layer === 'shading' ? 'bottom' : 'normal';
    this.views = [{ zOrder: () => zOrder, renderer: () => (this.runs.length > 0 ? this.renderer : null) }];
  }

  attached(param: SeriesAttachedParameter<Time>): void {
    this.chart = param.chart;
    this.series = param.series;
    this.requestUpdate = param.requestUpdate;
  }

  detached(): void {
    this.chart = null;
    this.series = null;
    this.requestUpdate = null;
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views;
  }

  /**
   * The confidence pane's scale fits the band of the runs in view (runner-up's to pick's probability), so
   * a margin of a few points is visible; the shading adds nothing to its series' scale.
   */
  autoscaleInfo(startTimePoint: Logical, endTimePoint: Logical): AutoscaleInfo | null {
    if (this.layer !== 'confidence') return null;
    let low = Infinity;
    let high = -Infinity;
    for (const run of runsInRange(this.runs, startTimePoint, endTimePoint)) {
      const { pick, second } = pickMargin(run.prediction);
      low = Math.min(low, second, pick);
      high = Math.max(high, pick, second);
    }
    return low <= high ? { priceRange: { minValue: low, maxValue: high } } : null;
  }

  /** The runs to paint (indices into the chart's bars, which are its logical indices); [] paints nothing. */
  setRuns(runs: readonly PredictionRun[]): void {
    this.runs = runs;
    this.requestUpdate?.();
  }

  private draw(target: RenderTarget): void {
    const chart = this.chart;
    const series = this.series;
    if (chart === null || series === null) return;
    const timeScale = chart.timeScale();
    const range = timeScale.getVisibleLogicalRange();
    const x0 = timeScale.logicalToCoordinate(0 as Logical);
    const x1 = timeScale.logicalToCoordinate(1 as Logical);
    if (range === null || x0 === null || x1 === null) return;
    const spacing = x1 - x0;
    const shown = runsInRange(this.runs, Math.floor(range.from) - 1, Math.ceil(range.to) + 1);
    if (shown.length === 0) return;
    target.useBitmapCoordinateSpace(({ context, bitmapSize, horizontalPixelRatio, verticalPixelRatio }) => {
      // A bar's slot is its centre ± half the spacing: run k ends exactly where run k + 1 begins.
      const left = (index: number): number =>
        Math.round((x0 + (index - 0.5) * spacing) * horizontalPixelRatio);
      if (this.layer === 'shading') {
        for (const run of shown) {
          const from = left(run.from);
          context.fillStyle = shadeOf(run.prediction.strategy);
          context.fillRect(from, 0, left(run.to + 1) - from, bitmapSize.height);
        }
        return;
      }
      const y = (probability: number): number | null => {
        const coordinate = series.priceToCoordinate(probability);
        return coordinate === null ? null : Math.round(coordinate * verticalPixelRatio);
      };
      const width = Math.max(1, Math.round(LINE_WIDTH * verticalPixelRatio));
      let previousY: number | null = null;
      for (const run of shown) {
        const { pick, second } = pickMargin(run.prediction);
        const yPick = y(pick);
        const ySecond = y(second);
        if (yPick === null || ySecond === null) continue;
        const from = left(run.from);
        const to = left(run.to + 1);
        context.fillStyle = bandOf(run.prediction.strategy);
        context.fillRect(from, Math.min(yPick, ySecond), to - from, Math.abs(ySecond - yPick));
        context.fillStyle = lineOf(run.prediction.strategy);
        context.fillRect(from, yPick - Math.floor(width / 2), to - from, width);
        // The step from the previous run's level, in this run's colour.
        if (previousY !== null && previousY !== yPick) {
          const top = Math.min(previousY, yPick) - Math.floor(width / 2);
          context.fillRect(from, top, width, Math.abs(previousY - yPick) + width);
        }
        previousY = yPick;
      }
    });
  }
}
