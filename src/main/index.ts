/**
 * The Electron entry, and the only file that imports electron: the window with secure defaults, the
 * app:// protocol that serves the built renderer, and the IPC transport of the contract.
 */
import { existsSync } from 'node:fs';
import { join, normalize, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  BrowserWindow,
  Menu,
  app,
  dialog,
  ipcMain,
  net,
  protocol,
  safeStorage,
  session,
  shell,
  type WebContents,
} from 'electron';
import { parseBars, parseDate, parseMode, parseSeed, parseSpeed, parseStart } from './cli/options';
import type { Engine } from './engine/kernel';
import { createModeEngine, type ModeStartOptions } from './modes';
import { readAppSettings } from './platform/app-settings';
import { createLogger } from './platform/log';
import { journalDbPath, writeRuntimeFile } from './platform/runtime-file';
import {
  APP_ORIGIN,
  contentSecurityPolicy,
  denyPermissionCheck,
  denyPermissionRequest,
  externalLink,
  isTrustedSender,
  mayNavigate,
  rendererOrigins,
} from './transport/page-security';
import { appMenuTemplate } from './transport/app-menu';
import { serveIpc, type IpcEvent } from './transport/ipc-server';
import { startWebServer, type WebServer } from './transport/web-server';

const log = createLogger('trm');
/** electron-vite's dev server, when running from sources (never in the packaged app). */
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const trustedOrigins = rendererOrigins(devServerUrl);
const rendererRoot = resolve(import.meta.dirname, '..', 'renderer');
const preloadPath = join(import.meta.dirname, '..', 'preload', 'index.cjs');
/**
 * better-sqlite3 built for this Electron's ABI by the postinstall (the installed one is for Node); the
 * packaged app carries it in resources/native (electron-builder.yml).
 */
const sqliteBindingName = `better_sqlite3-electron-${process.versions.electron}.node`;
const sqliteForElectron = app.isPackaged
  ? join(process.resourcesPath, 'native', sqliteBindingName)
  : resolve(import.meta.dirname, '..', '..', 'node_modules', '.trm-electron', sqliteBindingName);

/** The window talks to the engine over IPC only: connect-src 'self' and nothing else. */
const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

/** Serves out/renderer on app://trm/, refusing any path that escapes it. */
function serveRenderer(): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'trm') return new Response('not found', { status: 404 });
    const file = normalize(
      join(rendererRoot, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)),
    );
    const inside = relative(rendererRoot, file);
    if (inside.startsWith('..') || inside.includes(`..${sep}`))
      return new Response('forbidden', { status: 403 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

/** No page gets any permission (camera, microphone, notifications, devices, ...). */
function denyPermissions(): void {
  session.defaultSession.setPermissionRequestHandler(denyPermissionRequest);
  session.defaultSession.setPermissionCheckHandler(denyPermissionCheck);
  session.defaultSession.setDevicePermissionHandler(denyPermissionCheck);
}

/**
 * Every web contents (windows, and anything a page might create): no navigation away from our renderer,
 * no new windows (https links open in the OS browser), no <webview>.
 */
function guardWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    const link = externalLink(url);
    if (link !== null) void shell.openExternal(link);
    return { action: 'deny' };
  });
  const stayInRenderer = (event: { preventDefault(): void }, url: string): void => {
    if (!mayNavigate(url, trustedOrigins)) {
      event.preventDefault();
      log.warn(`blocked navigation to ${url}`);
    }
  };
  contents.on('will-navigate', stayInRenderer);
  contents.on('will-redirect', stayInRenderer);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    backgroundColor: '#0b0e11',
    title: 'TRM Workstation',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // A middle click opens a new window: denied anyway, and this stops the event reaching the page.
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`);
  return window;
}

/** The start-up flags the CLI's `trm web` takes, read from Electron's command line. */
function readOptions(): Omit<ModeStartOptions, 'log'> {
  const { values } = parseArgs({
    args: process.argv.slice(app.isPackaged ? 1 : 2),
    strict: false,
    options: {
      mode: { type: 'string' },
      seed: { type: 'string' },
      speed: { type: 'string' },
      db: { type: 'string' },
      start: { type: 'string' },
      fresh: { type: 'boolean' },
      from: { type: 'string' },
      to: { type: 'string' },
      bars: { type: 'string' },
    },
  });
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const parsed = <T>(value: unknown, parse: (text: string) => T): T | undefined => {
    const given = text(value);
    return given === undefined ? undefined : parse(given);
  };
  const seed = parsed(values.seed, parseSeed);
  const speed = parsed(values.speed, parseSpeed);
  const start = parsed(values.start, parseStart);
  const from = parsed(values.from, parseDate);
  const to = parsed(values.to, parseDate);
  const bars = parsed(values.bars, parseBars);
  const db = text(values.db);
  return {
    // The command line first, then the mode chosen in settings.json, then demo.
    mode:
      parsed(values.mode, parseMode) ??
      readAppSettings(app.getPath('userData'), (problem) => log.warn(problem)).mode ??
      'demo',
    dataDir: app.getPath('userData'),
    ...(seed !== undefined ? { seed } : {}),
    ...(speed !== undefined ? { speed } : {}),
    ...(start !== undefined ? { start } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(bars !== undefined ? { bars } : {}),
    ...(db !== undefined ? { db } : {}),
    ...(values.fresh === true ? { fresh: true } : {}),
  };
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
  await app.whenReady();
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(process.platform)));
  denyPermissions();
  serveRenderer();

  let engine: Engine;
  let options: Omit<ModeStartOptions, 'log'>;
  try {
    options = readOptions();
    engine = createModeEngine({
      ...options,
      log: log.child('engine'),
      // Saved broker keys are encrypted with the operating system's key store (Keychain, DPAPI, libsecret).
      secretCipher: safeStorage,
      ...(existsSync(sqliteForElectron) ? { sqliteBinding: sqliteForElectron } : {}),
    });
  } catch (error) {
    dialog.showErrorBox(
      'TRM Workstation cannot start',
      error instanceof Error ? error.message : String(error),
    );
    app.quit();
    return;
  }
  const stopServing = serveIpc(ipcMain, {
    service: engine.service,
    log: log.child('ipc'),
    isTrustedSender: (event: IpcEvent) => isTrustedSender(event, trustedOrigins),
  });
  engine.start();
  // `trm order`, `trm positions` and the rest reach the app over a contract-only loopback WebSocket (no
  // renderer files served), found through the runtime file beside the journal's database.
  let cliServer: WebServer | null = null;
  let runtime: ReturnType<typeof writeRuntimeFile> = null;
  try {
    cliServer = await startWebServer({ service: engine.service, port: 0, log: log.child('cli') });
    runtime = writeRuntimeFile({
      pid: process.pid,
      url: `ws://127.0.0.1:${cliServer.port}/ws`,
      token: cliServer.token,
      mode: options.mode,
      db: journalDbPath(options),
      startedAt: Date.now(),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log.warn(`the command line cannot reach this workstation: ${reason}`);
  }
  let window = createWindow();

  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) window = createWindow();
  });
  app.on('window-all-closed', () => app.quit());
  // Quit in order (before-quit removes the runtime file) when stopped by a signal, not at once.
  process.on('SIGINT', () => app.quit());
  process.on('SIGTERM', () => app.quit());
  app.on('before-quit', () => {
    runtime?.remove();
    void cliServer?.close();
    stopServing();
    engine.stop();
  });
}

void main();
