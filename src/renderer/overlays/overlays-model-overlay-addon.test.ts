/**
 * model-overlay-addon.ts against a stand-in chart surface: the shading gets the runs of the bars under a
 * prediction, the confidence pane exists only on daily charts while it is switched on and some bar has a
 * prediction in force, a live bar extends the last run with one point update, a new prediction sets the
 * series anew.
 */
import { describe, expect, it } from 'vitest';
import type { Bar, Prediction } from '../../shared/domain';
import { sampleBar } from '../../shared/test-support/sample-bar';
import type { ChartSurface } from '../charts/chart-addon';
import { ModelOverlayAddon } from './model-overlay-addon';
import type { PredictionRun } from './prediction-runs';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const OPEN = 14.5 * HOUR;

const bar = (day: number): Bar => sampleBar({ start: day * DAY + OPEN, timeframe: '1D', closed: true });

const prediction = (day: number): Prediction => ({
  barStart: day * DAY + OPEN,
  time: day * DAY + OPEN + 6.5 * HOUR,
  modelVersion: 'trm-test',
  strategy: 'defensive',
  probabilities: [0.1, 0.4, 0.2, 0.1, 0.05, 0.05, 0.05, 0.05],
  haltProbability: 0.5,
  features: [],
  imputed: 0,
});

interface PrimitiveLike {
  setRuns(runs: readonly PredictionRun[]): void;
}

/** A chart surface that records what the addon asks of it. */
function standIn(days: number[], timeframe: '1D' | '1h' = '1D') {
  const bars = days.map(bar);
  const shading: PrimitiveLike[] = [];
  const calls: string[] = [];
  let panes = 2;
  const series = {
    attachPrimitive: () => calls.push('attach band'),
    detachPrimitive: () => calls.push('detach band'),
    priceScale: () => ({ applyOptions: () => undefined }),
    setData: (points: { time: number; value: number }[]) =>
      calls.push(`setData ${points.map((p) => p.time / 86_400).join(',')}`),
    update: (point: { time: number }) => calls.push(`update ${point.time / 86_400}`),
  };
  const surface = {
    chart: {
      panes: () => Array.from({ length: panes }, () => ({ setStretchFactor: () => undefined })),
      addSeries: (_type: unknown, _options: unknown, pane: number) => {
        calls.push(`addSeries pane ${pane}`);
        panes++;
        return series;
      },
      removeSeries: () => {
        calls.push('removeSeries');
        panes--;
      },
    },
    candles: {
      attachPrimitive: (primitive: PrimitiveLike) => shading.push(primitive),
      detachPrimitive: () => shading.pop(),
    },
    host: { dataset: {} as Record<string, string> },
    bars: () => bars,
    symbol: () => 'SPY',
    timeframe: () => timeframe,
  } as unknown as ChartSurface;
  return { surface, bars, calls, host: surface.host };
}

describe('the model overlays on a chart', () => {
  it('shades and draws confidence only where a prediction is in force, each as switched', () => {
    const { surface, calls, host } = standIn([1, 2, 3, 4]);
    const addon = new ModelOverlayAddon(surface);
    addon.seriesChanged({ kind: 'reset' });
    // No predictions: no runs, no confidence pane.
    expect(host.dataset.modelRuns).toBe('0');
    expect(host.dataset.modelConfidence).toBe('off');
    expect(calls).toEqual([]);

    addon.setPredictions([prediction(1), prediction(3)]);
    expect(host.dataset.modelRuns).toBe('2');
    expect(host.dataset.modelConfidence).toBe('on');
    // Its own pane under the price and volume panes; a point at each run's first bar and at the newest.
    const day = (d: number) => (d * DAY + OPEN) / 1000 / 86_400;
    expect(calls).toEqual(['addSeries pane 2', 'attach band', `setData ${day(2)},${day(4)}`]);

    calls.length = 0;
    addon.setSwitches({ shading: true, confidence: false });
    expect(calls).toEqual(['detach band', 'removeSeries']);
    expect(host.dataset.modelConfidence).toBe('off');
    expect(host.dataset.modelRuns).toBe('2');

    addon.setSwitches({ shading: false, confidence: false });
    expect(host.dataset.modelRuns).toBe('0');
    addon.dispose();
    expect(host.dataset.modelRuns).toBeUndefined();
  });

  it('draws the confidence pane on daily charts only (predictions are daily); the shading everywhere', () => {
    const { surface, calls, host } = standIn([1, 2, 3, 4], '1h');
    const addon = new ModelOverlayAddon(surface);
    addon.setPredictions([prediction(1), prediction(3)]);
    expect(host.dataset.modelRuns).toBe('2');
    expect(host.dataset.modelConfidence).toBe('off');
    expect(calls).toEqual([]);
    addon.dispose();
  });

  it('extends the last run with one point update per live bar; a new prediction sets the series anew', () => {
    const { surface, bars, calls } = standIn([1, 2, 3]);
    const addon = new ModelOverlayAddon(surface);
    addon.setPredictions([prediction(1)]);
    calls.length = 0;
    const day = (d: number) => (d * DAY + OPEN) / 1000 / 86_400;

    bars.push(bar(4));
    addon.seriesChanged({ kind: 'update', updates: [{ bar: bar(4), historical: false }] });
    expect(calls).toEqual([`update ${day(4)}`]);

    // A corrected past bar changes nothing.
    calls.length = 0;
    addon.seriesChanged({ kind: 'update', updates: [{ bar: bar(2), historical: true }] });
    expect(calls).toEqual([]);

    // The next decision: its run starts at the next bar.
    addon.setPredictions([prediction(1), prediction(4)]);
    bars.push(bar(5));
    addon.seriesChanged({ kind: 'update', updates: [{ bar: bar(5), historical: false }] });
    expect(calls.at(-1)).toBe(`setData ${day(2)},${day(5)}`);
    addon.dispose();
  });
});
