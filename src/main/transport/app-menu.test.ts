import { describe, expect, it } from 'vitest';
import { appMenuTemplate, type AppMenuItem } from './app-menu';

const allItems = (items: readonly AppMenuItem[]): AppMenuItem[] =>
  items.flatMap((item) => [item, ...allItems(item.submenu ?? [])]);

describe('appMenuTemplate', () => {
  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    it(`leaves every Alt+letter to the page on ${platform}: no label has a mnemonic`, () => {
      const labels = allItems(appMenuTemplate(platform)).flatMap((item) => item.label ?? []);
      expect(labels.length).toBeGreaterThan(0);
      for (const label of labels) expect(label).not.toContain('&');
    });

    it(`keeps copy, paste, reload and quitting on ${platform}`, () => {
      const roles = allItems(appMenuTemplate(platform)).flatMap((item) => item.role ?? []);
      expect(roles).toEqual(expect.arrayContaining(['copy', 'paste', 'selectAll', 'undo', 'reload']));
      expect(roles.includes('quit') || roles.includes('appMenu')).toBe(true);
    });
  }

  it('puts the app menu first on macOS only', () => {
    expect(appMenuTemplate('darwin')[0]?.role).toBe('appMenu');
    expect(allItems(appMenuTemplate('linux')).some((item) => item.role === 'appMenu')).toBe(false);
  });
});
