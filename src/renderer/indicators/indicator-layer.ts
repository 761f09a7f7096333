/**
 * A pane's indicators on its chart, as a chart addon (charts/chart-addon.ts). SMA, EMA, Bollinger Bands and
 * VWAP are lines over the candles (pane 0); RSI (with 30 and 70 guide lines) and MACD (MACD and signal
 * lines over a histogram) each get a pane of their own, added below the panes already there (the volume
 * is pane 1 and stays). Removing an indicator removes its series and its pane. The chart's top left shows
 * a chip per indicator (name and parameters, in its line's colour).
 *
 * Cost: after any setData of the chart ('reset') every indicator is computed again from the bars held
 * (up to 60,000; trading-signals' streaming indicators, one pass each). A live update ('update') costs one
 * step per indicator per bar: each indicator's calculator is kept at the newest bar, a new bar is added and
 * the forming bar's new states replace it in place (trading-signals' replace mode), and only that point
 * of each line is updated. A corrected past bar (rare) recomputes that chart's indicators whole.
 */
import {
  HistogramSeries,
  LineSeries,
  LineStyle,
  type HistogramData,
  type IPaneApi,
  type ISeriesApi,
  type LineData,
  type MouseEventParams,
  type SeriesType,
  type Time,
} from 'lightweight-charts';
import type { Bar, Indicator, Theme, Timeframe } from '../../shared/domain';
import {
  chartTime,
  epochMs,
  type ChartAddon,
  type ChartSurface,
  type SeriesChange,
} from '../charts/chart-addon';
import {
  INDICATOR_LINES,
  exchangeDay,
  indicatorLines,
  unavailableReason,
  type BarValues,
  type IndicatorCalculator,
  type LineName,
  type LinePoint,
} from './indicator-values';
import {
  KIND_TITLES,
  formatIndicatorValues,
  MACD_HISTOGRAM_DOWN,
  MACD_HISTOGRAM_UP,
  RSI_GUIDE,
  indicatorLabel,
  indicatorStyles,
  type IndicatorStyle,
} from './indicator-style';

/** An indicator pane's height relative to the candle pane (0.78) and the volume pane (0.22). */
const INDICATOR_PANE_SHARE = 0.26;
const RSI_RANGE = { minValue: 0, maxValue: 100 };

type AnySeries = ISeriesApi<SeriesType, Time>;

interface DrawnIndicator {
  indicator: Indicator;
  /** The indicator's settings as drawn: a change of settings draws it anew. */
  key: string;
  style: IndicatorStyle;
  series: Partial<Record<LineName, AnySeries>>;
  /** The pane of its own (RSI, MACD), or null for lines over the candles. */
  pane: IPaneApi<Time> | null;
  /** Kept at the newest bar for live updates; null until computed. */
  calculator: IndicatorCalculator | null;
  /** VWAP: the newest point drawn, to break the line when a bar of the next session comes. */
  lastPoint: LinePoint | null;
  /** The values at the newest bar, shown in the chip while the crosshair is off the chart. */
  latest: BarValues;
  /** The chip's element for the values (null while it has no chip). */
  valueText: HTMLElement | null;
}

const quiet = { lastValueVisible: false, priceLineVisible: false, crosshairMarkerVisible: false } as const;

const histogramPoint = (time: number, value: number): HistogramData<Time> => ({
  time: chartTime(time),
  value,
  color: value >= 0 ? MACD_HISTOGRAM_UP : MACD_HISTOGRAM_DOWN,
});

const linePoint = (time: number, value: number): LineData<Time> => ({ time: chartTime(time), value });

/**
 * The last point of a session's VWAP: lightweight-charts draws the segment after a point in that point's
 * colour, so a transparent last point breaks the line where the next session starts again (no vertical
 * stroke joining two sessions' VWAPs).
 */
const sessionEnd = (p: LinePoint): LineData<Time> => ({
  time: chartTime(p.time),
  value: p.value,
  color: 'transparent',
});

export class IndicatorLayer implements ChartAddon {
  private readonly drawn = new Map<string, DrawnIndicator>();
  private readonly chips: HTMLDivElement;
  private indicators: readonly Indicator[] = [];
  /** The timeframe the indicators were last computed for (VWAP is drawn on intraday bars only). */
  private timeframe: Timeframe;
  /** The crosshair is over a bar: the chips show its values rather than the newest bar's. */
  private hovering = false;
  private theme: Theme = 'dark';

  constructor(private readonly surface: ChartSurface) {
    this.timeframe = surface.timeframe();
    this.chips = surface.host.ownerDocument.createElement('div');
    this.chips.className = 'indicator-chips';
    this.chips.dataset.testid = 'indicator-chips';
    surface.host.appendChild(this.chips);
    surface.chart.subscribeCrosshairMove(this.onCrosshairMove);
  }

  /** The window's theme: lines and chips take its shades. */
  setTheme(theme: Theme): void {
    if (theme === this.theme) return;
    this.theme = theme;
    this.setIndicators(this.indicators);
  }

  /** The pane's indicators, in its order: new ones are drawn, removed ones taken off, the rest kept. */
  setIndicators(indicators: readonly Indicator[]): void {
    this.indicators = indicators;
    const styles = indicatorStyles(indicators, this.theme);
    const wanted = new Set(indicators.map((i) => i.id));
    for (const [id, drawn] of this.drawn) {
      if (!wanted.has(id)) this.remove(id, drawn);
    }
    indicators.forEach((indicator, i) => {
      const style = styles[i]!;
      const key = JSON.stringify(indicator);
      const drawn = this.drawn.get(indicator.id);
      if (drawn?.key === key) {
        if (drawn.style.color !== style.color || drawn.style.signalColor !== style.signalColor) {
          this.restyle(drawn, style);
        }
        return;
      }
      if (drawn) this.remove(indicator.id, drawn);
      const made = this.make(indicator, key, style);
      this.drawn.set(indicator.id, made);
      this.compute(made);
    });
    this.showChips();
  }

  seriesChanged(change: SeriesChange): void {
    if (change.kind === 'reset') {
      // New bars (another symbol, older history): values shown for a hovered bar were the old series'.
      // The chips show the new newest bar's at once; the chart's next crosshair move shows a hovered one.
      this.hovering = false;
      this.computeAll();
      return;
    }
    for (const drawn of this.drawn.values()) {
      if (!this.applyUpdates(drawn, change.updates)) this.compute(drawn);
    }
  }

  /** The linked crosshair was cleared (the chart reports no move for that): the newest values again. */
  crosshairCleared(): void {
    this.hovering = false;
    for (const drawn of this.drawn.values()) this.showLatest(drawn);
  }

  dispose(): void {
    this.surface.chart.unsubscribeCrosshairMove(this.onCrosshairMove);
    for (const [id, drawn] of this.drawn) this.remove(id, drawn);
    this.chips.remove();
  }

  private computeAll(): void {
    const timeframe = this.surface.timeframe();
    const timeframeChanged = timeframe !== this.timeframe;
    this.timeframe = timeframe;
    for (const drawn of this.drawn.values()) this.compute(drawn);
    if (timeframeChanged) this.showChips();
  }

  /** Compute an indicator over every bar held and show it whole. */
  private compute(drawn: DrawnIndicator): void {
    const { lines, calculator } = indicatorLines(drawn.indicator, this.surface.bars(), this.timeframe);
    drawn.calculator = calculator;
    drawn.lastPoint = null;
    drawn.latest = {};
    const sessions = drawn.indicator.kind === 'vwap';
    for (const [name, series] of Object.entries(drawn.series) as [LineName, AnySeries][]) {
      const points: readonly LinePoint[] = lines[name] ?? [];
      series.setData(
        points.map((p, i) => {
          if (name === 'histogram') return histogramPoint(p.time, p.value);
          const next = points[i + 1];
          return sessions && next !== undefined && exchangeDay(next.time) !== exchangeDay(p.time)
            ? sessionEnd(p)
            : linePoint(p.time, p.value);
        }),
      );
      if (sessions) drawn.lastPoint = points[points.length - 1] ?? null;
      const last = points[points.length - 1];
      if (last !== undefined && last.time === calculator.newestStart) drawn.latest[name] = last.value;
    }
    if (!this.hovering) this.showLatest(drawn);
  }

  /**
   * Apply live updates of the newest bars through the kept calculator; false when they cannot be (a
   * corrected past bar, a bar older than the newest, a revision the library cannot take back): compute whole.
   */
  private applyUpdates(
    drawn: DrawnIndicator,
    updates: readonly { bar: Bar; historical: boolean }[],
  ): boolean {
    const calculator = drawn.calculator;
    if (calculator === null) return false;
    for (const { bar, historical } of updates) {
      const newest = calculator.newestStart;
      let values: BarValues | null;
      if (historical || (newest !== null && bar.start < newest)) return false;
      else if (bar.start === newest) values = calculator.revise(bar);
      else values = calculator.add(bar);
      if (values === null) return false;
      drawn.latest = values;
      for (const [name, series] of Object.entries(drawn.series) as [LineName, AnySeries][]) {
        const value = values[name];
        if (value === undefined) continue;
        if (drawn.indicator.kind === 'vwap') {
          const last = drawn.lastPoint;
          // A bar of a new session: the previous session's last point no longer joins the line to it.
          if (last !== null && last.time < bar.start && exchangeDay(last.time) !== exchangeDay(bar.start)) {
            series.update(sessionEnd(last), true);
          }
          drawn.lastPoint = { time: bar.start, value };
        }
        series.update(name === 'histogram' ? histogramPoint(bar.start, value) : linePoint(bar.start, value));
      }
    }
    if (!this.hovering) this.showLatest(drawn);
    return true;
  }

  /** Add an indicator's series (and its pane for RSI and MACD) to the chart. */
  private make(indicator: Indicator, key: string, style: IndicatorStyle): DrawnIndicator {
    const { chart } = this.surface;
    const series: DrawnIndicator['series'] = {};
    let pane: IPaneApi<Time> | null = null;
    const over = (options: object): AnySeries =>
      chart.addSeries(LineSeries, { ...quiet, lineWidth: 2, color: style.color, ...options }, 0);
    switch (indicator.kind) {
      case 'sma':
      case 'ema':
      case 'vwap':
        series.value = over({});
        break;
      case 'bollinger':
        series.upper = over({ lineWidth: 1 });
        series.middle = over({ lineWidth: 1, lineStyle: LineStyle.Dashed });
        series.lower = over({ lineWidth: 1 });
        break;
      case 'rsi': {
        pane = this.addPane();
        const rsi = pane.addSeries(LineSeries, {
          ...quiet,
          lineWidth: 2,
          color: style.color,
          // The scale is always 0 to 100, as traders read RSI against its 30 and 70 lines.
          autoscaleInfoProvider: () => ({ priceRange: RSI_RANGE }),
          priceFormat: { type: 'price', precision: 1, minMove: 0.1 },
        });
        for (const price of [30, 70]) {
          rsi.createPriceLine({
            price,
            color: RSI_GUIDE,
            lineWidth: 1,
            lineStyle: LineStyle.Dashed,
            axisLabelVisible: true,
            title: '',
          });
        }
        series.value = rsi;
        break;
      }
      case 'macd':
        pane = this.addPane();
        // The histogram first: the lines are drawn over it.
        series.histogram = pane.addSeries(HistogramSeries, { ...quiet, color: MACD_HISTOGRAM_UP });
        series.macd = pane.addSeries(LineSeries, { ...quiet, lineWidth: 2, color: style.color });
        series.signal = pane.addSeries(LineSeries, { ...quiet, lineWidth: 1, color: style.signalColor });
        break;
    }
    // Every line the kind has is drawn: a missing one would be a mistake here, not in the data.
    for (const name of INDICATOR_LINES[indicator.kind]) {
      if (!(name in series)) throw new Error(`indicator ${indicator.kind} has no series for ${name}`);
    }
    return {
      indicator,
      key,
      style,
      series,
      pane,
      calculator: null,
      lastPoint: null,
      latest: {},
      valueText: null,
    };
  }

  /** A new pane below all others (the volume stays pane 1; other indicators' panes keep their place). */
  private addPane(): IPaneApi<Time> {
    const pane = this.surface.chart.addPane();
    pane.setStretchFactor(INDICATOR_PANE_SHARE);
    return pane;
  }

  private restyle(drawn: DrawnIndicator, style: IndicatorStyle): void {
    drawn.style = style;
    const { series } = drawn;
    for (const name of ['value', 'upper', 'middle', 'lower', 'macd'] as const) {
      series[name]?.applyOptions({ color: style.color });
    }
    series.signal?.applyOptions({ color: style.signalColor });
  }

  /** Take an indicator's series off the chart, and its pane if it had one. */
  private remove(id: string, drawn: DrawnIndicator): void {
    this.drawn.delete(id);
    const { chart } = this.surface;
    const paneIndex = drawn.pane?.paneIndex() ?? null;
    for (const series of Object.values(drawn.series)) chart.removeSeries(series);
    // The chart may already have dropped the emptied pane; remove it only if it is still there, empty.
    if (paneIndex !== null && paneIndex > 1) {
      const pane = chart.panes()[paneIndex];
      if (pane && pane.getSeries().length === 0) chart.removePane(paneIndex);
    }
  }

  /** One chip per indicator, in the pane's order and its line's colour. */
  private showChips(): void {
    const styles = indicatorStyles(this.indicators, this.theme);
    const chips = this.indicators.map((indicator, i) => {
      const chip = this.chips.ownerDocument.createElement('span');
      chip.className = 'indicator-chip';
      chip.dataset.testid = 'indicator-chip';
      chip.dataset.kind = indicator.kind;
      chip.style.color = styles[i]!.color;
      const reason = unavailableReason(indicator.kind, this.timeframe);
      const label = this.chips.ownerDocument.createElement('span');
      label.className = 'indicator-chip-label';
      label.dataset.testid = 'indicator-chip-label';
      label.textContent = indicatorLabel(indicator);
      const value = this.chips.ownerDocument.createElement('span');
      value.className = 'indicator-chip-value';
      value.dataset.testid = 'indicator-chip-value';
      chip.replaceChildren(label, value);
      const drawn = this.drawn.get(indicator.id);
      if (drawn) {
        drawn.valueText = value;
        this.showLatest(drawn);
      }
      chip.title = reason ?? KIND_TITLES[indicator.kind];
      if (reason !== null) {
        chip.classList.add('is-unavailable');
        chip.dataset.unavailable = 'true';
      }
      return chip;
    });
    this.chips.replaceChildren(...chips);
    this.chips.hidden = chips.length === 0;
  }

  /** The values of the bar under the crosshair in the chips; the newest bar's when it leaves the chart. */
  private readonly onCrosshairMove = (param: MouseEventParams<Time>): void => {
    const time = param.point === undefined ? undefined : param.time;
    this.hovering = time !== undefined;
    for (const drawn of this.drawn.values()) {
      if (time === undefined) {
        this.showLatest(drawn);
        continue;
      }
      const values: BarValues = {};
      for (const [name, series] of Object.entries(drawn.series) as [LineName, AnySeries][]) {
        const data = param.seriesData.get(series);
        if (data !== undefined && 'value' in data && typeof data.value === 'number')
          values[name] = data.value;
      }
      this.showValues(drawn, values, epochMs(time));
    }
  };

  private showLatest(drawn: DrawnIndicator): void {
    this.showValues(drawn, drawn.latest, drawn.calculator?.newestStart ?? null);
  }

  /** The values in the chip, and the start (epoch ms) of the bar they are at in its data-bar-start. */
  private showValues(drawn: DrawnIndicator, values: BarValues, barStart: number | null): void {
    if (drawn.valueText === null) return;
    const shown = INDICATOR_LINES[drawn.indicator.kind]
      .map((name) => values[name])
      .filter((value) => value !== undefined);
    drawn.valueText.textContent = formatIndicatorValues(drawn.indicator.kind, shown);
    drawn.valueText.dataset.barStart = barStart === null ? '' : String(barStart);
  }
}
