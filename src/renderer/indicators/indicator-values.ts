/**
 * Indicator values from bars, computed by the trading-signals library (its SMA, EMA, BollingerBands, VWAP,
 * RSI and MACD; no formula is written here). Pure: bars and an indicator in, points per output line out.
 *
 * One calculator serves both paths: a whole series (`indicatorLines`, after any setData of the chart) and a
 * live edge (`IndicatorCalculator.add` for a new bar, `.revise` for the forming newest bar), using the
 * library's replace mode, so a live update costs one step per indicator whatever the series' length.
 *
 * VWAP starts again at each trading session: for intraday bars the session is the bar's exchange day (its
 * New York date). It has no meaning on daily bars (one bar per session), so it yields nothing there.
 */
import { BollingerBands, EMA, MACD, RSI, SMA, VWAP } from 'trading-signals';
import type { Bar, Indicator, IndicatorKind, Timeframe } from '../../shared/domain';
import { exchangeParts } from '../time/exchange-time';

/** One output line's value at a bar: the bar's start (epoch ms UTC) and the value (dollars, or RSI 0-100). */
export interface LinePoint {
  time: number;
  value: number;
}

/** The names of an indicator's output lines. */
export const INDICATOR_LINES = {
  sma: ['value'],
  ema: ['value'],
  bollinger: ['upper', 'middle', 'lower'],
  vwap: ['value'],
  rsi: ['value'],
  macd: ['macd', 'signal', 'histogram'],
} as const satisfies Record<IndicatorKind, readonly string[]>;

export type LineName<K extends IndicatorKind = IndicatorKind> = (typeof INDICATOR_LINES)[K][number];

/** An indicator's values at one bar, per line; empty while the indicator is not yet stable there. */
export type BarValues = Partial<Record<LineName, number>>;

/** Points per output line, oldest first; a line has no point at bars where it is not yet stable. */
export type IndicatorLines = Partial<Record<LineName, LinePoint[]>>;

/** Why an indicator draws nothing on a timeframe (null: it is drawn). */
export function unavailableReason(kind: IndicatorKind, timeframe: Timeframe): string | null {
  return kind === 'vwap' && timeframe === '1D'
    ? 'VWAP starts again each trading session: pick an intraday timeframe to see it'
    : null;
}

/**
 * The exchange day (New York date, "YYYY-MMM-D") of an instant in epoch ms. New York's offset from UTC is a
 * whole number of hours, so the date is the same throughout each UTC hour: one Intl call per hour of bars
 * (minute bars would otherwise cost one per bar), remembered in a bounded cache.
 */
const dayByHour = new Map<number, string>();
const HOUR_MS = 3_600_000;
const MAX_CACHED_HOURS = 50_000;

export function exchangeDay(ms: number): string {
  const hour = Math.floor(ms / HOUR_MS);
  let day = dayByHour.get(hour);
  if (day === undefined) {
    const p = exchangeParts(hour * HOUR_MS);
    day = `${p.year}-${p.month}-${p.day}`;
    if (dayByHour.size >= MAX_CACHED_HOURS) dayByHour.clear();
    dayByHour.set(hour, day);
  }
  return day;
}

/** One step of an indicator: a new bar (`replace` false) or the newest bar again (`replace` true). */
type Step = (bar: Bar, replace: boolean) => BarValues | null;

/**
 * An indicator of closes with one line. Drawn only once stable: the library's EMA returns a value from the
 * first price (seeded with it) but calls itself stable only after `period` prices, as charting tools do.
 */
function closeStep(indicator: {
  update(price: number, replace: boolean): number | null;
  readonly isStable: boolean;
}): Step {
  return (bar, replace) => {
    const value = indicator.update(bar.close, replace);
    return value === null || !indicator.isStable ? {} : { value };
  };
}

/** VWAP of the bar's session: a new library VWAP at each exchange day's first bar. */
function vwapStep(): Step {
  let day: string | null = null;
  let vwap = new VWAP();
  /** Whether the newest bar went into `vwap` (the library skips bars without volume). */
  let fedNewest = false;
  let last: number | null = null;
  return (bar, replace) => {
    if (!replace) {
      const barDay = exchangeDay(bar.start);
      if (barDay !== day) {
        day = barDay;
        vwap = new VWAP();
        last = null;
      }
    } else if (fedNewest && bar.volume === 0) {
      // The library cannot take back a bar with volume for one without: start over from the bars.
      return null;
    }
    const replaceInLibrary = replace && fedNewest;
    fedNewest = bar.volume > 0;
    if (fedNewest) {
      last = vwap.update(
        { high: bar.high, low: bar.low, close: bar.close, volume: bar.volume },
        replaceInLibrary,
      );
    }
    return last === null ? {} : { value: last };
  };
}

function stepFor(indicator: Indicator): Step {
  switch (indicator.kind) {
    case 'sma':
      return closeStep(new SMA(indicator.period));
    case 'ema':
      return closeStep(new EMA(indicator.period));
    case 'rsi':
      return closeStep(new RSI(indicator.period));
    case 'vwap':
      return vwapStep();
    case 'bollinger': {
      const bands = new BollingerBands(indicator.period, indicator.deviations);
      return (bar, replace) => bands.update(bar.close, replace) ?? {};
    }
    case 'macd': {
      const macd = new MACD(new EMA(indicator.fast), new EMA(indicator.slow), new EMA(indicator.signal));
      // The MACD line exists once the slow EMA has its period; the signal line (and so the histogram)
      // once the signal EMA has had its own period of MACD values.
      return (bar, replace) => {
        const result = macd.update(bar.close, replace);
        if (result === null) return {};
        return macd.signal.isStable ? result : { macd: result.macd };
      };
    }
  }
}

/**
 * A running indicator over a series of bars fed oldest first. Not for VWAP on daily bars (see
 * `unavailableReason`): there it yields nothing.
 */
export class IndicatorCalculator {
  private readonly step: Step | null;
  private newest: number | null = null;

  constructor(indicator: Indicator, timeframe: Timeframe) {
    this.step = unavailableReason(indicator.kind, timeframe) === null ? stepFor(indicator) : null;
  }

  /** Start (epoch ms) of the newest bar fed, or null before the first. */
  get newestStart(): number | null {
    return this.newest;
  }

  /**
   * Feeds a bar newer than any fed so far and returns its values.
   * @throws Error if the bar is not newer than the newest fed.
   */
  add(bar: Bar): BarValues {
    if (this.newest !== null && bar.start <= this.newest) {
      throw new Error(`indicator got bar ${bar.start} after ${this.newest}: bars must be fed oldest first`);
    }
    this.newest = bar.start;
    return this.step?.(bar, false) ?? {};
  }

  /**
   * Feeds a new state of the newest bar (a forming bar's latest trade) in its place and returns its
   * values; null when this indicator cannot take it back in place: compute the series again.
   * @throws Error if the bar is not the newest fed.
   */
  revise(bar: Bar): BarValues | null {
    if (bar.start !== this.newest) {
      throw new Error(`indicator asked to revise bar ${bar.start}, newest is ${this.newest ?? 'none'}`);
    }
    if (this.step === null) return {};
    return this.step(bar, true);
  }
}

/**
 * Every line of an indicator over bars (oldest first, one timeframe), with a calculator left at the newest
 * bar for live updates after them.
 */
export function indicatorLines(
  indicator: Indicator,
  bars: readonly Bar[],
  timeframe: Timeframe,
): { lines: IndicatorLines; calculator: IndicatorCalculator } {
  const calculator = new IndicatorCalculator(indicator, timeframe);
  const lines: IndicatorLines = {};
  const names: readonly LineName[] = INDICATOR_LINES[indicator.kind];
  for (const name of names) lines[name] = [];
  for (const bar of bars) {
    const values = calculator.add(bar);
    for (const name of names) {
      const value = values[name];
      if (value !== undefined) lines[name]!.push({ time: bar.start, value });
    }
  }
  return { lines, calculator };
}
