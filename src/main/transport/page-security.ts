/**
 * The renderer page's security decisions, as pure functions: which page may use the contract over IPC,
 * where a window may navigate, which links may open in the OS browser, what permissions a page gets
 * (none), and the Content-Security-Policy (shared with the web mode's server). src/main/index.ts wires
 * them into Electron (the only file that imports electron), so each is unit-tested without Electron.
 *
 * Source of the checklist: Electron's security guide (https://www.electronjs.org/docs/latest/tutorial/security),
 * items 1-20.
 */
import type { IpcEvent } from './ipc-server';

/** The origin of the built renderer, served by index.ts's app:// protocol handler. */
export const APP_ORIGIN = 'app://trm';

/**
 * The page that may talk to the engine: our app:// origin, or, when index.ts runs from sources with
 * electron-vite's dev server (`ELECTRON_RENDERER_URL`), that server's origin if it is on the loopback.
 *
 * @param devServerUrl the dev server's address (http://localhost:5173/), or undefined when packaged
 * @returns the origins trusted as "our renderer" (serialised, e.g. 'app://trm')
 */
export function rendererOrigins(devServerUrl?: string): ReadonlySet<string> {
  const origins = new Set([APP_ORIGIN]);
  const dev = devServerUrl === undefined ? null : parseUrl(devServerUrl);
  if (dev !== null && dev.protocol === 'http:' && LOOPBACK_HOSTS.has(dev.hostname)) origins.add(dev.origin);
  return origins;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/**
 * A URL's origin as Chromium sees it for our privileged `app:` scheme ('app://trm'). Node's URL (the main
 * process's) knows only the web's special schemes and gives every other one the opaque origin 'null'.
 */
function originOf(url: URL): string {
  const special = ['http:', 'https:', 'ws:', 'wss:', 'file:', 'ftp:'].includes(url.protocol);
  if (special) return url.origin;
  return url.host === '' ? 'null' : `${url.protocol}//${url.host}`;
}

/** Whether a URL belongs to our renderer (its origin is one of `origins`); false for anything unparsable. */
export function isOurRenderer(url: string, origins: ReadonlySet<string> = rendererOrigins()): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && origins.has(originOf(parsed));
}

/**
 * The IPC sender check: the message comes from the main frame (not an iframe) of a page of our renderer.
 * A frame that navigated away or was destroyed (senderFrame null) is not trusted.
 */
export function isTrustedSender(event: IpcEvent, origins: ReadonlySet<string> = rendererOrigins()): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isOurRenderer(frame.url, origins);
}

/** will-navigate / will-redirect: a window only ever moves between pages of our renderer. */
export function mayNavigate(url: string, origins: ReadonlySet<string> = rendererOrigins()): boolean {
  return isOurRenderer(url, origins);
}

/**
 * The address to hand to the OS browser for a link the page tried to open in a new window (news
 * articles), or null to drop it: only https URLs without credentials; every new Electron window is denied.
 */
export function externalLink(url: string): string | null {
  const parsed = parseUrl(url);
  if (parsed === null || parsed.protocol !== 'https:') return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  return parsed.href;
}

/**
 * session.setPermissionRequestHandler: every request (camera, microphone, notifications, geolocation,
 * clipboard, MIDI, ...) is denied; the workstation needs none.
 */
export function denyPermissionRequest(
  _contents: unknown,
  _permission: string,
  callback: (granted: boolean) => void,
): void {
  callback(false);
}

/** session.setPermissionCheckHandler and setDevicePermissionHandler: nothing is granted. */
export function denyPermissionCheck(): boolean {
  return false;
}

/**
 * The Content-Security-Policy for the renderer, as an HTTP header (web mode and app://; frame-ancestors
 * works only there, not in a meta tag). No 'unsafe-eval', no remote origins: scripts only from the page's
 * own origin. Styles allow 'unsafe-inline' because Vite's dev server injects <style> elements.
 *
 * @param connectSources extra connect-src sources, e.g. the web mode's `ws://127.0.0.1:7420`
 * @returns the policy, directives joined by '; '
 */
export function contentSecurityPolicy(connectSources: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    ["connect-src 'self'", ...connectSources].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
