/**
 * The strategy model's overlays on one chart, as a chart addon (charts/chart-addon.ts):
 * - shading: the background behind each bar tinted by the strategy of the prediction in force when it
 *   was traded (prediction-runs.ts says which), drawn behind the candles by a series primitive;
 * - confidence: a pane of its own under the chart with the pick's probability as a step line and the
 *   band between it and the runner-up's probability (the pick's margin), only on 1D charts (predictions
 *   are daily: on an intraday chart it is a flat line over most of the view) and only while some bar of
 *   the chart has a prediction in force. Its label says "Pick": it is the picked strategy's probability,
 *   not the model's confidence its pick is right (the strategy panel's figure). The pane holds a line
 *   series without a visible line: it gives the pane its price scale (fitted to the band in view:
 *   runs-primitive.ts), the crosshair's value and the last value's label; the primitive draws.
 * Predictions come from the window (setPredictions), the switches from the workspace (setSwitches).
 * The host element carries `data-model-runs` (runs under a prediction, 0 when shading and confidence
 * are off) and `data-model-confidence` ('on' while the confidence pane is shown) for tests.
 */
import { LineSeries, LineType, type ISeriesApi, type LineData, type Time } from 'lightweight-charts';
import type { ModelOverlays, Prediction } from '../../shared/domain';
import { chartTime, type ChartAddon, type ChartSurface, type SeriesChange } from '../charts/chart-addon';
import { VOLUME_PANE_SHARE } from '../charts/chart-theme';
import { lineOf } from './overlay-colours';
import { pickMargin, predictionRuns, type PredictionRun } from './prediction-runs';
import { RunsPrimitive } from './runs-primitive';

export type OverlaySwitches = Pick<ModelOverlays, 'shading' | 'confidence'>;

/** The confidence pane's height: as the volume pane's (stretch factors, chart-theme.ts). */
const CONFIDENCE_PANE_SHARE = VOLUME_PANE_SHARE;

const percent = (value: number): string => `${Math.round(value * 100)}%`;

export class ModelOverlayAddon implements ChartAddon {
  private predictions: readonly Prediction[] = [];
  private switches: OverlaySwitches = { shading: true, confidence: true };
  private runs: PredictionRun[] = [];
  private readonly shading = new RunsPrimitive('shading');
  private readonly band = new RunsPrimitive('confidence');
  private confidence: ISeriesApi<'Line', Time> | null = null;
  /** What the confidence series holds: the runs' starts and predictions (a new bar only moves its end). */
  private confidenceKey = '';
  /** Bumped with each new prediction list (a prediction may be replaced by the engine's newer word). */
  private version = 0;
  private disposed = false;

  constructor(private readonly surface: ChartSurface) {
    surface.candles.attachPrimitive(this.shading);
  }

  setPredictions(predictions: readonly Prediction[]): void {
    if (predictions === this.predictions) return;
    this.predictions = predictions;
    this.version++;
    this.refresh();
  }

  setSwitches(switches: OverlaySwitches): void {
    if (switches.shading === this.switches.shading && switches.confidence === this.switches.confidence)
      return;
    this.switches = { ...switches };
    this.refresh();
  }

  seriesChanged(change: SeriesChange): void {
    // A point update only matters when it adds a bar (a corrected past bar keeps its start).
    if (change.kind === 'update' && change.updates.every((u) => u.historical)) return;
    // The common live case: new bars after the last run, traded under the latest prediction (the run's).
    const last = this.runs[this.runs.length - 1];
    const newest = this.surface.bars().length - 1;
    if (
      change.kind === 'update' &&
      last !== undefined &&
      last.prediction === this.predictions[this.predictions.length - 1]
    ) {
      if (newest > last.to) {
        this.runs[this.runs.length - 1] = { ...last, to: newest };
        this.show();
      }
      return;
    }
    this.refresh();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.surface.candles.detachPrimitive(this.shading);
    this.removeConfidence();
    delete this.surface.host.dataset.modelRuns;
    delete this.surface.host.dataset.modelConfidence;
  }

  /** Recompute the runs (O(P log N)) and show them as the switches say. */
  private refresh(): void {
    if (this.disposed) return;
    const { shading, confidence } = this.switches;
    this.runs = shading || confidence ? predictionRuns(this.surface.bars(), this.predictions) : [];
    this.show();
  }

  private show(): void {
    const { shading, confidence } = this.switches;
    this.shading.setRuns(shading ? this.runs : []);
    if (confidence && this.runs.length > 0 && this.surface.timeframe() === '1D') this.showConfidence();
    else this.removeConfidence();
    this.surface.host.dataset.modelRuns = String(this.runs.length);
    this.surface.host.dataset.modelConfidence = this.confidence !== null ? 'on' : 'off';
  }

  private showConfidence(): void {
    const { chart } = this.surface;
    if (this.confidence === null) {
      const paneIndex = chart.panes().length;
      this.confidence = chart.addSeries(
        LineSeries,
        {
          lineVisible: false,
          lineType: LineType.WithSteps,
          pointMarkersVisible: false,
          crosshairMarkerVisible: false,
          priceLineVisible: false,
          lastValueVisible: true,
          title: 'Pick',
          priceFormat: { type: 'custom', formatter: percent, minMove: 0.01 },
        },
        paneIndex,
      );
      this.confidence.priceScale().applyOptions({ scaleMargins: { top: 0.15, bottom: 0.15 } });
      chart.panes()[paneIndex]?.setStretchFactor(CONFIDENCE_PANE_SHARE);
      this.confidence.attachPrimitive(this.band);
      this.confidenceKey = '';
    }
    this.band.setRuns(this.runs);
    this.fillConfidence();
  }

  /**
   * The line series' points: the pick's probability at each run's first bar, and at the newest bar so the
   * last value's label reads the prediction in force now. Set whole only when the runs changed other than
   * by a new bar at the end; a new bar moves the last point (one update).
   */
  private fillConfidence(): void {
    const series = this.confidence;
    const last = this.runs[this.runs.length - 1];
    if (series === null || last === undefined) return;
    const bars = this.surface.bars();
    const key = `${this.runs.length}|${bars[0]?.start}|${this.runs[0]!.from}|${last.from}|${last.prediction.barStart}|${this.version}`;
    const point = (index: number, prediction: Prediction): LineData<Time> => ({
      time: chartTime(bars[index]!.start),
      value: pickMargin(prediction).pick,
      color: lineOf(prediction.strategy),
    });
    if (key === this.confidenceKey) {
      if (last.to > last.from) series.update(point(last.to, last.prediction));
      return;
    }
    const points = this.runs.map((run) => point(run.from, run.prediction));
    if (last.to > last.from) points.push(point(last.to, last.prediction));
    series.setData(points);
    this.confidenceKey = key;
  }

  private removeConfidence(): void {
    const series = this.confidence;
    if (series === null) return;
    this.confidence = null;
    this.confidenceKey = '';
    series.detachPrimitive(this.band);
    // The pane goes with its only series (lightweight-charts removes a pane left empty).
    this.surface.chart.removeSeries(series);
  }
}
