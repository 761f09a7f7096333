/**
 * A symbol as the registry knows it (the store's symbols table, store/symbol-repository.ts): what an
 * import or a feed registers for each symbol it stores bars for.
 */
import type { SymbolInfo } from '../../shared/domain';
import type { CalendarId } from './calendar';

export interface SymbolRegistration {
  symbol: string;
  /** Display name; the symbol itself when nothing better is known. */
  name: string;
  kind: SymbolInfo['kind'];
  /** The session calendar it trades on (calendar.ts: the NYSE's, or around the clock). */
  calendar: CalendarId;
  /** Where its bars came from first: a file import, or the Alpaca feed. */
  source: 'import' | 'alpaca';
}
