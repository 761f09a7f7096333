/**
 * One lightweight-charts chart: candles above, volume in its own pane below. It owns the chart's data
 * path: history is loaded with setData, live bars are queued and applied with series.update at most
 * once per animation frame (only the latest state of each bar survives the queue), and live bars that
 * arrive while history is loading wait in the same queue until the history is in.
 *
 * It publishes what the legend shows (last bar, hovered bar, bar count) into a store, once per flush.
 */
import {
  CandlestickSeries,
  HistogramSeries,
  TickMarkType,
  createChart,
  type CandlestickData,
  type HistogramData,
  type IChartApi,
  type ISeriesApi,
  type MouseEventParams,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { Bar, Timeframe } from '../../shared/domain';
import type { ValueStore } from '../engine/value-store';
import { formatBarStart, formatTick, type TickKind } from '../time/exchange-time';
import {
  CANDLE_DOWN,
  CANDLE_UP,
  VOLUME_DOWN,
  VOLUME_PANE_SHARE,
  VOLUME_UP,
  candleOptions,
  chartOptions,
  volumeOptions,
} from './chart-theme';
import { PendingBars } from './pending-bars';

/** One bar as the legend shows it. */
export interface LegendBar {
  start: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface ChartSnapshot {
  /** Symbol whose bars are in the series (null before the first load). */
  symbol: string | null;
  timeframe: Timeframe;
  /** Bars currently in the series. */
  barCount: number;
  lastBar: LegendBar | null;
  /** The bar under the crosshair, or null when the pointer is elsewhere. */
  hovered: LegendBar | null;
  /** Decimals for prices of this symbol. */
  precision: number;
}

export function emptySnapshot(timeframe: Timeframe): ChartSnapshot {
  return { symbol: null, timeframe, barCount: 0, lastBar: null, hovered: null, precision: 2 };
}

/** Queued live bars beyond this are applied at once (a hidden tab gets no frames but must not grow). */
const MAX_QUEUED_BARS = 4096;
/**
 * lightweight-charts copies a series' whole point list on every update, so a frame with many bars is
 * cheaper as one setData, and the series is kept from growing without bound (a fast replay adds
 * thousands of 1-minute bars a second): past MAX_SERIES_BARS the oldest bars go, down to TRIM_TO.
 */
const MAX_UPDATES_PER_FRAME = 16;
const MAX_SERIES_BARS = 6000;
const TRIM_TO = 5000;
/** A hidden page gets no animation frames; it is flushed on a slow timer instead. */
const HIDDEN_FLUSH_MS = 1000;

const TICK_KINDS: Record<TickMarkType, TickKind> = {
  [TickMarkType.Year]: 'year',
  [TickMarkType.Month]: 'month',
  [TickMarkType.DayOfMonth]: 'day',
  [TickMarkType.Time]: 'time',
  [TickMarkType.TimeWithSeconds]: 'time-seconds',
};

const toTime = (ms: number): UTCTimestamp => (ms / 1000) as UTCTimestamp;
const toMs = (time: Time): number => (typeof time === 'number' ? time * 1000 : Number.NaN);

const toCandle = (bar: Bar): CandlestickData<Time> => ({
  time: toTime(bar.start),
  open: bar.open,
  high: bar.high,
  low: bar.low,
  close: bar.close,
});

const toVolume = (bar: Bar): HistogramData<Time> => ({
  time: toTime(bar.start),
  value: bar.volume,
  color: bar.close >= bar.open ? VOLUME_UP : VOLUME_DOWN,
});

/** Hover data of the candle series is candlestick data, or whitespace where there is no bar. */
const isCandle = (data: object): data is CandlestickData<Time> => 'open' in data && 'close' in data;

const toLegend = (bar: Bar): LegendBar => ({
  start: bar.start,
  open: bar.open,
  high: bar.high,
  low: bar.low,
  close: bar.close,
  volume: bar.volume,
});

/** History as setData needs it: strictly ascending starts (the last copy of a duplicate wins). */
function ascendingUnique(bars: readonly Bar[]): Bar[] {
  const sorted = bars.every((bar, i) => i === 0 || bar.start > (bars[i - 1]?.start ?? -Infinity))
    ? [...bars]
    : [...bars].sort((a, b) => a.start - b.start);
  const unique: Bar[] = [];
  for (const bar of sorted) {
    if (unique.length > 0 && unique[unique.length - 1]?.start === bar.start) unique[unique.length - 1] = bar;
    else unique.push(bar);
  }
  return unique;
}

/** Enough decimals to show a tick of this price: 2 for dollars, more for pennies and below. */
function precisionFor(price: number): number {
  if (price >= 1) return 2;
  if (price >= 0.01) return 4;
  return 6;
}

export class CandleChart {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly volume: ISeriesApi<'Histogram'>;
  private readonly queue = new PendingBars(MAX_QUEUED_BARS);
  /** The bars in the series, oldest first (our copy: lightweight-charts cannot be asked cheaply). */
  private shown: Bar[] = [];
  /** False while history is loading: live bars wait in the queue. */
  private loaded = false;
  private cancelFlush: (() => void) | null = null;
  private sameViewReload = false;
  private snapshot: ChartSnapshot;
  private disposed = false;

  constructor(
    host: HTMLElement,
    private readonly view: ValueStore<ChartSnapshot>,
  ) {
    this.snapshot = view.get();
    this.chart = createChart(host, { ...chartOptions, ...this.axisOptions(this.snapshot.timeframe) });
    this.candles = this.chart.addSeries(CandlestickSeries, candleOptions, 0);
    this.volume = this.chart.addSeries(HistogramSeries, volumeOptions, 1);
    this.volume.priceScale().applyOptions({ scaleMargins: { top: 0.12, bottom: 0 } });
    const [pricePane, volumePane] = this.chart.panes();
    pricePane?.setStretchFactor(1 - VOLUME_PANE_SHARE);
    volumePane?.setStretchFactor(VOLUME_PANE_SHARE);
    this.chart.subscribeCrosshairMove(this.onCrosshairMove);
  }

  /**
   * Prepare for fresh history; live bars queue until `load`. A new symbol or timeframe empties the
   * chart at once (so it never shows one symbol under another's name); a reload of the same view
   * (after a reconnect or a retry) keeps the bars and the scroll position until the history replaces them.
   */
  reset(symbol: string, timeframe: Timeframe): void {
    if (this.disposed) return;
    this.stopFlush();
    this.queue.clear();
    this.loaded = false;
    const { snapshot } = this;
    this.sameViewReload =
      symbol === snapshot.symbol && timeframe === snapshot.timeframe && snapshot.barCount > 0;
    if (this.sameViewReload) return;
    if (timeframe !== snapshot.timeframe) this.chart.applyOptions(this.axisOptions(timeframe));
    this.showAll([]);
    this.publish({ symbol, timeframe, barCount: 0, lastBar: null, hovered: null });
  }

  /** Show history, then apply whatever live bars arrived meanwhile and are not older than it. */
  load(bars: readonly Bar[]): void {
    if (this.disposed) return;
    const history = ascendingUnique(bars).slice(-MAX_SERIES_BARS);
    const last = history[history.length - 1];
    const precision = precisionFor(last?.close ?? 1);
    if (precision !== this.snapshot.precision) {
      this.candles.applyOptions({ priceFormat: { type: 'price', precision, minMove: 10 ** -precision } });
    }
    this.showAll(history);
    if (!this.sameViewReload) this.chart.timeScale().resetTimeScale();
    this.loaded = true;
    this.publish({ barCount: history.length, lastBar: last ? toLegend(last) : null, precision });
    this.flush();
  }

  /** Queue live bars of this chart's symbol and timeframe. */
  push(bars: readonly Bar[]): void {
    if (this.disposed) return;
    this.queue.add(bars);
    if (!this.loaded) {
      this.queue.trim();
    } else if (this.queue.full) {
      this.flush();
    } else {
      this.scheduleFlush();
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopFlush();
    this.queue.clear();
    this.chart.unsubscribeCrosshairMove(this.onCrosshairMove);
    this.chart.remove();
  }

  private scheduleFlush(): void {
    if (this.cancelFlush !== null) return;
    if (document.visibilityState === 'hidden') {
      const timer = setTimeout(this.flush, HIDDEN_FLUSH_MS);
      this.cancelFlush = () => clearTimeout(timer);
    } else {
      const frame = requestAnimationFrame(this.flush);
      this.cancelFlush = () => cancelAnimationFrame(frame);
    }
  }

  private stopFlush(): void {
    this.cancelFlush?.();
    this.cancelFlush = null;
  }

  /** Apply queued bars in time order: one series.update each, or one setData for a burst. */
  private readonly flush = (): void => {
    this.stopFlush();
    if (this.disposed || !this.loaded || this.queue.size === 0) return;
    const { shown } = this;
    const fresh = this.queue.drain(shown[shown.length - 1]?.start ?? null);
    if (fresh.length === 0) return;
    const burst = fresh.length > MAX_UPDATES_PER_FRAME || shown.length + fresh.length > MAX_SERIES_BARS;
    try {
      for (const bar of fresh) {
        if (shown[shown.length - 1]?.start === bar.start) shown[shown.length - 1] = bar;
        else shown.push(bar);
        if (!burst) {
          this.candles.update(toCandle(bar));
          this.volume.update(toVolume(bar));
        }
      }
      if (burst) this.showBurst(shown);
    } catch (error) {
      // Not expected (older bars were filtered out); keep the page alive and say what happened.
      console.error('chart update failed', error);
    }
    const last = this.shown[this.shown.length - 1];
    this.publish({ barCount: this.shown.length, lastBar: last ? toLegend(last) : null });
  };

  /**
   * Show many new bars at once without losing the trader's place: setData keeps the visible logical
   * range, so a chart that followed the newest bar is moved back to it, and one scrolled into history
   * keeps showing the same bars after the oldest ones are trimmed.
   */
  private showBurst(bars: Bar[]): void {
    const timeScale = this.chart.timeScale();
    const fromLatest = timeScale.scrollPosition();
    const range = timeScale.getVisibleLogicalRange();
    const trimmed = bars.length > MAX_SERIES_BARS ? bars.length - TRIM_TO : 0;
    this.showAll(trimmed > 0 ? bars.slice(trimmed) : bars);
    // Within half a bar of the live edge counts as following it.
    if (fromLatest > -0.5 || range === null) timeScale.scrollToPosition(fromLatest, false);
    else timeScale.setVisibleLogicalRange({ from: range.from - trimmed, to: range.to - trimmed });
  }

  /** Replace the series' data (both panes) with these bars, ascending and unique. */
  private showAll(bars: Bar[]): void {
    this.shown = bars;
    this.candles.setData(bars.map(toCandle));
    this.volume.setData(bars.map(toVolume));
  }

  private readonly onCrosshairMove = (param: MouseEventParams<Time>): void => {
    const candle = param.point ? param.seriesData.get(this.candles) : undefined;
    const volume = param.point ? param.seriesData.get(this.volume) : undefined;
    const hovered: LegendBar | null =
      candle && isCandle(candle)
        ? {
            start: toMs(candle.time),
            open: candle.open,
            high: candle.high,
            low: candle.low,
            close: candle.close,
            volume: volume && 'value' in volume && typeof volume.value === 'number' ? volume.value : 0,
          }
        : null;
    const current = this.snapshot.hovered;
    if (hovered?.start === current?.start && hovered?.close === current?.close) return;
    this.publish({ hovered });
  };

  private publish(change: Partial<ChartSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    this.view.set(this.snapshot);
  }

  /** Axis and crosshair labels in exchange time; daily charts show dates only. */
  private axisOptions(timeframe: Timeframe) {
    return {
      localization: {
        timeFormatter: (time: Time) => formatBarStart(toMs(time), timeframe),
      },
      timeScale: {
        timeVisible: timeframe !== '1D',
        tickMarkFormatter: (time: Time, type: TickMarkType) => formatTick(toMs(time), TICK_KINDS[type]),
      },
    };
  }
}

/** The candle colour of a bar, for legends that match the chart. */
export function directionColor(bar: Pick<LegendBar, 'open' | 'close'>): string {
  return bar.close >= bar.open ? CANDLE_UP : CANDLE_DOWN;
}
