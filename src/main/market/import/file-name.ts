/**
 * What a file's name says about its contents: the symbol (always taken from the name) and, where the
 * name carries one, the bar timeframe (a hint the data's own spacing is checked against).
 *
 *   spy.csv -> SPY          spy.us.txt -> SPY (Stooq's country suffix)   vix.cboe.csv -> VIX
 *   SPY_1min.csv -> SPY, 1m   SPY_1min_extended_2024.csv -> SPY, 1m   BTCUSDT_5m.csv -> BTCUSDT, 5m
 *   BRK.B.csv -> BRK.B       BTC-USD_1d.csv -> BTC-USD, 1D
 */
import { SYMBOL_PATTERN } from '../../../shared/domain/timeframes';

export type ImportTimeframe = '1m' | '5m' | '1D';

export interface NameHints {
  /** The symbol, or null when the name does not start with one. */
  symbol: string | null;
  /** The timeframe the name mentions, or null. */
  timeframe: ImportTimeframe | null;
}

/** File extensions of text tables; stripped from the name. */
const EXTENSIONS = /\.(csv|txt|tsv|dat)$/i;
/** Trailing name parts that say where a file came from, not what it holds (spy.us.txt, vix.cboe.csv). */
const SOURCE_TAGS = new Set([
  'us',
  'uk',
  'de',
  'jp',
  'hk',
  'cboe',
  'yahoo',
  'stooq',
  'nyse',
  'nasdaq',
  'arca',
]);
const TIMEFRAME_WORDS: Record<string, ImportTimeframe> = {
  '1min': '1m',
  '1m': '1m',
  m1: '1m',
  '1minute': '1m',
  minute: '1m',
  '5min': '5m',
  '5m': '5m',
  m5: '5m',
  '5minute': '5m',
  '1d': '1D',
  d1: '1D',
  '1day': '1D',
  day: '1D',
  daily: '1D',
  eod: '1D',
};

/** Symbol and timeframe hint from a file name (a base name or a path; folders are ignored). */
export function hintsFromFileName(fileName: string): NameHints {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const stem = base.replace(EXTENSIONS, '');
  const [head = '', ...rest] = stem.split(/[_ ]+/);
  const dotted = head.split('.');
  while (dotted.length > 1 && SOURCE_TAGS.has(dotted.at(-1)!.toLowerCase())) dotted.pop();
  const candidate = dotted.join('.').toUpperCase();
  const symbol = SYMBOL_PATTERN.test(candidate) ? candidate : null;

  let timeframe: ImportTimeframe | null = null;
  for (const word of rest.flatMap((part) => part.toLowerCase().split(/[-.]/))) {
    const found = TIMEFRAME_WORDS[word];
    if (found !== undefined) {
      timeframe = found;
      break;
    }
  }
  return { symbol, timeframe };
}
