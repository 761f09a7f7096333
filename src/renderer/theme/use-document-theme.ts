/**
 * Puts the workspace's theme on the page: `<html data-theme="dark|light">`, which styles.css's colour
 * variables follow (the light theme overrides the dark defaults, `color-scheme` included, so scroll bars
 * and form controls follow too), and keeps it as the next load's hint (theme-hint.ts).
 */
import { useEffect } from 'react';
import type { Theme } from '../../shared/domain';
import { pageStorage, writeThemeHint } from './theme-hint';

/**
 * @param theme the kept workspace's theme; null while it is not loaded yet, when the page keeps the theme
 *   the hint put on it (public/theme-hint.js) instead of the default's
 */
export function useDocumentTheme(theme: Theme | null): void {
  useEffect(() => {
    if (theme === null) return;
    document.documentElement.dataset.theme = theme;
    document.querySelector('meta[name="color-scheme"]')?.setAttribute('content', theme);
    writeThemeHint(pageStorage(), theme);
  }, [theme]);
}
