/**
 * Workstation-wide settings that belong to no database: a small JSON file, `settings.json`, in the
 * data folder. It is validated on every read, because people edit it by hand: a value of the wrong
 * shape is reported and ignored (its default applies), never a crash.
 *
 * Broker keys are not here (see secrets.ts); nothing in this file is secret.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { EngineModeSchema, SymbolSchema } from '../../shared/domain';

/**
 * Alpaca's stock data feeds: `iex` (free: the IEX exchange only), `sip` (all US exchanges, paid) and
 * `delayed_sip` (all exchanges, 15 minutes late; free).
 */
export const ALPACA_FEEDS = ['iex', 'sip', 'delayed_sip'] as const;
export const AlpacaFeedNameSchema = z.enum(ALPACA_FEEDS);
export type AlpacaFeedName = z.infer<typeof AlpacaFeedNameSchema>;

const UrlSchema = z.string().url().max(500);

export const AlpacaSettingsSchema = z
  .object({
    feed: AlpacaFeedNameSchema.optional(),
    /** The symbols paper and live modes stream and keep (bars for all of them). */
    symbols: z.array(SymbolSchema).min(1).max(500).optional(),
    /** Market-data REST base, e.g. https://data.alpaca.markets. */
    dataUrl: UrlSchema.optional(),
    /** Base of the market-data and news streams, e.g. wss://stream.data.alpaca.markets. */
    streamUrl: UrlSchema.optional(),
    /** Trading REST base (its trade_updates stream is the same host at /stream). */
    tradingUrl: UrlSchema.optional(),
  })
  .strict();
export type AlpacaSettings = z.infer<typeof AlpacaSettingsSchema>;

export const AppSettingsSchema = z.object({
  /** The mode the desktop app starts in when its command line names none (default demo). */
  mode: EngineModeSchema.optional(),
  alpaca: AlpacaSettingsSchema.optional(),
});
export type AppSettings = z.infer<typeof AppSettingsSchema>;

export const APP_SETTINGS_FILE = 'settings.json';

/**
 * Reads `<dataDir>/settings.json`. Missing: `{}`. Unreadable, not JSON or of the wrong shape: `{}` after
 * `onProblem` is told what was wrong (with the file's path), so the defaults apply.
 */
export function readAppSettings(dataDir: string, onProblem: (message: string) => void): AppSettings {
  const file = join(dataDir, APP_SETTINGS_FILE);
  if (!existsSync(file)) return {};
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    onProblem(
      `${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}); using the defaults`,
    );
    return {};
  }
  const parsed = AppSettingsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`)
      .join('; ');
    onProblem(`${file} has settings of the wrong shape (${problems}); using the defaults`);
    return {};
  }
  return parsed.data;
}

/** Validates and writes the settings atomically (temporary file, then rename). Throws on a bad shape. */
export function writeAppSettings(dataDir: string, settings: AppSettings): void {
  const valid = AppSettingsSchema.parse(settings);
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, APP_SETTINGS_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(valid, null, 2)}\n`);
  renameSync(temporary, file);
}
