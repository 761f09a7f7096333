/**
 * Puts the workspace's theme on the page: `<html data-theme="dark|light">`, which styles.css's colour
 * variables follow (the light theme overrides the dark defaults), and the matching `color-scheme` so
 * scroll bars and form controls follow too.
 */
import { useEffect } from 'react';
import type { Theme } from '../../shared/domain';

export function useDocumentTheme(theme: Theme): void {
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
}
