/**
 * A hint of the last theme the page applied, kept in localStorage so the next load paints in it at once:
 * public/theme-hint.js (a classic script in index.html's <head>, run before the body is parsed and before
 * the first paint) reads it, long before the kept workspace arrives from the engine. The workspace stays
 * the source of truth: when it arrives its theme is applied and the hint follows it (use-document-theme.ts).
 */
import { THEMES, type Theme } from '../../shared/domain';

/** The localStorage key; public/theme-hint.js reads the same one. */
export const THEME_HINT_KEY = 'trm.theme-hint';

/** The part of Storage the hint uses (localStorage in the page, a fake in tests). */
export type HintStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The page's localStorage, or null where there is none or it may not be used (storage turned off). */
export function pageStorage(): HintStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** The kept hint, or null when there is none or it is not a theme. */
export function readThemeHint(storage: HintStorage | null): Theme | null {
  try {
    const value = storage?.getItem(THEME_HINT_KEY) ?? null;
    return (THEMES as readonly string[]).includes(value ?? '') ? (value as Theme) : null;
  } catch {
    return null;
  }
}

/** Keeps `theme` as the hint; a storage that refuses (full, turned off) costs only the next load's hint. */
export function writeThemeHint(storage: HintStorage | null, theme: Theme): void {
  try {
    if (storage?.getItem(THEME_HINT_KEY) !== theme) storage?.setItem(THEME_HINT_KEY, theme);
  } catch {
    // Nothing to do: the workspace's theme is applied all the same.
  }
}
