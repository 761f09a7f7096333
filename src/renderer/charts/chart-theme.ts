/**
 * Colours and options shared by every chart. Candle colours are exact (tests count their pixels);
 * volume uses distinct, darker colours so it never reads as candles, to the eye or to a test. Charts are
 * made dark (chartOptions); the theme's palette is applied over it (chartThemeOptions, theme/).
 */
import {
  ColorType,
  CrosshairMode,
  LineStyle,
  type CandlestickSeriesPartialOptions,
  type ChartOptions,
  type DeepPartial,
  type HistogramSeriesPartialOptions,
} from 'lightweight-charts';
import type { Theme } from '../../shared/domain';

export const CANDLE_UP = '#26a69a';
export const CANDLE_DOWN = '#ef5350';
export const VOLUME_UP = '#2f5f5a';
export const VOLUME_DOWN = '#6b3a3a';

/** A chart's colours for one theme; candles and volume keep theirs in both. */
export interface ChartPalette {
  background: string;
  text: string;
  grid: string;
  border: string;
  crosshair: string;
  crosshairLabel: string;
  separatorHover: string;
}

/** The chart palettes of the window's themes (the light one after TradingView's light charts). */
export const CHART_PALETTES: Readonly<Record<Theme, ChartPalette>> = {
  dark: {
    background: '#0d1117',
    text: '#8b949e',
    grid: '#161b22',
    border: '#232a33',
    crosshair: '#4a5566',
    crosshairLabel: '#2b3340',
    separatorHover: 'rgba(139, 148, 158, 0.15)',
  },
  light: {
    background: '#ffffff',
    text: '#4b5563',
    grid: '#eef0f3',
    border: '#d5d9de',
    crosshair: '#9098a1',
    crosshairLabel: '#5b6470',
    separatorHover: 'rgba(75, 85, 99, 0.15)',
  },
};

/** The options that colour a chart (background, text, grid, borders, crosshair) in `theme`. */
export function chartThemeOptions(theme: Theme): DeepPartial<ChartOptions> {
  const palette = CHART_PALETTES[theme];
  return {
    layout: {
      background: { type: ColorType.Solid, color: palette.background },
      textColor: palette.text,
      panes: { separatorColor: palette.border, separatorHoverColor: palette.separatorHover },
    },
    grid: { vertLines: { color: palette.grid }, horzLines: { color: palette.grid } },
    crosshair: {
      vertLine: { color: palette.crosshair, labelBackgroundColor: palette.crosshairLabel },
      horzLine: { color: palette.crosshair, labelBackgroundColor: palette.crosshairLabel },
    },
    rightPriceScale: { borderColor: palette.border },
    timeScale: { borderColor: palette.border },
  };
}

const DARK = CHART_PALETTES.dark;

export const FONT_FAMILY =
  "ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

export const chartOptions: DeepPartial<ChartOptions> = {
  autoSize: true,
  layout: {
    // The licence's link to TradingView is in the status bar, once, instead of a logo on every chart.
    attributionLogo: false,
    background: { type: ColorType.Solid, color: DARK.background },
    textColor: DARK.text,
    fontSize: 11,
    fontFamily: FONT_FAMILY,
    panes: { separatorColor: DARK.border, separatorHoverColor: DARK.separatorHover, enableResize: true },
  },
  grid: {
    vertLines: { color: DARK.grid },
    horzLines: { color: DARK.grid },
  },
  crosshair: {
    mode: CrosshairMode.Normal,
    vertLine: { color: DARK.crosshair, style: LineStyle.Dashed, labelBackgroundColor: DARK.crosshairLabel },
    horzLine: { color: DARK.crosshair, style: LineStyle.Dashed, labelBackgroundColor: DARK.crosshairLabel },
  },
  rightPriceScale: { borderColor: DARK.border, scaleMargins: { top: 0.08, bottom: 0.04 } },
  timeScale: {
    borderColor: DARK.border,
    rightOffset: 4,
    barSpacing: 7,
    minBarSpacing: 1,
    secondsVisible: false,
  },
};

export const candleOptions: CandlestickSeriesPartialOptions = {
  upColor: CANDLE_UP,
  downColor: CANDLE_DOWN,
  borderUpColor: CANDLE_UP,
  borderDownColor: CANDLE_DOWN,
  wickUpColor: CANDLE_UP,
  wickDownColor: CANDLE_DOWN,
  priceLineStyle: LineStyle.Dotted,
};

export const volumeOptions: HistogramSeriesPartialOptions = {
  priceFormat: { type: 'volume' },
  color: VOLUME_UP,
  lastValueVisible: false,
  priceLineVisible: false,
};

/** Height of the volume pane relative to the candle pane. */
export const VOLUME_PANE_SHARE = 0.22;
