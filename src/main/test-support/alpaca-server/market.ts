/**
 * The loopback Alpaca server's market: deterministic bars for any symbol and minute, so the REST history
 * and the stream agree without storing anything. Prices follow smooth waves per symbol plus hashed
 * noise; consecutive minutes join (a minute's open is the previous minute's close). Values are in
 * Alpaca's wire shape (o h l c v n vw, `t` the bar's start).
 */
import type { Session, SessionCalendar } from '../../core/calendar';
import { mixSeed32 } from '../../core/synthetic/random';

/** A bar as Alpaca's REST sends it, with `t` still an epoch ms (the server formats it per codec). */
export interface WireBar {
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n: number;
  vw: number;
}

const MINUTE = 60_000;

function symbolSeed(symbol: string): number {
  let h = 0;
  for (let i = 0; i < symbol.length; i++) h = mixSeed32(h ^ symbol.charCodeAt(i));
  return h;
}

/** Uniform [0, 1) from a symbol and an instant. */
function noise(seed: number, t: number, salt: number): number {
  return mixSeed32(seed ^ mixSeed32(Math.floor(t / 1000) ^ salt)) / 4294967296;
}

const cents = (x: number): number => Math.round(x * 100) / 100;

/** The price of `symbol` at instant `t` (a smooth path: the same value from either side of a minute). */
export function priceAt(symbol: string, t: number): number {
  const seed = symbolSeed(symbol);
  const base = 50 + (seed % 400);
  const minutes = t / MINUTE;
  const phase = (seed % 1000) / 159;
  return base * (1 + 0.03 * Math.sin(minutes / 977 + phase) + 0.008 * Math.sin(minutes / 37 + phase * 2));
}

/** The minute bar of `symbol` starting at `start` (epoch ms, a whole minute). */
export function minuteBar(symbol: string, start: number): WireBar {
  const seed = symbolSeed(symbol);
  const o = cents(priceAt(symbol, start));
  const c = cents(priceAt(symbol, start + MINUTE));
  const h = cents(Math.max(o, c) + noise(seed, start, 1) * 0.05 * (1 + (seed % 7)));
  const l = cents(Math.min(o, c) - noise(seed, start, 2) * 0.05 * (1 + (seed % 5)));
  const v = 1_000 + Math.floor(noise(seed, start, 3) * 9_000);
  const n = 10 + Math.floor(noise(seed, start, 4) * 90);
  const vw = Math.min(h, Math.max(l, cents((o + h + l + c) / 4)));
  return { t: start, o, h, l, c, v, n, vw };
}

/**
 * The daily bar of a session as of `until` (a partial day before its close), labelled like Alpaca's:
 * `t` is midnight New York of the session's date. Null when nothing of the session has happened.
 */
export function dailyBar(symbol: string, session: Session, until: number, midnight: number): WireBar | null {
  const end = Math.min(session.close, until);
  if (end <= session.open) return null;
  const seed = symbolSeed(symbol);
  const o = cents(priceAt(symbol, session.open));
  const c = cents(priceAt(symbol, end));
  let h = Math.max(o, c);
  let l = Math.min(o, c);
  for (let t = session.open; t < end; t += 15 * MINUTE) {
    const p = priceAt(symbol, t);
    h = Math.max(h, p);
    l = Math.min(l, p);
  }
  h = cents(h + noise(seed, session.open, 5) * 0.2);
  l = cents(l - noise(seed, session.open, 6) * 0.2);
  const minutes = Math.round((end - session.open) / MINUTE);
  return {
    t: midnight,
    o,
    h,
    l,
    c,
    v: minutes * 5_000,
    n: minutes * 50,
    vw: Math.min(h, Math.max(l, cents((o + h + l + c) / 4))),
  };
}

/** Every in-session minute start in [from, to) under `calendar`. */
export function sessionMinutes(calendar: SessionCalendar, from: number, to: number): number[] {
  const out: number[] = [];
  let t = Math.ceil(from / MINUTE) * MINUTE;
  while (t < to) {
    const session = calendar.sessionAt(t);
    if (session) {
      const end = Math.min(session.close, to);
      for (; t < end; t += MINUTE) out.push(t);
    } else {
      const next = calendar.sessionOnOrAfter(t);
      if (next.open <= t) break; // a calendar that says "closed" and "open now" at once: give up
      t = next.open;
    }
  }
  return out;
}
