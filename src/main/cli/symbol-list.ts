/**
 * The `--symbols` option of web, feed and backfill. Checked when the command runs (see `parseLoaded`):
 * the symbol schema loads zod, which the commands' definitions keep off every `trm` start.
 */
import { parseSymbols } from '../market/alpaca/config';
import { OptionError } from './options';

/** A comma-separated symbol list, e.g. "SPY,QQQ" (upper-cased). */
export function parseSymbolList(text: string): string[] {
  try {
    return parseSymbols(text.split(','), '--symbols');
  } catch (error) {
    throw new OptionError(error instanceof Error ? error.message : String(error));
  }
}
