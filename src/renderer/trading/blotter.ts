/**
 * The blotter's lists: orders and fills as the engine reported them, kept newest first and unique,
 * with updates (`orders.changed`, `fills.new`) merged in as they arrive, and the whole reloaded after
 * each reconnect (changes sent while the link was down never arrived).
 *
 * Loading follows the listen-first rule of the other panels: the events are listened to before the
 * lists are asked, what arrives before the lists is held and merged on top of them, so an order that
 * changes while the lists are on their way is neither lost nor shown in an older state.
 */
import { TERMINAL_ORDER_STATUSES, type Fill, type Order } from '../../shared/domain';

/** The most orders and fills the blotter keeps (the newest); older ones are in `trm orders`. */
export const MAX_BLOTTER_ROWS = 500;

function isTerminal(order: Order): boolean {
  return TERMINAL_ORDER_STATUSES.includes(order.status);
}

/**
 * How two reports of one order are ordered: `'sent'` when `incoming` was sent after `held` (the events of
 * one connection arrive in the order the engine sent them), `'unknown'` when not (the lists asked at load
 * against the events heard while they were on their way).
 */
export type ReportOrder = 'sent' | 'unknown';

/**
 * Whether `incoming` is news about an order held as `held`. A working state never replaces a terminal one
 * (a finished order cannot come back to life), and a terminal one always replaces a working one. Otherwise
 * a report sent later wins; of two whose order is unknown, the one with more filled, then the later
 * `updatedAt`. `updatedAt` alone cannot order them: it is market time, and after a replay moves back in time
 * the cancel of an order carries an earlier time than the order's last report.
 */
function supersedes(held: Order, incoming: Order, order: ReportOrder): boolean {
  if (isTerminal(held) !== isTerminal(incoming)) return isTerminal(incoming);
  if (order === 'sent') return true;
  if (incoming.filledQty !== held.filledQty) return incoming.filledQty > held.filledQty;
  return incoming.updatedAt >= held.updatedAt;
}

function newestFirst(a: Order, b: Order): number {
  return b.submittedAt - a.submittedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/**
 * `held` with `updates` applied one after the other (by order id; see `supersedes`: `order` says whether
 * the updates were sent after what is held), newest submitted first, at most `max` (working orders are
 * kept before older finished ones are dropped).
 */
export function mergeOrders(
  held: readonly Order[],
  updates: readonly Order[],
  max = MAX_BLOTTER_ROWS,
  order: ReportOrder = 'sent',
): Order[] {
  if (updates.length === 0) return held as Order[];
  const byId = new Map(held.map((o) => [o.id, o]));
  for (const update of updates) {
    const current = byId.get(update.id);
    if (current === undefined || supersedes(current, update, order)) byId.set(update.id, update);
  }
  const all = [...byId.values()].sort(newestFirst);
  if (all.length <= max) return all;
  const working = all.filter((order) => !isTerminal(order));
  const room = Math.max(0, max - working.length);
  const kept = new Set([...working, ...all.filter(isTerminal).slice(0, room)]);
  return all.filter((order) => kept.has(order));
}

/** `held` with `incoming` fills added (unique by id), newest first, at most `max`. */
export function mergeFills(held: readonly Fill[], incoming: readonly Fill[], max = MAX_BLOTTER_ROWS): Fill[] {
  if (incoming.length === 0) return held as Fill[];
  const byId = new Map(held.map((fill) => [fill.id, fill]));
  for (const fill of incoming) byId.set(fill.id, fill);
  return [...byId.values()]
    .sort((a, b) => b.time - a.time || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .slice(0, max);
}

/** Working orders (cancellable or on their way) and the finished ones, each newest first. */
export function splitOrders(orders: readonly Order[]): { working: Order[]; history: Order[] } {
  const working: Order[] = [];
  const history: Order[] = [];
  for (const order of orders) (isTerminal(order) ? history : working).push(order);
  return { working, history };
}

/** Whether the trader may ask to cancel this order now (working, not already being cancelled). */
export function canCancel(order: Order): boolean {
  return order.status === 'new' || order.status === 'partially_filled' || order.status === 'pending_new';
}

/**
 * The blotter's state through one link epoch: what the lists said, plus what arrived meanwhile.
 * `epoch` is the link epoch the state belongs to: a reconnect starts a new load and drops the old lists.
 */
export interface BlotterState {
  epoch: number;
  /** Whether the lists of this epoch arrived. */
  loaded: boolean;
  orders: readonly Order[];
  fills: readonly Fill[];
  /** Why the lists could not be read (the engine's words), or null. */
  error: string | null;
  /** Updates heard before the lists arrived, merged on top of them when they do. */
  earlyOrders: readonly Order[];
  earlyFills: readonly Fill[];
}

export const EMPTY_BLOTTER: BlotterState = {
  epoch: 0,
  loaded: false,
  orders: [],
  fills: [],
  error: null,
  earlyOrders: [],
  earlyFills: [],
};

export type BlotterAction =
  /** The link (re)opened: listen again, then ask for the lists. What was held stays until they come. */
  | { kind: 'reload'; epoch: number }
  | { kind: 'orders'; epoch: number; orders: readonly Order[] }
  | { kind: 'fills'; epoch: number; fills: readonly Fill[] }
  | { kind: 'loaded'; epoch: number; orders: readonly Order[]; fills: readonly Fill[] }
  | { kind: 'failed'; epoch: number; error: string };

/** The blotter after one action; actions of another epoch than the current one are stale and ignored. */
export function blotterReducer(state: BlotterState, action: BlotterAction): BlotterState {
  if (action.kind === 'reload') {
    if (action.epoch === state.epoch) return state;
    // Keep the rows on screen (a reload never blanks the blotter); the lists replace them.
    return { ...state, epoch: action.epoch, loaded: false, error: null, earlyOrders: [], earlyFills: [] };
  }
  if (action.epoch !== state.epoch) return state;
  switch (action.kind) {
    case 'orders':
      return state.loaded
        ? { ...state, orders: mergeOrders(state.orders, action.orders) }
        : { ...state, earlyOrders: [...state.earlyOrders, ...action.orders] };
    case 'fills':
      return state.loaded
        ? { ...state, fills: mergeFills(state.fills, action.fills) }
        : { ...state, earlyFills: [...state.earlyFills, ...action.fills] };
    case 'loaded':
      return {
        ...state,
        loaded: true,
        error: null,
        // The lists (two answers) and the events heard meanwhile: which was sent last is not known.
        orders: mergeOrders(
          mergeOrders([], action.orders, MAX_BLOTTER_ROWS, 'unknown'),
          mergeOrders([], state.earlyOrders),
          MAX_BLOTTER_ROWS,
          'unknown',
        ),
        fills: mergeFills(mergeFills([], action.fills), state.earlyFills),
        earlyOrders: [],
        earlyFills: [],
      };
    case 'failed':
      return {
        ...state,
        loaded: true,
        error: action.error,
        orders: [],
        fills: [],
        earlyOrders: [],
        earlyFills: [],
      };
  }
}
