import { describe, expect, it } from 'vitest';
import bootScript from '../public/theme-hint.js?raw';
import { readThemeHint, THEME_HINT_KEY, writeThemeHint, type HintStorage } from './theme-hint';

/** A Map-backed localStorage; `refuse` makes every call throw, as a turned-off storage does. */
function fakeStorage(entries: Record<string, string> = {}, refuse = false): HintStorage & { writes: number } {
  const values = new Map(Object.entries(entries));
  const storage = {
    writes: 0,
    getItem(key: string): string | null {
      if (refuse) throw new Error('storage is turned off');
      return values.get(key) ?? null;
    },
    setItem(key: string, value: string): void {
      if (refuse) throw new Error('storage is turned off');
      storage.writes += 1;
      values.set(key, value);
    },
  };
  return storage;
}

/**
 * Runs the page's boot script (public/theme-hint.js, as index.html loads it before the body) against a fake
 * <html> and color-scheme <meta>, and returns what it put on them.
 */
function runBootScript(storage: HintStorage): { theme: string | undefined; scheme: string } {
  const html = { dataset: {} as Record<string, string> };
  const meta = { content: 'dark', setAttribute: (_: string, value: string) => (meta.content = value) };
  const document = { documentElement: html, querySelector: () => meta };
  // The script's own text, with the page's two globals in reach: this is what the page runs.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const run = new Function('localStorage', 'document', bootScript) as (
    storage: HintStorage,
    page: typeof document,
  ) => void;
  run(storage, document);
  return { theme: html.dataset.theme, scheme: meta.content };
}

describe('theme hint', () => {
  it('keeps the last applied theme and reads it back', () => {
    const storage = fakeStorage();
    expect(readThemeHint(storage)).toBeNull();
    writeThemeHint(storage, 'light');
    expect(readThemeHint(storage)).toBe('light');
    writeThemeHint(storage, 'dark');
    expect(readThemeHint(storage)).toBe('dark');
    // The same theme again writes nothing.
    writeThemeHint(storage, 'dark');
    expect(storage.writes).toBe(2);
  });

  it('reads anything but a theme, no storage or a refusing storage as no hint, and never throws', () => {
    expect(readThemeHint(fakeStorage({ [THEME_HINT_KEY]: 'sepia' }))).toBeNull();
    expect(readThemeHint(null)).toBeNull();
    const refusing = fakeStorage({}, true);
    expect(readThemeHint(refusing)).toBeNull();
    expect(() => writeThemeHint(refusing, 'light')).not.toThrow();
    expect(() => writeThemeHint(null, 'light')).not.toThrow();
  });

  it('the boot script puts the kept hint on the page before the workspace arrives', () => {
    const storage = fakeStorage();
    writeThemeHint(storage, 'light');
    expect(runBootScript(storage)).toEqual({ theme: 'light', scheme: 'light' });
    writeThemeHint(storage, 'dark');
    expect(runBootScript(storage)).toEqual({ theme: 'dark', scheme: 'dark' });
  });

  it('the boot script leaves the default theme without a hint, with a wrong one or a refusing storage', () => {
    const untouched = { theme: undefined, scheme: 'dark' };
    expect(runBootScript(fakeStorage())).toEqual(untouched);
    expect(runBootScript(fakeStorage({ [THEME_HINT_KEY]: 'sepia' }))).toEqual(untouched);
    expect(runBootScript(fakeStorage({}, true))).toEqual(untouched);
  });
});
