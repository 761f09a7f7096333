/**
 * What a chart pane's extras (indicators, drawings, model overlays, the linked crosshair, the theme) are
 * given to draw with, and how they hear of the series changing. A CandleChart owns the chart and the bars;
 * an addon adds its own series, panes, primitives or elements through the surface and removes them all
 * when disposed. Addons never change the candle or volume data.
 */
import type { IChartApi, ISeriesApi, Time, UTCTimestamp } from 'lightweight-charts';
import type { Bar, Timeframe } from '../../shared/domain';

export interface ChartSurface {
  readonly chart: IChartApi;
  /** The candle series (pane 0); the volume histogram is pane 1. */
  readonly candles: ISeriesApi<'Candlestick', Time>;
  /** The element the chart is drawn in (position: relative): overlays may add elements to it. */
  readonly host: HTMLElement;
  /** The bars in the series, oldest first (the chart's own copy: do not change it). */
  bars(): readonly Bar[];
  /** The symbol whose bars are in the series (null before the first load), and the timeframe. */
  symbol(): string | null;
  timeframe(): Timeframe;
  /**
   * Puts the crosshair on the bar starting at `time` (epoch ms) at `price` (dollars), or clears it (null),
   * and shows that bar (or, cleared, the newest) in the legend. Use it rather than the chart's
   * set/clearCrosshairPosition: lightweight-charts 5 reports no crosshair move for those, so the legend
   * would keep the bar shown before.
   */
  setCrosshair(time: number | null, price: number): void;
}

/**
 * How the series changed: 'reset' after any setData (history loaded, older page, burst, trim, a new symbol:
 * recompute from `bars()`), 'update' after point updates of the newest bars (or a corrected past bar,
 * `historical`), applied in this order.
 */
export type SeriesChange =
  { kind: 'reset' } | { kind: 'update'; updates: readonly { bar: Bar; historical: boolean }[] };

export interface ChartAddon {
  seriesChanged(change: SeriesChange): void;
  /**
   * The crosshair was cleared by ChartSurface.setCrosshair (no crosshair move is reported for that):
   * anything showing the hovered bar's values shows the newest bar's again.
   */
  crosshairCleared?(): void;
  /** Remove everything the addon added to the chart. */
  dispose(): void;
}

/** Makes an addon on a chart's surface; called once when attached. */
export type ChartAddonFactory = (surface: ChartSurface) => ChartAddon;

/** A bar's start (epoch ms) as lightweight-charts' time (UTC seconds). */
export const chartTime = (ms: number): UTCTimestamp => (ms / 1000) as UTCTimestamp;
/** lightweight-charts' time (UTC seconds) as epoch ms; NaN for a business-day or string time. */
export const epochMs = (time: Time): number => (typeof time === 'number' ? time * 1000 : Number.NaN);
