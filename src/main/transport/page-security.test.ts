/**
 * The renderer page's security decisions, without Electron: only our page's main frame reaches the
 * contract, windows never leave our renderer, only https links reach the OS browser, every permission is
 * denied, and the Content-Security-Policy allows no eval and no remote origin.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IpcEvent } from './ipc-server';
import {
  APP_ORIGIN,
  contentSecurityPolicy,
  denyPermissionCheck,
  denyPermissionRequest,
  externalLink,
  isOurRenderer,
  isTrustedSender,
  mayNavigate,
  rendererOrigins,
} from './page-security';

const sender = { id: 1, send: () => undefined, isDestroyed: () => false, once: () => undefined };
const eventFrom = (url: string, parent: unknown = null): IpcEvent => ({
  sender,
  senderFrame: { url, parent },
});

/** Directive name -> its sources, from a policy string. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0] !== '')
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('our renderer', () => {
  it('is the app:// origin, and a loopback dev server when one is given', () => {
    expect(isOurRenderer(`${APP_ORIGIN}/index.html`)).toBe(true);
    expect(isOurRenderer('app://trm/assets/index.js#x')).toBe(true);
    expect(isOurRenderer('app://other/index.html')).toBe(false);
    expect(isOurRenderer('file:///tmp/index.html')).toBe(false);
    expect(isOurRenderer('https://trm.example/')).toBe(false);
    expect(isOurRenderer('not a url')).toBe(false);
    const dev = rendererOrigins('http://localhost:5173/');
    expect(isOurRenderer('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isOurRenderer('http://localhost:5174/', dev)).toBe(false);
    // A dev server address that is not on the loopback is never trusted.
    expect([...rendererOrigins('http://192.168.1.5:5173/')]).toEqual([APP_ORIGIN]);
    expect([...rendererOrigins('https://evil.example/')]).toEqual([APP_ORIGIN]);
  });

  it('is the only sender whose IPC reaches the contract: main frame of our page only', () => {
    expect(isTrustedSender(eventFrom('app://trm/index.html'))).toBe(true);
    expect(isTrustedSender(eventFrom('app://trm/index.html', { url: 'app://trm/' }))).toBe(false);
    expect(isTrustedSender(eventFrom('https://attacker.example/'))).toBe(false);
    expect(isTrustedSender(eventFrom('about:blank'))).toBe(false);
    expect(isTrustedSender({ sender, senderFrame: null })).toBe(false);
  });
});

describe('navigation and new windows', () => {
  it('keeps a window on our renderer', () => {
    expect(mayNavigate('app://trm/index.html')).toBe(true);
    expect(mayNavigate('https://www.google.com/')).toBe(false);
    expect(mayNavigate('file:///etc/passwd')).toBe(false);
    expect(mayNavigate('javascript:alert(1)')).toBe(false);
  });

  it('hands only https links without credentials to the OS browser', () => {
    expect(externalLink('https://www.reuters.com/markets/')).toBe('https://www.reuters.com/markets/');
    expect(externalLink('http://www.reuters.com/')).toBeNull();
    expect(externalLink('file:///etc/passwd')).toBeNull();
    expect(externalLink('smb://server/share')).toBeNull();
    expect(externalLink('javascript:alert(1)')).toBeNull();
    expect(externalLink('https://user:secret@example.com/')).toBeNull();
    expect(externalLink('nonsense')).toBeNull();
  });
});

describe('permissions', () => {
  it('denies every request and every check', () => {
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal'])
      denyPermissionRequest(null, permission, (granted) => answers.push(granted));
    expect(answers).toEqual([false, false, false, false, false]);
    expect(denyPermissionCheck()).toBe(false);
  });
});

describe('Content-Security-Policy', () => {
  it('allows scripts from our origin only, no eval, no plugins, no framing, no remote connections', () => {
    const policy = directives(contentSecurityPolicy());
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(contentSecurityPolicy()).not.toContain('unsafe-eval');
  });

  it("adds the web mode's WebSocket to connect-src only", () => {
    const policy = directives(contentSecurityPolicy(['ws://127.0.0.1:7420']));
    expect(policy.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:7420']);
    expect(policy.get('script-src')).toEqual(["'self'"]);
  });

  it('is at least as strict in index.html (the page served to both hosts)', () => {
    const html = readFileSync(join(import.meta.dirname, '../../renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta).not.toBeNull();
    const policy = directives(meta![1]!);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(meta![1]).not.toContain('unsafe-eval');
    // Only loopback WebSockets beside our own origin: the page never connects anywhere else.
    for (const source of policy.get('connect-src') ?? [])
      expect(source).toMatch(/^('self'|ws:\/\/(127\.0\.0\.1|localhost):\*)$/);
  });
});
