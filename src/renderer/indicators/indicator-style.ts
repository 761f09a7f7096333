/**
 * How each indicator is named and coloured, on the chart, in its chip and in the menu. Colours are bright
 * on the dark chart background (#0d1117) and deep on the light one (#ffffff), apart from the candles
 * (#26a69a, #ef5350) and the volume (#2f5f5a, #6b3a3a), and apart from each other; a second indicator of a
 * kind on the same pane gets the kind's next shade (tests count the first dark shade's pixels).
 */
import type { Indicator, IndicatorKind, Theme } from '../../shared/domain';

/** Shades per kind on the dark theme, in the order a pane's indicators of that kind get them. */
const DARK_SHADES: Record<IndicatorKind, readonly string[]> = {
  sma: ['#f5c542', '#fff59d', '#c9a227'],
  ema: ['#42a5f5', '#90caf9', '#1e6fd9'],
  bollinger: ['#b388ff', '#e1bee7', '#7c4dff'],
  vwap: ['#ff79c6', '#f8bbd0', '#d81b9a'],
  rsi: ['#00e5ff', '#84ffff', '#4dd0e1'],
  macd: ['#e6edf3', '#c5cae9', '#b0bec5'],
};

/** The same on the light theme: deeper, for a white background. */
const LIGHT_SHADES: Record<IndicatorKind, readonly string[]> = {
  sma: ['#b7860b', '#8d6e00', '#d4a017'],
  ema: ['#1565c0', '#42a5f5', '#0d47a1'],
  bollinger: ['#7e57c2', '#9575cd', '#5e35b1'],
  vwap: ['#c2185b', '#ec407a', '#880e4f'],
  rsi: ['#00838f', '#0097a7', '#006064'],
  macd: ['#263238', '#546e7a', '#37474f'],
};

/** MACD's signal line and histogram (bars above / below zero), per shade of its MACD line. */
const MACD_SIGNAL: Record<Theme, readonly string[]> = {
  dark: ['#ffa726', '#ffcc80', '#ff7043'],
  light: ['#ef6c00', '#fb8c00', '#e65100'],
};
export const MACD_HISTOGRAM_UP = '#4a7fb5';
export const MACD_HISTOGRAM_DOWN = '#b5654a';
/** RSI's 30 and 70 guide lines. */
export const RSI_GUIDE = '#6e7681';

export interface IndicatorStyle {
  /** The main line's colour; the chip's too. */
  color: string;
  /** MACD's signal line. */
  signalColor: string;
}

/** The style of each indicator of a pane's list, in its order, on the theme's chart background. */
export function indicatorStyles(indicators: readonly Indicator[], theme: Theme = 'dark'): IndicatorStyle[] {
  const seen = new Map<IndicatorKind, number>();
  const signals = MACD_SIGNAL[theme];
  return indicators.map(({ kind }) => {
    const n = seen.get(kind) ?? 0;
    seen.set(kind, n + 1);
    const shades = (theme === 'light' ? LIGHT_SHADES : DARK_SHADES)[kind];
    return { color: shades[n % shades.length]!, signalColor: signals[n % signals.length]! };
  });
}

/** Short names, as chips and the menu show them. */
export const KIND_NAMES: Record<IndicatorKind, string> = {
  sma: 'SMA',
  ema: 'EMA',
  bollinger: 'BB',
  vwap: 'VWAP',
  rsi: 'RSI',
  macd: 'MACD',
};

/** What each kind is, in words (the menu's tooltips). */
export const KIND_TITLES: Record<IndicatorKind, string> = {
  sma: 'Simple moving average of closes',
  ema: 'Exponential moving average of closes',
  bollinger: 'Bollinger Bands: moving average ± standard deviations',
  vwap: 'Volume-weighted average price, from each session’s open',
  rsi: 'Relative strength index (Wilder), in its own pane',
  macd: 'Moving average convergence/divergence, in its own pane',
};

/** "SMA 20", "BB 20 2", "VWAP", "MACD 12 26 9": the name and parameters. */
export function indicatorLabel(indicator: Indicator): string {
  const name = KIND_NAMES[indicator.kind];
  switch (indicator.kind) {
    case 'sma':
    case 'ema':
    case 'rsi':
      return `${name} ${indicator.period}`;
    case 'bollinger':
      return `${name} ${indicator.period} ${indicator.deviations}`;
    case 'vwap':
      return name;
    case 'macd':
      return `${name} ${indicator.fast} ${indicator.slow} ${indicator.signal}`;
  }
}

/**
 * An indicator's values as its chip shows them: RSI to a tenth (0-100); prices and MACD to the cent, or to
 * four decimals when every value shown is under 1 (a penny stock's prices, a quiet MACD), alike for all of
 * an indicator's lines.
 */
export function formatIndicatorValues(kind: IndicatorKind, values: readonly number[]): string {
  const decimals = kind === 'rsi' ? 1 : values.every((v) => Math.abs(v) < 1) ? 4 : 2;
  return values.map((v) => v.toFixed(decimals)).join(' ');
}
