/**
 * The indicator layer against a recording stand-in for lightweight-charts (the real chart needs a canvas):
 * which series and panes it adds and removes, and that a live bar costs one point update per line, never
 * a recomputation of the series.
 */
import { describe, expect, it } from 'vitest';
import type { Bar, Indicator, Timeframe } from '../../shared/domain';
import type { ChartSurface } from '../charts/chart-addon';
import { IndicatorLayer } from './indicator-layer';
import { indicatorStyles } from './indicator-style';
import { indicatorLines } from './indicator-values';

interface FakeSeries {
  pane: FakePane;
  options: Record<string, unknown>;
  data: { time: number; value: number; color?: string }[];
  setDataCalls: number;
  updates: { time: number; value: number }[];
  priceLines: number[];
}

interface FakePane {
  series: FakeSeries[];
}

class FakeChart {
  readonly paneList: FakePane[] = [{ series: [] }, { series: [] }];
  crosshairListener: ((param: unknown) => void) | null = null;
  private readonly handles = new Map<FakeSeries, object>();

  subscribeCrosshairMove(listener: (param: unknown) => void) {
    this.crosshairListener = listener;
  }

  unsubscribeCrosshairMove() {
    this.crosshairListener = null;
  }

  private makeSeries(pane: FakePane, options: Record<string, unknown> = {}) {
    const record: FakeSeries = { pane, options, data: [], setDataCalls: 0, updates: [], priceLines: [] };
    pane.series.push(record);
    const handle = {
      record,
      setData: (data: { time: number; value: number }[]) => {
        record.data = [...data];
        record.setDataCalls++;
      },
      update: (point: { time: number; value: number }, historical = false) => {
        record.updates.push(point);
        const at = record.data.findIndex((p) => p.time === point.time);
        if (at >= 0 && (historical || at === record.data.length - 1)) record.data[at] = point;
        else if (at < 0) record.data.push(point);
        else throw new Error('a past point updated without historicalUpdate');
      },
      applyOptions: (more: Record<string, unknown>) => Object.assign(record.options, more),
      createPriceLine: (line: { price: number }) => record.priceLines.push(line.price),
    };
    this.handles.set(record, handle);
    return handle;
  }

  /** The series object the layer was given for a recorded series (the key of crosshair data). */
  handleOf(record: FakeSeries): object {
    return this.handles.get(record)!;
  }

  private paneApi(pane: FakePane) {
    return {
      paneIndex: () => this.paneList.indexOf(pane),
      getSeries: () => pane.series,
      setStretchFactor: () => undefined,
      addSeries: (_definition: unknown, options?: Record<string, unknown>) => this.makeSeries(pane, options),
    };
  }

  addSeries(_definition: unknown, options: Record<string, unknown>, paneIndex = 0) {
    return this.makeSeries(this.paneList[paneIndex]!, options);
  }

  addPane() {
    const pane: FakePane = { series: [] };
    this.paneList.push(pane);
    return this.paneApi(pane);
  }

  panes() {
    return this.paneList.map((pane) => this.paneApi(pane));
  }

  removeSeries(series: { record: FakeSeries }) {
    const { pane } = series.record;
    pane.series = pane.series.filter((s) => s !== series.record);
  }

  removePane(index: number) {
    this.paneList.splice(index, 1);
  }

  /** Series the layer added (the candles and volume are not in the stand-in). */
  all(): FakeSeries[] {
    return this.paneList.flatMap((pane) => pane.series);
  }
}

/** Just enough of an element for the chips. */
class FakeElement {
  className = '';
  textContent = '';
  title = '';
  hidden = false;
  readonly dataset: Record<string, string> = {};
  readonly style: Record<string, string> = {};
  readonly classList = { add: (name: string) => (this.className += ` ${name}`) };
  children: FakeElement[] = [];
  readonly ownerDocument = { createElement: () => new FakeElement() };
  appendChild(child: FakeElement) {
    this.children.push(child);
  }
  replaceChildren(...children: FakeElement[]) {
    this.children = children;
  }
  remove() {}
}

const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 2, 14, 30);

function dailyBars(n: number): Bar[] {
  return Array.from({ length: n }, (_, i) => {
    const close = 100 + 10 * Math.sin(i / 5) + i * 0.1;
    return {
      symbol: 'SPY',
      timeframe: '1D' as const,
      start: START + i * DAY,
      open: close,
      high: close + 1,
      low: close - 1,
      close,
      volume: 1000 + i,
      closed: true,
    };
  });
}

function setup(bars: Bar[], timeframe: Timeframe = '1D') {
  const chart = new FakeChart();
  const host = new FakeElement();
  const surface = {
    chart,
    candles: null,
    host,
    bars: () => bars,
    symbol: () => 'SPY',
    timeframe: () => timeframe,
  } as unknown as ChartSurface;
  const layer = new IndicatorLayer(surface);
  // Each chip holds its label and its values.
  const chips = () => host.children[0]!.children.map((chip) => chip.children[0]!.textContent);
  const chipValues = () => host.children[0]!.children.map((chip) => chip.children[1]!.textContent);
  const chipElements = () => host.children[0]!.children;
  return { chart, layer, chips, chipValues, chipElements };
}

const SMA: Indicator = { id: 'sma-1', kind: 'sma', period: 20 };
const RSI: Indicator = { id: 'rsi-1', kind: 'rsi', period: 14 };
const MACD: Indicator = { id: 'macd-1', kind: 'macd', fast: 12, slow: 26, signal: 9 };

describe('IndicatorLayer', () => {
  it('draws SMA over the candles, RSI and MACD in panes of their own below the volume, with chips', () => {
    const bars = dailyBars(300);
    const { chart, layer, chips } = setup(bars);
    layer.setIndicators([SMA, RSI, MACD]);
    expect(chart.paneList).toHaveLength(4);
    expect(chart.paneList[0]!.series).toHaveLength(1);
    expect(chart.paneList[1]!.series).toHaveLength(0);
    const [rsi] = chart.paneList[2]!.series;
    expect(rsi!.priceLines).toEqual([30, 70]);
    // MACD: histogram, MACD line, signal line.
    expect(chart.paneList[3]!.series).toHaveLength(3);
    const expected = indicatorLines(SMA, bars, '1D').lines.value!;
    expect(chart.paneList[0]!.series[0]!.data).toEqual(
      expected.map((p) => ({ time: p.time / 1000, value: p.value })),
    );
    expect(chips()).toEqual(['SMA 20', 'RSI 14', 'MACD 12 26 9']);
    for (const series of chart.all()) expect(series.options.lastValueVisible).toBe(false);
  });

  it('a live bar and its revisions update one point per line; the series is not computed again', () => {
    const bars = dailyBars(300);
    const { chart, layer } = setup(bars);
    layer.setIndicators([SMA, RSI, MACD]);
    const next = { ...bars[bars.length - 1]!, start: START + 300 * DAY, close: 120, high: 121, low: 119 };
    layer.seriesChanged({ kind: 'update', updates: [{ bar: next, historical: false }] });
    const revised = { ...next, close: 90, low: 89 };
    layer.seriesChanged({ kind: 'update', updates: [{ bar: revised, historical: false }] });
    for (const series of chart.all()) {
      expect(series.setDataCalls).toBe(1);
      expect(series.updates).toHaveLength(2);
    }
    // The values drawn are those of a fresh computation over the bars as they now stand.
    const now = [...bars, revised];
    const fresh = indicatorLines(RSI, now, '1D').lines.value!;
    const drawn = chart.paneList[2]!.series[0]!.data;
    expect(drawn[drawn.length - 1]!.value).toBeCloseTo(fresh[fresh.length - 1]!.value, 9);
    expect(drawn).toHaveLength(fresh.length);
  });

  it('chips show the newest bar’s values, the hovered bar’s under the crosshair, the newest again after', () => {
    const bars = dailyBars(100);
    const { chart, layer, chipValues } = setup(bars);
    layer.setIndicators([SMA, RSI]);
    const sma = indicatorLines(SMA, bars, '1D').lines.value!;
    const rsi = indicatorLines(RSI, bars, '1D').lines.value!;
    const newest = [sma[sma.length - 1]!.value.toFixed(2), rsi[rsi.length - 1]!.value.toFixed(1)];
    expect(chipValues()).toEqual(newest);
    const seriesData = new Map<object, { value: number }>([
      [chart.handleOf(chart.paneList[0]!.series[0]!), { value: 101.234 }],
      [chart.handleOf(chart.paneList[2]!.series[0]!), { value: 55.55 }],
    ]);
    chart.crosshairListener!({ point: { x: 1, y: 1 }, time: 1, seriesData });
    expect(chipValues()).toEqual(['101.23', '55.5']);
    // A live bar while hovering leaves the hovered values; leaving the chart shows the newest again.
    const next = { ...bars[bars.length - 1]!, start: START + 100 * DAY, close: 130, high: 131 };
    layer.seriesChanged({ kind: 'update', updates: [{ bar: next, historical: false }] });
    expect(chipValues()).toEqual(['101.23', '55.5']);
    chart.crosshairListener!({ point: undefined, time: undefined, seriesData: new Map() });
    const now = [...bars, next];
    expect(chipValues()).toEqual([
      indicatorLines(SMA, now, '1D').lines.value!.at(-1)!.value.toFixed(2),
      indicatorLines(RSI, now, '1D').lines.value!.at(-1)!.value.toFixed(1),
    ]);
  });

  it('a new series (another symbol) shows its newest values in the chips at once, also while hovering', () => {
    const bars = dailyBars(100);
    const { chart, layer, chipValues } = setup(bars);
    layer.setIndicators([SMA]);
    const seriesData = new Map([[chart.handleOf(chart.paneList[0]!.series[0]!), { value: 101.234 }]]);
    chart.crosshairListener!({ point: { x: 1, y: 1 }, time: 1, seriesData });
    expect(chipValues()).toEqual(['101.23']);
    // Another symbol's bars, ten times the price: no crosshair move comes with them.
    bars.splice(0, bars.length, ...dailyBars(80).map((b) => ({ ...b, symbol: 'TLT', close: b.close * 10 })));
    layer.seriesChanged({ kind: 'reset' });
    expect(chipValues()).toEqual([indicatorLines(SMA, bars, '1D').lines.value!.at(-1)!.value.toFixed(2)]);
  });

  it('a cleared linked crosshair shows the newest values again', () => {
    const bars = dailyBars(100);
    const { chart, layer, chipValues } = setup(bars);
    layer.setIndicators([SMA]);
    const newest = chipValues();
    const seriesData = new Map([[chart.handleOf(chart.paneList[0]!.series[0]!), { value: 101.234 }]]);
    chart.crosshairListener!({ point: { x: 1, y: 1 }, time: 1, seriesData });
    expect(chipValues()).toEqual(['101.23']);
    layer.crosshairCleared();
    expect(chipValues()).toEqual(newest);
  });

  it('the light theme recolours lines and chips in its deeper shades, the dark theme back', () => {
    const { chart, layer, chipElements } = setup(dailyBars(60));
    layer.setIndicators([SMA, MACD]);
    const dark = indicatorStyles([SMA, MACD], 'dark');
    const light = indicatorStyles([SMA, MACD], 'light');
    const sma = chart.paneList[0]!.series[0]!;
    const [, macdLine, signalLine] = chart.paneList[2]!.series;
    expect(sma.options.color).toBe(dark[0]!.color);
    layer.setTheme('light');
    expect(sma.options.color).toBe(light[0]!.color);
    expect(macdLine!.options.color).toBe(light[1]!.color);
    expect(signalLine!.options.color).toBe(light[1]!.signalColor);
    expect(chipElements().map((chip) => chip.style.color)).toEqual(light.map((s) => s.color));
    // Recoloured in place: the same series, not drawn anew.
    expect(sma.setDataCalls).toBe(1);
    layer.setTheme('dark');
    expect(sma.options.color).toBe(dark[0]!.color);
  });

  it('a corrected past bar computes the series again', () => {
    const bars = dailyBars(100);
    const { chart, layer } = setup(bars);
    layer.setIndicators([SMA]);
    bars[50] = { ...bars[50]!, close: 150, high: 151 };
    layer.seriesChanged({ kind: 'update', updates: [{ bar: bars[50], historical: true }] });
    const [sma] = chart.paneList[0]!.series;
    expect(sma!.setDataCalls).toBe(2);
    expect(sma!.data).toEqual(
      indicatorLines(SMA, bars, '1D').lines.value!.map((p) => ({ time: p.time / 1000, value: p.value })),
    );
  });

  it('removing an indicator removes its series and its pane; the others keep theirs', () => {
    const { chart, layer, chips } = setup(dailyBars(100));
    layer.setIndicators([SMA, RSI, MACD]);
    const macdPane = chart.paneList[3];
    layer.setIndicators([SMA, MACD]);
    expect(chart.paneList).toHaveLength(3);
    expect(chart.paneList[2]).toBe(macdPane);
    layer.setIndicators([MACD]);
    expect(chart.paneList[0]!.series).toHaveLength(0);
    expect(chips()).toEqual(['MACD 12 26 9']);
    layer.dispose();
    expect(chart.paneList).toHaveLength(2);
    expect(chart.all()).toHaveLength(0);
  });

  it('VWAP breaks its line where a session ends, also when the next session starts live', () => {
    const MINUTE = 60_000;
    const friday = Date.UTC(2025, 2, 14, 13, 30);
    const monday = Date.UTC(2025, 2, 17, 13, 30);
    const minute = (start: number, close: number): Bar => ({
      symbol: 'SPY',
      timeframe: '1m',
      start,
      open: close,
      high: close + 0.5,
      low: close - 0.5,
      close,
      volume: 100,
      closed: true,
    });
    const bars = [0, 1, 2].map((i) => minute(friday + i * MINUTE, 100 + i));
    const { chart, layer } = setup(bars, '1m');
    layer.setIndicators([{ id: 'vwap-1', kind: 'vwap' }]);
    const [vwap] = chart.paneList[0]!.series;
    expect(vwap!.data.map((p) => p.color)).toEqual([undefined, undefined, undefined]);
    // Monday's first bar: Friday's last point turns transparent and Monday's VWAP starts at its own bar.
    layer.seriesChanged({ kind: 'update', updates: [{ bar: minute(monday, 200), historical: false }] });
    expect(vwap!.data.map((p) => p.color)).toEqual([undefined, undefined, 'transparent', undefined]);
    expect(vwap!.data[3]!.value).toBeCloseTo(200, 9);
    // Computed whole, the same.
    bars.push(minute(monday, 200));
    layer.seriesChanged({ kind: 'reset' });
    expect(vwap!.data.map((p) => p.color)).toEqual([undefined, undefined, 'transparent', undefined]);
  });

  it('VWAP on a daily pane draws nothing and its chip says it is for intraday panes', () => {
    const { chart, layer, chipElements } = setup(dailyBars(50));
    layer.setIndicators([{ id: 'vwap-1', kind: 'vwap' }]);
    expect(chart.paneList[0]!.series[0]!.data).toEqual([]);
    const [chip] = chipElements();
    expect(chip!.dataset.unavailable).toBe('true');
    expect(chip!.title).toMatch(/intraday/);
  });
});
