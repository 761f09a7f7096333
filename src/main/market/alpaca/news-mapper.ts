/**
 * Alpaca news articles as the workstation's NewsItem (src/shared/domain/news.ts), validated on arrival.
 *
 * Two shapes arrive: REST (GET /v1beta1/news: Alpaca's own snake_case fields, `created_at` RFC 3339)
 * and the news stream (frames `T: "n"`, decoded and renamed by the SDK's `NewsStream`: `createdAt` a
 * Date, `idRaw` the id as text). Sources: docs.alpaca.markets "Real-time News" and "Historical News"
 * (fields id, headline, summary, author, created_at, updated_at, url, content, symbols, source; content
 * and summary may hold HTML); the SDK's `mapNews` (@alpacahq/alpaca-trade-api 4.0.2).
 *
 * Mapping: id `alpaca:<Alpaca's id>`; origin 'alpaca'; kind 'headline'; time = created_at (published),
 * else updated_at; source as a trader reads it ("benzinga" -> "Benzinga"); HTML tags dropped and
 * entities decoded in headline and summary, whitespace collapsed, cut to MAX_NEWS_TEXT_CHARS with an
 * ellipsis; symbols upper case, those that are no ticker dropped, at most 64; the article's body
 * (`content`) is not kept (the store keeps headline and summary).
 */
import { z } from 'zod';
import { MAX_NEWS_TEXT_CHARS, NewsItemSchema, SymbolSchema, type NewsItem } from '../../../shared/domain';
import type { Logger } from '../../platform/log';

const MAX_SYMBOLS = 64;
const MAX_URL_CHARS = 2000;

// Not z.int(): ids beyond 2^53 arrive as (inexact) numbers, with the exact text in the stream's idRaw.
const Id = z.union([
  z.number().nonnegative().refine(Number.isInteger, 'a whole number'),
  z.bigint().nonnegative(),
  z.string().regex(/^\d+$/),
]);
const Text = z.string().nullish();
const Instant = z.union([z.string(), z.date()]).nullish();

/** One article of GET /v1beta1/news (extra fields such as `images` are allowed and ignored). */
export const AlpacaRestNewsSchema = z.looseObject({
  id: Id,
  headline: z.string(),
  summary: Text,
  author: Text,
  created_at: Instant,
  updated_at: Instant,
  url: Text,
  content: Text,
  symbols: z.array(z.string()).nullish(),
  source: Text,
});
export type AlpacaRestNews = z.infer<typeof AlpacaRestNewsSchema>;

/** A news frame as the SDK's `NewsStream` hands it over (its `StreamNews`). */
export const AlpacaStreamNewsSchema = z.looseObject({
  id: Id,
  idRaw: z.string().optional(),
  headline: z.string(),
  summary: Text,
  createdAt: Instant,
  updatedAt: Instant,
  url: Text,
  symbols: z.array(z.string()).nullish(),
  source: Text,
});

/** A page of GET /v1beta1/news; each article is validated on its own, so one bad article costs only itself. */
export const AlpacaNewsPageSchema = z.looseObject({
  news: z.array(z.unknown()).nullable(),
  next_page_token: z.string().nullable().optional(),
});

/** The result of mapping one article: the item, or why it was dropped (a short kind, for warn-once). */
export type NewsMapping = { item: NewsItem; problem?: undefined } | { item?: undefined; problem: string };

/** Display names of Alpaca's news sources; others get their first letter upper-cased. */
const SOURCE_NAMES: Readonly<Record<string, string>> = { benzinga: 'Benzinga' };

/** Named HTML entities that turn up in news text (the rest arrive as numeric references). */
const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ldquo: '\u201c',
  rdquo: '\u201d',
  lsquo: '\u2018',
  rsquo: '\u2019',
  sbquo: '\u201a',
  bdquo: '\u201e',
  mdash: '\u2014',
  ndash: '\u2013',
  hellip: '\u2026',
  bull: '\u2022',
  middot: '\u00b7',
  copy: '\u00a9',
  reg: '\u00ae',
  trade: '\u2122',
  euro: '\u20ac',
  pound: '\u00a3',
  yen: '\u00a5',
  cent: '\u00a2',
  deg: '\u00b0',
  frac12: '\u00bd',
  frac14: '\u00bc',
  frac34: '\u00be',
  times: '\u00d7',
  eacute: '\u00e9',
};

function decodeEntity(entity: string, body: string): string {
  if (body.startsWith('#')) {
    const code =
      body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  }
  return ENTITIES[body.toLowerCase()] ?? entity;
}

/**
 * Plain text from a fragment of HTML: script and style bodies and comments removed, block-level tags
 * and <br> read as spaces, other tags dropped, entities decoded, whitespace collapsed and trimmed.
 */
export function plainText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<\/?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote)\b[^>]*>/gi, ' ')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);/gi, decodeEntity)
    .replace(/\s+/g, ' ')
    .trim();
}

/** `text` cut to `max` characters, the last one an ellipsis when cut (never splitting a surrogate pair). */
export function cutText(text: string, max = MAX_NEWS_TEXT_CHARS): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end).trimEnd()}\u2026`;
}

/** The source as a trader reads it: "benzinga" -> "Benzinga"; empty -> "Alpaca". */
export function sourceName(source: string | null | undefined): string {
  const text = (source ?? '').trim();
  if (text === '') return 'Alpaca';
  return (SOURCE_NAMES[text.toLowerCase()] ?? text.charAt(0).toUpperCase() + text.slice(1)).slice(0, 200);
}

function epochMs(value: string | Date | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const t = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isFinite(t) ? t : null;
}

interface Article {
  id: string;
  headline: string;
  summary: string | null | undefined;
  created: string | Date | null | undefined;
  updated: string | Date | null | undefined;
  url: string | null | undefined;
  symbols: readonly string[] | null | undefined;
  source: string | null | undefined;
}

function toItem(article: Article): NewsMapping {
  const headline = cutText(plainText(article.headline));
  if (headline === '') return { problem: 'an article without a headline' };
  const time = epochMs(article.created) ?? epochMs(article.updated);
  if (time === null) return { problem: 'an article without a valid publication time' };
  const symbols: string[] = [];
  for (const raw of article.symbols ?? []) {
    const symbol = raw.trim().toUpperCase();
    if (SymbolSchema.safeParse(symbol).success && !symbols.includes(symbol)) symbols.push(symbol);
    if (symbols.length === MAX_SYMBOLS) break;
  }
  const url = article.url?.trim() ?? '';
  const parsed = NewsItemSchema.safeParse({
    id: `alpaca:${article.id}`,
    origin: 'alpaca',
    kind: 'headline',
    source: sourceName(article.source),
    time,
    headline,
    summary: cutText(plainText(article.summary ?? '')),
    symbols,
    url: url === '' || url.length > MAX_URL_CHARS ? null : url,
  });
  return parsed.success
    ? { item: parsed.data }
    : { problem: `an article that is not valid news (${parsed.error.issues[0]?.message ?? 'invalid'})` };
}

function idText(id: number | bigint | string, raw?: string): string {
  return raw !== undefined && /^\d+$/.test(raw) ? raw : String(id);
}

function shapeProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  return `a message in an unexpected shape (${issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid'})`;
}

/** A news article of GET /v1beta1/news (one entry of its `news` array, unvalidated) as a NewsItem. */
export function newsItemFromRest(raw: unknown): NewsMapping {
  const parsed = AlpacaRestNewsSchema.safeParse(raw);
  if (!parsed.success) return { problem: shapeProblem(parsed.error) };
  const a = parsed.data;
  return toItem({
    id: idText(a.id),
    headline: a.headline,
    summary: a.summary,
    created: a.created_at,
    updated: a.updated_at,
    url: a.url,
    symbols: a.symbols,
    source: a.source,
  });
}

/** A news frame as the SDK's NewsStream delivers it (unvalidated) as a NewsItem. */
export function newsItemFromStream(payload: unknown): NewsMapping {
  const parsed = AlpacaStreamNewsSchema.safeParse(payload);
  if (!parsed.success) return { problem: shapeProblem(parsed.error) };
  const a = parsed.data;
  return toItem({
    id: idText(a.id, a.idRaw),
    headline: a.headline,
    summary: a.summary,
    created: a.createdAt,
    updated: a.updatedAt,
    url: a.url,
    symbols: a.symbols,
    source: a.source,
  });
}

/**
 * Counts dropped articles and warns once per kind of problem (the rest at debug), so a provider that
 * sends many bad messages of one kind does not flood the log.
 */
export class DroppedNews {
  private readonly warned = new Set<string>();
  /** Articles dropped so far. */
  count = 0;

  constructor(private readonly log: Logger) {}

  report(problem: string, where: 'stream' | 'history'): void {
    this.count++;
    const line = `Alpaca news: dropped ${problem} from the ${where === 'stream' ? 'news stream' : 'news history'}`;
    if (this.warned.has(problem)) {
      this.log.debug(line);
      return;
    }
    this.warned.add(problem);
    this.log.warn(`${line}; further ones of this kind are logged at debug level`);
  }
}
