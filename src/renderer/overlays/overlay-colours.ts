/**
 * The model overlays' colours: each strategy's colour (signals/strategy-style.ts) at a low opacity for the
 * shading behind the candles, a little stronger for the confidence band, whole for the confidence line.
 * Pure, so tests can compute the exact colour a pixel shows (`blend`).
 */
import type { StrategyId } from '../../shared/domain';
import { STRATEGY_STYLE } from '../signals/strategy-style';

/** Opacity of the shading behind the candles: tints the background, leaves candles and grid readable. */
export const SHADING_ALPHA = 0.14;
/** Opacity of the confidence band (the pick's margin over the runner-up). */
export const BAND_ALPHA = 0.3;

export type Rgb = readonly [number, number, number];

/** '#rrggbb' as its three channels (0-255). */
export function hexRgb(hex: string): Rgb {
  const value = Number.parseInt(hex.slice(1, 7), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/** `rgb` at opacity `alpha` (0..1) as a CSS colour. */
export const rgba = (rgb: Rgb, alpha: number): string => `rgba(${rgb[0]}, ${rgb[1]}, ${rgb[2]}, ${alpha})`;

/** What `colour` at opacity `alpha` painted over `background` shows (source-over), rounded per channel. */
export function blend(colour: Rgb, alpha: number, background: Rgb): Rgb {
  const mix = (i: 0 | 1 | 2): number => Math.round(colour[i] * alpha + background[i] * (1 - alpha));
  return [mix(0), mix(1), mix(2)];
}

const SHADES = new Map<StrategyId, string>();
const BANDS = new Map<StrategyId, string>();
for (const [id, style] of Object.entries(STRATEGY_STYLE) as [StrategyId, { color: string }][]) {
  SHADES.set(id, rgba(hexRgb(style.color), SHADING_ALPHA));
  BANDS.set(id, rgba(hexRgb(style.color), BAND_ALPHA));
}

/** The shading's fill for a strategy. */
export const shadeOf = (strategy: StrategyId): string => SHADES.get(strategy)!;
/** The confidence band's fill for a strategy. */
export const bandOf = (strategy: StrategyId): string => BANDS.get(strategy)!;
/** The confidence line's colour for a strategy (the strategy's own). */
export const lineOf = (strategy: StrategyId): string => STRATEGY_STYLE[strategy].color;
