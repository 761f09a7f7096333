/**
 * Draws the symbol's drawings (horizontal and trend lines, kept in the workspace per symbol) on a pane's
 * chart, and lets the trader draw, move and delete them there: a chart addon (drawing-layer.ts) fed from the
 * workspace. Every pane showing the symbol draws the same drawings, on any timeframe.
 */
import { useEffect, useRef, type RefObject } from 'react';
import type { CandleChart } from '../charts/candle-chart';
import { useWorkspaceControl } from '../workspace/workspace-context';
import { addDrawing, drawingsOf, removeDrawing, replaceDrawing } from './drawing-edit';
import { DrawingLayer, type DrawingActions } from './drawing-layer';
import { drawingToolsOf } from './drawing-tools-state';

export function useDrawings(chartRef: RefObject<CandleChart | null>, symbol: string | null): void {
  const { workspace, change } = useWorkspaceControl();
  const drawings = drawingsOf(workspace, symbol);
  const layerRef = useRef<DrawingLayer | null>(null);
  // The layer lives as long as the chart; it reaches the latest `change` through this ref.
  const changeRef = useRef(change);
  useEffect(() => {
    changeRef.current = change;
  }, [change]);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    const actions: DrawingActions = {
      add: (on, drawing) => changeRef.current((w) => addDrawing(w, on, drawing)),
      remove: (on, id) => changeRef.current((w) => removeDrawing(w, on, id)),
      replace: (on, drawing) => changeRef.current((w) => replaceDrawing(w, on, drawing)),
    };
    let layer: DrawingLayer | null = null;
    const detach = chart.attach(
      (surface) => (layer = new DrawingLayer(surface, drawingToolsOf(chartRef), actions)),
    );
    layerRef.current = layer;
    return () => {
      layerRef.current = null;
      detach();
    };
  }, [chartRef]);

  useEffect(() => {
    layerRef.current?.setDrawings(symbol, drawings);
  }, [symbol, drawings]);
}
