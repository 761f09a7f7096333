/**
 * A TradingJournal in memory, for tests of brokers and the trading service: the same contract as the
 * SQLite journal (store/trading-journal.ts), copies in and out, so a test can "restart" a broker on the
 * same journal and see only what was recorded. `failNext` makes the next write throw, as a full disk would.
 */
import type { Fill } from '../../shared/domain';
import type {
  CashEntry,
  JournalChange,
  JournalOrder,
  JournalState,
  TradingJournal,
} from '../core/trading/journal';

interface AccountJournal {
  orders: Map<string, JournalOrder>;
  fills: Map<string, Fill>;
  cash: Map<string, CashEntry>;
}

export class MemoryJournal implements TradingJournal {
  private readonly accounts = new Map<string, AccountJournal>();
  /** Number of successful record() calls (each one a transaction). */
  writes = 0;
  private failing = false;

  failNext(): void {
    this.failing = true;
  }

  record(account: string, change: JournalChange): void {
    if (this.failing) {
      this.failing = false;
      throw new Error('disk I/O error (MemoryJournal.failNext)');
    }
    const journal = this.of(account);
    for (const order of change.orders ?? []) journal.orders.set(order.clientOrderId, { ...order });
    for (const fill of change.fills ?? [])
      if (!journal.fills.has(fill.id)) journal.fills.set(fill.id, { ...fill });
    for (const entry of change.cash ?? [])
      if (!journal.cash.has(entry.id)) journal.cash.set(entry.id, { ...entry });
    this.writes++;
  }

  load(account: string): JournalState {
    const journal = this.of(account);
    return {
      orders: [...journal.orders.values()].map((order) => ({ ...order })),
      fills: [...journal.fills.values()].map((fill) => ({ ...fill })),
      cash: [...journal.cash.values()].map((entry) => ({ ...entry })),
    };
  }

  orderByClientId(account: string, clientOrderId: string): JournalOrder | null {
    const order = this.of(account).orders.get(clientOrderId);
    return order ? { ...order } : null;
  }

  private of(account: string): AccountJournal {
    let journal = this.accounts.get(account);
    if (!journal) {
      journal = { orders: new Map(), fills: new Map(), cash: new Map() };
      this.accounts.set(account, journal);
    }
    return journal;
  }
}
