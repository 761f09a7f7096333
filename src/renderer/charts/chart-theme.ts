/**
 * Colours and options shared by every chart. Candle colours are exact (tests count their pixels);
 * volume uses distinct, darker colours so it never reads as candles, to the eye or to a test.
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

export const CANDLE_UP = '#26a69a';
export const CANDLE_DOWN = '#ef5350';
export const VOLUME_UP = '#2f5f5a';
export const VOLUME_DOWN = '#6b3a3a';

const BACKGROUND = '#0d1117';
const TEXT = '#8b949e';
const GRID = '#161b22';
const BORDER = '#232a33';
const CROSSHAIR = '#4a5566';

export const FONT_FAMILY =
  "ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

export const chartOptions: DeepPartial<ChartOptions> = {
  autoSize: true,
  layout: {
    // The licence's link to TradingView is in the status bar, once, instead of a logo on every chart.
    attributionLogo: false,
    background: { type: ColorType.Solid, color: BACKGROUND },
    textColor: TEXT,
    fontSize: 11,
    fontFamily: FONT_FAMILY,
    panes: { separatorColor: BORDER, separatorHoverColor: 'rgba(139, 148, 158, 0.15)', enableResize: true },
  },
  grid: {
    vertLines: { color: GRID },
    horzLines: { color: GRID },
  },
  crosshair: {
    mode: CrosshairMode.Normal,
    vertLine: { color: CROSSHAIR, style: LineStyle.Dashed, labelBackgroundColor: '#2b3340' },
    horzLine: { color: CROSSHAIR, style: LineStyle.Dashed, labelBackgroundColor: '#2b3340' },
  },
  rightPriceScale: { borderColor: BORDER, scaleMargins: { top: 0.08, bottom: 0.04 } },
  timeScale: {
    borderColor: BORDER,
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
