/**
 * The desktop window's application menu, as a plain template that src/main/index.ts (the only file that
 * imports electron) hands to `Menu.buildFromTemplate`.
 *
 * Why our own menu: on Windows and Linux a top-level label with `&` before a letter makes Alt+that letter
 * open the menu (https://www.electronjs.org/docs/latest/api/menu, "Also on Windows and Linux, you can use
 * a `&`…"), which would take Alt+H (horizontal line) and Alt+T (trend line) from the chart. These labels
 * carry no `&`, so every Alt+letter reaches the page. The items are Electron's roles, so copy and paste
 * in the order ticket, reload, zoom and the developer tools keep their usual keys.
 */

/** The subset of Electron's MenuItemConstructorOptions this menu uses. */
export interface AppMenuItem {
  label?: string;
  role?:
    | 'appMenu'
    | 'undo'
    | 'redo'
    | 'cut'
    | 'copy'
    | 'paste'
    | 'selectAll'
    | 'reload'
    | 'forceReload'
    | 'toggleDevTools'
    | 'resetZoom'
    | 'zoomIn'
    | 'zoomOut'
    | 'togglefullscreen'
    | 'minimize'
    | 'close'
    | 'quit';
  type?: 'separator';
  submenu?: AppMenuItem[];
}

/**
 * The menu for `platform` (Node's process.platform): on macOS the app menu first (About, Hide, Quit, as
 * the system expects); everywhere File (Quit or Close), Edit, View and Window, without mnemonics.
 */
export function appMenuTemplate(platform: NodeJS.Platform): AppMenuItem[] {
  const mac = platform === 'darwin';
  const separator: AppMenuItem = { type: 'separator' };
  return [
    ...(mac ? [{ role: 'appMenu' } satisfies AppMenuItem] : []),
    { label: 'File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        separator,
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        separator,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        separator,
        { role: 'togglefullscreen' },
      ],
    },
    { label: 'Window', submenu: [{ role: 'minimize' }, { role: 'close' }] },
  ];
}
