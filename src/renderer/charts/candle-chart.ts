/**
 * One lightweight-charts chart: candles above, volume in its own pane below. It owns the chart's data
 * path: history is loaded with setData; live bars are queued and applied at most once per animation
 * frame (only the latest state of each bar survives the queue), as point updates (`update(bar)` for the
 * newest, `update(bar, true)` for a corrected past bar) or one setData for a burst; live bars that
 * arrive while history is loading wait in the same queue until the history is in.
 *
 * Scrolling back: when the view nears the oldest bar held, it asks its older-bars source for the page
 * before it (history-pager.ts decides when), and puts it in front without moving the view. The series
 * stays bounded: bursts trim the oldest bars, never ones the trader is looking at (series-bars.ts).
 *
 * It publishes what the legend and the pane show (last bar, hovered bar, bar count, the state of
 * scroll-back) into a store, once per change.
 *
 * Markers (the strategy model's predictions on daily charts): small labelled dots above the bars they
 * name; a marker whose bar is not in the series is not drawn (lightweight-charts would pin it to the
 * nearest bar), and each change of the series draws the ones that now have their bar. A click on a
 * marker is reported with the marker's time.
 *
 * A time line (a news item the trader clicked): a vertical line over the bar the moment falls in, or the
 * first bar after it (time-line.ts), an element over the canvas kept in place as the view scrolls,
 * zooms, resizes or the series changes.
 */
import {
  CandlestickSeries,
  HistogramSeries,
  TickMarkType,
  createChart,
  createSeriesMarkers,
  type CandlestickData,
  type HistogramData,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type Logical,
  type LogicalRange,
  type MouseEventParams,
  type SeriesMarker,
  type Time,
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
import {
  chartTime,
  epochMs,
  type ChartAddon,
  type ChartAddonFactory,
  type SeriesChange,
} from './chart-addon';
import { HistoryPager, type HistoryEdge, type PageRequest } from './history-pager';
import { legendBarStarting, newestLegendBar, type LegendBar } from './legend-bar';
import { newestBarInView } from './live-edge';
import { PendingBars } from './pending-bars';
import { SeriesBars, barsToTrim } from './series-bars';
import { timeLineIndex } from './time-line';

export type { LegendBar } from './legend-bar';

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
  /** Start of the oldest bar in the series (epoch ms), or null when it is empty. */
  oldestStart: number | null;
  /** Where scrolling back stands: more to load, loading, the start of the store, the pane's limit, a failure. */
  history: HistoryEdge;
  /** Why older bars could not be loaded, while `history` is 'error'. */
  historyError: string | null;
  /** The view reaches the oldest bar of the series. */
  atOldest: boolean;
  /**
   * Some of the newest bar is in view (true while the series is empty or the view unknown); false once the
   * trader has scrolled it out of view, when the pane offers a way back to it (scrollToNewest).
   */
  newestInView: boolean;
}

export function emptySnapshot(timeframe: Timeframe): ChartSnapshot {
  return {
    symbol: null,
    timeframe,
    barCount: 0,
    lastBar: null,
    hovered: null,
    precision: 2,
    oldestStart: null,
    history: 'more',
    historyError: null,
    atOldest: false,
    newestInView: true,
  };
}

/**
 * A marker above one bar: the bar's start (epoch ms), its colour and short text ('' for a plain dot), and
 * the tooltip shown while the pointer is on it ('' or absent: none).
 */
export interface ChartMarker {
  time: number;
  color: string;
  text: string;
  title?: string;
}

/** Told the time (epoch ms) of a marker the trader clicked. */
export type MarkerClick = (time: number) => void;

/** Where older bars come from: `market.bars` with `before` and `limit`, for this chart's view. */
export type OlderBarsSource = (
  symbol: string,
  timeframe: Timeframe,
  page: { before: number; limit: number },
) => Promise<Bar[]>;

/** Queued live bars beyond this are applied at once (a hidden tab gets no frames but must not grow). */
const MAX_QUEUED_BARS = 4096;
/**
 * lightweight-charts copies a series' whole point list on every update, so a frame with many bars is
 * cheaper as one setData. The series is kept from growing without bound (a fast replay adds thousands
 * of 1-minute bars a second): past MAX_SERIES_BARS a burst drops the oldest bars, down to TRIM_TO, while
 * the trader follows the newest bar and never within KEEP_MARGIN_BARS left of the view. A trader looking
 * at history keeps every bar loaded, so trimming never fights scroll-back; trimmed bars are loaded again
 * if the trader scrolls there. Scroll-back stops at HISTORY_MAX_BARS, where trimming resumes regardless.
 */
const MAX_UPDATES_PER_FRAME = 16;
const MAX_SERIES_BARS = 6000;
const TRIM_TO = 5000;
const KEEP_MARGIN_BARS = 1000;
/** About 150 sessions of minute bars; a longer timeframe reaches further back. */
export const HISTORY_MAX_BARS = 60_000;
const TRIM_LIMITS = {
  max: MAX_SERIES_BARS,
  target: TRIM_TO,
  hardMax: HISTORY_MAX_BARS,
  margin: KEEP_MARGIN_BARS,
};
/** A hidden page gets no animation frames; it is flushed on a slow timer instead. */
const HIDDEN_FLUSH_MS = 1000;
/**
 * While the newest bar is out of view (the trader reads history), live bars are applied a few times a
 * second instead of every frame: lightweight-charts copies a series' whole point list on each update(),
 * so with the tens of thousands of bars scroll-back holds, per-frame updates cost most of each frame
 * (chart-smoothness bench, "in history", 59,000 bars, 100 bars/s, same loaded 2-core machine: frame p50
 * 67 ms and 27 frames over 50 ms in 5 s before; 16.7 ms and 5 after). Nothing on screen but the
 * last-price label waits for them; back at the newest bar they are applied in the next frame.
 */
const HISTORY_FLUSH_MS = 500;

const TICK_KINDS: Record<TickMarkType, TickKind> = {
  [TickMarkType.Year]: 'year',
  [TickMarkType.Month]: 'month',
  [TickMarkType.DayOfMonth]: 'day',
  [TickMarkType.Time]: 'time',
  [TickMarkType.TimeWithSeconds]: 'time-seconds',
};

const toTime = chartTime;
const toMs = epochMs;

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

/** Enough decimals to show a tick of this price: 2 for dollars, more for pennies and below. */
function precisionFor(price: number): number {
  if (price >= 1) return 2;
  if (price >= 0.01) return 4;
  return 6;
}

const describeError = (error: unknown): string =>
  error instanceof Error
    ? `${'code' in error && typeof error.code === 'string' ? `${error.code}: ` : ''}${error.message}`
    : String(error);

/**
 * The trader's place, taken before the series changes: following the live edge (kept as the distance
 * from the newest bar), or looking at history (kept as the bar at the view's left edge).
 */
interface ViewAnchor {
  following: boolean;
  fromLatest: number;
  /** Logical index of the view's left edge before the change. */
  from: number;
  /** Start of the bar nearest the left edge, and the edge's offset from it in bars. */
  start: number;
  offset: number;
  width: number;
}

export class CandleChart {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly volume: ISeriesApi<'Histogram'>;
  private readonly queue = new PendingBars(MAX_QUEUED_BARS);
  /** The bars in the series, oldest first (our copy: lightweight-charts cannot be asked cheaply). */
  private readonly series = new SeriesBars();
  private readonly pager = new HistoryPager(HISTORY_MAX_BARS);
  private olderSource: OlderBarsSource | null = null;
  /** False while history is loading: live bars wait in the queue. */
  private loaded = false;
  private cancelFlush: (() => void) | null = null;
  /** The scheduled flush waits on the slow history timer (the newest bar was out of view). */
  private flushLate = false;
  private sameViewReload = false;
  /** The stored history changed since the series was loaded: a reload keeps nothing older. */
  private storeChanged = false;
  private snapshot: ChartSnapshot;
  private disposed = false;
  private readonly markerLayer: ISeriesMarkersPluginApi<Time>;
  /** Markers asked for, in time order; those whose bar is in the series are drawn. */
  private markers: readonly ChartMarker[] = [];
  private markersDrawn = 0;
  /** The newest bar's start when the markers were last drawn: a newer bar may be one a marker waits for. */
  private markersNewest: number | null = null;
  private onMarkerClick: MarkerClick | null = null;
  /** The time line's element (made on first use) and the moment it marks (null: none). */
  private timeLine: HTMLDivElement | null = null;
  private timeLineAt: number | null = null;
  /** Indicators, drawings, overlays (chart-addon.ts), told of every change of the series. */
  private readonly addons = new Set<ChartAddon>();
  /** Whether wheel zoom keeps the newest bar pinned (the view follows it) or zooms around the pointer. */
  private zoomPinsNewest = false;

  constructor(
    private readonly host: HTMLElement,
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
    this.markerLayer = createSeriesMarkers(this.candles, []);
    this.chart.subscribeCrosshairMove(this.onCrosshairMove);
    this.chart.subscribeClick(this.onClick);
    this.chart.timeScale().subscribeVisibleLogicalRangeChange(this.onVisibleRangeChange);
    this.chart.timeScale().subscribeSizeChange(this.placeTimeLine);
    // Capture phase: runs before the chart's own wheel handler (on an element inside the host) reads it.
    host.addEventListener('wheel', this.pinZoomWhileFollowing, { capture: true, passive: true });
  }

  /**
   * A vertical line at `time` (epoch ms), labelled `label` in its tooltip; null removes it. Drawn where
   * the moment falls on this chart's bars; hidden while that place is out of view or not loaded.
   */
  setTimeLine(time: number | null, label = ''): void {
    if (this.disposed) return;
    this.timeLineAt = time;
    if (time !== null && this.timeLine === null) {
      const line = document.createElement('div');
      line.className = 'chart-time-line';
      line.dataset.testid = 'chart-time-line';
      this.host.appendChild(line);
      this.timeLine = line;
    }
    if (this.timeLine !== null) this.timeLine.title = label;
    this.placeTimeLine();
  }

  /**
   * Markers to draw above their bars (any order; [] removes them all), and who is told of a click on one.
   */
  setMarkers(markers: readonly ChartMarker[], onClick: MarkerClick | null = null): void {
    if (this.disposed) return;
    this.markers = [...markers].sort((a, b) => a.time - b.time);
    this.onMarkerClick = onClick;
    this.drawMarkers();
  }

  /**
   * Adds an addon (indicators, drawings, overlays: chart-addon.ts) and tells it of the current series at
   * once; the returned function disposes it. Disposing the chart disposes its addons.
   */
  attach(make: ChartAddonFactory): () => void {
    if (this.disposed) return () => {};
    const addon = make({
      chart: this.chart,
      candles: this.candles,
      host: this.host,
      bars: () => this.series.all,
      symbol: () => this.snapshot.symbol,
      timeframe: () => this.snapshot.timeframe,
      setCrosshair: (time, price) => this.setCrosshair(time, price),
    });
    this.addons.add(addon);
    addon.seriesChanged({ kind: 'reset' });
    return () => {
      if (this.addons.delete(addon)) addon.dispose();
    };
  }

  /** Where older bars come from (null: scrolling back loads nothing). */
  setOlderSource(source: OlderBarsSource | null): void {
    this.olderSource = source;
    if (source !== null) this.loadOlderIfNeeded();
  }

  /**
   * Prepare for fresh history; live bars queue until `load`. A new symbol or timeframe empties the
   * chart at once (so it never shows one symbol under another's name); a reload of the same view keeps
   * the bars on screen until the history arrives. After a reconnect or a retry, the older pages already
   * loaded stay and so does the trader's place; when `storeChanged` (an import, a replay seek), the
   * history replaces them all.
   */
  reset(symbol: string, timeframe: Timeframe, storeChanged = false): void {
    if (this.disposed) return;
    this.stopFlush();
    this.queue.clear();
    this.pager.reset();
    this.loaded = false;
    const { snapshot } = this;
    this.sameViewReload =
      symbol === snapshot.symbol && timeframe === snapshot.timeframe && snapshot.barCount > 0;
    if (this.sameViewReload) {
      // Sticky until the next load: a reload of the same view before it must not merge stale pages.
      this.storeChanged ||= storeChanged;
      this.publish({ history: this.pager.edge, historyError: null });
      return;
    }
    this.storeChanged = false;
    if (timeframe !== snapshot.timeframe) this.chart.applyOptions(this.axisOptions(timeframe));
    this.series.replace([]);
    this.showAll();
    this.publish({
      symbol,
      timeframe,
      barCount: 0,
      lastBar: null,
      hovered: null,
      oldestStart: null,
      history: this.pager.edge,
      historyError: null,
      atOldest: false,
      newestInView: true,
    });
  }

  /**
   * Show the latest history, then apply whatever live bars arrived meanwhile. On a reload of the same
   * view, older pages already loaded stay if the history reaches back to them (unless the store
   * changed), and a chart that followed the newest bar follows it still.
   */
  load(bars: readonly Bar[]): void {
    if (this.disposed) return;
    const page = bars.slice(-MAX_SERIES_BARS);
    const anchor = this.sameViewReload ? this.captureView() : null;
    const kept = this.sameViewReload && !this.storeChanged && this.series.mergeLatest(page);
    if (!kept) this.series.replace(page);
    this.storeChanged = false;
    const last = this.series.newest;
    const precision = precisionFor(last?.close ?? 1);
    if (precision !== this.snapshot.precision) {
      this.candles.applyOptions({ priceFormat: { type: 'price', precision, minMove: 10 ** -precision } });
    }
    this.showAll();
    if (kept || anchor?.following) this.restoreView(anchor);
    else this.chart.timeScale().resetTimeScale();
    this.loaded = true;
    this.publish({ ...this.seriesFacts(), precision });
    this.flush();
    this.loadOlderIfNeeded();
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

  /**
   * Back to the live edge as TradingView's ">>" button does: the newest bar at the right with the usual
   * right offset, the zoom kept; the view then follows new bars. A jump, not lightweight-charts' animated
   * scrollToRealTime: its animation never applies its final position, so on a slow frame rate it stopped
   * a few bars short of the newest (measured on the shared 2-core machine), still in history.
   */
  scrollToNewest(): void {
    if (this.disposed) return;
    const timeScale = this.chart.timeScale();
    timeScale.scrollToPosition(timeScale.options().rightOffset, false);
  }

  /**
   * Where the candle pane (the chart's first pane) ends, in px from the host's right and bottom edges: the
   * price scale's width, and the height of all below it (volume, indicator and Pick panes, their
   * separators, the time axis), for controls drawn over the candles' bottom-right corner and nothing else.
   */
  plotInsets(): { right: number; bottom: number } {
    if (this.disposed) return { right: 0, bottom: 0 };
    const candlePane = this.chart.panes()[0];
    const below =
      candlePane === undefined
        ? this.chart.timeScale().height()
        : this.chart.chartElement().clientHeight - candlePane.getHeight();
    return { right: this.chart.priceScale('right').width(), bottom: Math.max(0, below) };
  }

  /** After a failed page: ask again. */
  retryOlder(): void {
    if (this.disposed) return;
    this.pager.retry();
    this.publish({ history: this.pager.edge, historyError: null });
    this.loadOlderIfNeeded();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopFlush();
    this.queue.clear();
    this.pager.reset();
    this.olderSource = null;
    this.chart.unsubscribeCrosshairMove(this.onCrosshairMove);
    this.chart.unsubscribeClick(this.onClick);
    this.markerLayer.detach();
    this.chart.timeScale().unsubscribeVisibleLogicalRangeChange(this.onVisibleRangeChange);
    this.chart.timeScale().unsubscribeSizeChange(this.placeTimeLine);
    this.host.removeEventListener('wheel', this.pinZoomWhileFollowing, { capture: true });
    this.timeLine?.remove();
    for (const addon of this.addons) addon.dispose();
    this.addons.clear();
    this.chart.remove();
  }

  private scheduleFlush(): void {
    if (this.cancelFlush !== null) return;
    const hidden = document.visibilityState === 'hidden';
    if (hidden || !this.newestInView()) {
      const timer = setTimeout(this.flush, hidden ? HIDDEN_FLUSH_MS : HISTORY_FLUSH_MS);
      this.flushLate = true;
      this.cancelFlush = () => clearTimeout(timer);
    } else {
      const frame = requestAnimationFrame(this.flush);
      this.cancelFlush = () => cancelAnimationFrame(frame);
    }
  }

  private stopFlush(): void {
    this.cancelFlush?.();
    this.cancelFlush = null;
    this.flushLate = false;
  }

  /** Whether any of the newest bar is in view (true while the view is unknown: nothing to spare). */
  private newestInView(): boolean {
    return newestBarInView(this.chart.timeScale().getVisibleLogicalRange(), this.series.length);
  }

  /**
   * Apply queued bars in time order: point updates (a corrected past bar in place), or one setData for
   * a burst, a bar that fills a gap, or a trim.
   */
  private readonly flush = (): void => {
    this.stopFlush();
    if (this.disposed || !this.loaded || this.queue.size === 0) return;
    const anchor = this.captureView();
    const plan = this.series.applyLive(this.queue.drain(), this.pager.edge === 'start');
    if (plan.updates.length === 0 && !plan.reset) return;
    const trim = barsToTrim(this.series.length, TRIM_LIMITS, anchor);
    try {
      if (plan.reset || trim > 0 || plan.updates.length > MAX_UPDATES_PER_FRAME) {
        if (trim > 0) {
          this.series.dropOldest(trim);
          this.pager.trimmed();
        }
        this.showAll();
        this.restoreView(anchor);
      } else {
        for (const { bar, historical } of plan.updates) {
          this.candles.update(toCandle(bar), historical);
          this.volume.update(toVolume(bar), historical);
        }
        // Point updates add bars at the newest end only: one of them may be a marker's bar.
        if (this.markers.length > 0 && this.series.newest?.start !== this.markersNewest) this.drawMarkers();
        this.placeTimeLine();
        this.tellAddons({ kind: 'update', updates: plan.updates });
      }
    } catch (error) {
      // Not expected (the plan follows the library's rules); show our copy whole and say what happened.
      console.error('chart update failed', error);
      this.showAll();
    }
    this.publish(this.seriesFacts());
  };

  /** Ask for the page before the oldest bar when the view nears it (the pager decides). */
  private loadOlderIfNeeded(): void {
    const source = this.olderSource;
    const { symbol, timeframe } = this.snapshot;
    if (this.disposed || !this.loaded || source === null || symbol === null) return;
    const range = this.chart.timeScale().getVisibleLogicalRange();
    if (range === null) return;
    const request = this.pager.want(
      { from: range.from, to: range.to },
      { length: this.series.length, oldestStart: this.series.oldest?.start ?? null },
    );
    if (request === null) {
      if (this.pager.edge !== this.snapshot.history) this.publish({ history: this.pager.edge });
      return;
    }
    this.publish({ history: this.pager.edge, historyError: null });
    source(symbol, timeframe, { before: request.before, limit: request.limit }).then(
      (bars) => this.receiveOlder(request, symbol, timeframe, bars),
      (error: unknown) => {
        if (!this.disposed && this.pager.fail(request, describeError(error))) {
          this.publish({ history: this.pager.edge, historyError: this.pager.error });
        }
      },
    );
  }

  /** Put an older page in front without moving the view, then see whether the view wants more. */
  private receiveOlder(request: PageRequest, symbol: string, timeframe: Timeframe, bars: Bar[]): void {
    if (this.disposed || !this.pager.isCurrent(request)) return;
    const page = bars.filter((bar) => bar.symbol === symbol && bar.timeframe === timeframe);
    const anchor = this.captureView();
    const added = this.series.prepend(page);
    this.pager.settle(request, bars.length, added);
    if (added > 0) {
      this.showAll();
      this.restoreView(anchor);
    }
    this.publish({ ...this.seriesFacts(), history: this.pager.edge });
    this.loadOlderIfNeeded();
  }

  private readonly onVisibleRangeChange = (range: LogicalRange | null): void => {
    if (this.disposed || range === null) return;
    const bars = this.series.all;
    const first = bars[Math.min(bars.length - 1, Math.max(0, Math.ceil(range.from)))];
    const last = bars[Math.min(bars.length - 1, Math.max(0, Math.floor(range.to)))];
    // What the view shows, for tests and diagnostics; written straight to the element, not via React.
    this.host.dataset.visibleFrom = first ? String(first.start) : '';
    this.host.dataset.visibleTo = last ? String(last.start) : '';
    const atOldest = bars.length > 0 && range.from < 0.5;
    if (atOldest !== this.snapshot.atOldest) this.publish({ atOldest });
    // From the range given: asking the chart for it again costs a call per scroll frame.
    const newestInView = newestBarInView(range, bars.length);
    if (newestInView !== this.snapshot.newestInView) this.publish({ newestInView });
    // Back at the newest bar: the bars held for the slow history timer are applied in the next frame.
    if (this.flushLate && document.visibilityState !== 'hidden' && newestInView) {
      this.stopFlush();
      this.scheduleFlush();
    }
    this.placeTimeLine();
    this.loadOlderIfNeeded();
  };

  /**
   * Wheel zoom as TradingView does it: while the view follows the newest bar, zooming keeps that bar where
   * it is at the right edge (lightweight-charts' `rightBarStaysOnScroll` keeps the right offset, in bars,
   * on zoom); scrolled into history, zoom keeps the bar under the pointer in place (the library's default,
   * which at the live edge pushed the newest bar off screen on zoom in). The option only affects zoom.
   * Set as each wheel event starts, never while the view moves: applyOptions in the middle of a drag
   * ended the drag.
   */
  private readonly pinZoomWhileFollowing = (): void => {
    if (this.disposed) return;
    const following = this.chart.timeScale().scrollPosition() > -0.5;
    if (following === this.zoomPinsNewest) return;
    this.zoomPinsNewest = following;
    this.chart.applyOptions({ timeScale: { rightBarStaysOnScroll: following } });
  };

  /** Put the time line over its bar (or hide it: none asked, its bar not loaded or out of view). */
  private readonly placeTimeLine = (): void => {
    const line = this.timeLine;
    if (line === null || this.disposed) return;
    const time = this.timeLineAt;
    const index = time === null ? null : timeLineIndex(this.series.all, time, this.snapshot.timeframe);
    const timeScale = this.chart.timeScale();
    const x = index === null ? null : timeScale.logicalToCoordinate(index as Logical);
    const shown = x !== null && x >= 0 && x <= timeScale.width();
    line.hidden = !shown;
    line.dataset.time = time === null ? '' : String(time);
    line.dataset.barStart = index === null ? '' : String(this.series.all[index]?.start ?? '');
    if (!shown) return;
    line.style.left = `${Math.round(x)}px`;
    // Over the price and volume panes, not the time axis below them.
    line.style.bottom = `${timeScale.height()}px`;
  };

  private captureView(): ViewAnchor | null {
    const timeScale = this.chart.timeScale();
    const range = timeScale.getVisibleLogicalRange();
    const bars = this.series.all;
    if (range === null || bars.length === 0) return null;
    const index = Math.min(bars.length - 1, Math.max(0, Math.round(range.from)));
    const fromLatest = timeScale.scrollPosition();
    return {
      // Within half a bar of the live edge counts as following it.
      following: fromLatest > -0.5,
      fromLatest,
      from: range.from,
      start: bars[index]?.start ?? 0,
      offset: range.from - index,
      width: range.to - range.from,
    };
  }

  /**
   * Put the view back after setData: a chart that followed the newest bar follows it still, and one
   * scrolled into history shows the same bars wherever they now sit in the series.
   */
  private restoreView(anchor: ViewAnchor | null): void {
    if (anchor === null) return;
    const timeScale = this.chart.timeScale();
    if (anchor.following) {
      timeScale.scrollToPosition(anchor.fromLatest, false);
      return;
    }
    const from = this.series.indexAtOrAfter(anchor.start) + anchor.offset;
    timeScale.setVisibleLogicalRange({ from, to: from + anchor.width });
  }

  /** Replace the series' data (both panes) with our copy. */
  private showAll(): void {
    const bars = this.series.all;
    this.candles.setData(bars.map(toCandle));
    this.volume.setData(bars.map(toVolume));
    if (this.markers.length > 0 || this.markersDrawn > 0) this.drawMarkers();
    this.placeTimeLine();
    this.tellAddons({ kind: 'reset' });
  }

  /** A failing addon is logged and does not stop the chart or the other addons. */
  private tellAddons(change: SeriesChange): void {
    for (const addon of this.addons) {
      try {
        addon.seriesChanged(change);
      } catch (error) {
        console.error('chart addon failed', error);
      }
    }
  }

  /** Draw the markers whose bar is in the series. */
  private drawMarkers(): void {
    const bars = this.series.all;
    const drawn: SeriesMarker<Time>[] = [];
    for (const marker of this.markers) {
      const bar = bars[this.series.indexAtOrAfter(marker.time)];
      if (bar?.start !== marker.time) continue;
      drawn.push({
        time: toTime(marker.time),
        position: 'aboveBar',
        shape: 'circle',
        size: 0.5,
        color: marker.color,
        ...(marker.text !== '' ? { text: marker.text } : {}),
        id: String(marker.time),
      });
    }
    this.markersDrawn = drawn.length;
    this.markersNewest = this.series.newest?.start ?? null;
    this.markerLayer.setMarkers(drawn);
  }

  private readonly onClick = (param: MouseEventParams<Time>): void => {
    const hovered = param.hoveredInfo;
    if (this.onMarkerClick === null || hovered?.objectKind !== 'series-marker') return;
    const time = Number(hovered.objectId);
    if (Number.isFinite(time)) this.onMarkerClick(time);
  };

  private seriesFacts(): Pick<ChartSnapshot, 'barCount' | 'lastBar' | 'oldestStart' | 'newestInView'> {
    return {
      barCount: this.series.length,
      lastBar: newestLegendBar(this.series.all),
      oldestStart: this.series.oldest?.start ?? null,
      // A new bar beyond a view scrolled into history takes the newest bar out of view without a scroll.
      newestInView: this.newestInView(),
    };
  }

  /** ChartSurface.setCrosshair: the chart reports no move for these, so the legend is told here. */
  private setCrosshair(time: number | null, price: number): void {
    if (this.disposed) return;
    if (time === null) {
      this.chart.clearCrosshairPosition();
      for (const addon of this.addons) addon.crosshairCleared?.();
    } else {
      this.chart.setCrosshairPosition(price, toTime(time), this.candles);
    }
    this.showHovered(time === null ? null : legendBarStarting(this.series.all, time));
  }

  /**
   * The pointer on a marker: the pointer cursor when a click on it does something, and its title as the
   * tooltip (lightweight-charts 5's series markers carry neither).
   */
  private showMarkerHover(param: MouseEventParams<Time>): void {
    const hovered = param.hoveredInfo;
    const time = hovered?.objectKind === 'series-marker' ? Number(hovered.objectId) : Number.NaN;
    const marker = Number.isFinite(time) ? this.markers.find((m) => m.time === time) : undefined;
    const cursor = marker !== undefined && this.onMarkerClick !== null ? 'pointer' : '';
    if (this.host.style.cursor !== cursor) this.host.style.cursor = cursor;
    const title = marker?.title ?? '';
    if (this.host.title !== title) this.host.title = title;
  }

  private readonly onCrosshairMove = (param: MouseEventParams<Time>): void => {
    this.showMarkerHover(param);
    const candle = param.point ? param.seriesData.get(this.candles) : undefined;
    // The values come from the bars held, not the hover data: right after a symbol switch the chart
    // may still report the old series, or a candle without its volume ("V 0").
    this.showHovered(
      candle && isCandle(candle) ? legendBarStarting(this.series.all, toMs(candle.time)) : null,
    );
  };

  private showHovered(hovered: LegendBar | null): void {
    const current = this.snapshot.hovered;
    if (
      hovered?.start === current?.start &&
      hovered?.close === current?.close &&
      hovered?.volume === current?.volume
    ) {
      return;
    }
    this.publish({ hovered });
  }

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
