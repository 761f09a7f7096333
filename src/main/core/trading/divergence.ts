/**
 * The demo-versus-paper divergence report: the same orders, run through the demo broker (the core fill
 * model against the feed) and through an Alpaca paper account over the same minutes, compared order by
 * order (matched by client order id) on what a trader cares about: the price got, when, and in how many
 * pieces. It measures how far the demo broker's fills are from a real (paper) execution venue.
 *
 * Sign convention: `priceEdgeBps` is how much better the demo's average price was for the trader than
 * the paper account's, in basis points of the paper price (buy: (paper − demo) / paper; sell: (demo −
 * paper) / paper). Positive means the demo is optimistic; a fill model that flatters the trader shows a
 * positive mean. `delayMs` is the demo's first fill time minus the paper account's (positive: the demo
 * filled later).
 *
 * Pure: no clock, no I/O. Units: shares, dollars, basis points, epoch ms.
 */
import type { Fill, Order } from '../../../shared/domain/trading';

/** One side's execution of an order. */
export interface Execution {
  status: Order['status'];
  qty: number;
  filledQty: number;
  avgFillPrice: number | null;
  fills: number;
  firstFillAt: number | null;
  lastFillAt: number | null;
}

export interface DivergenceRow {
  clientOrderId: string;
  symbol: string;
  side: Order['side'];
  type: Order['type'];
  submittedAt: number;
  demo: Execution;
  paper: Execution;
  /** Demo's price advantage over paper, bps (see the module comment); null unless both filled something. */
  priceEdgeBps: number | null;
  /** Demo's first fill minus paper's first fill, ms; null unless both filled something. */
  delayMs: number | null;
}

export interface DivergenceSummary {
  /** Orders found in both journals. */
  matched: number;
  /** Orders only one side knows (e.g. refused by the paper account, or placed before the shadow started). */
  unmatched: number;
  /** Both sides filled at least one share. */
  bothFilled: number;
  /** Filled (any part) on one side only. */
  filledDemoOnly: number;
  filledPaperOnly: number;
  /** Orders that took more than one fill. */
  partialDemo: number;
  partialPaper: number;
  /** Over orders both filled: mean signed edge, mean and 90th percentile of |edge|, bps. */
  meanEdgeBps: number | null;
  meanAbsEdgeBps: number | null;
  p90AbsEdgeBps: number | null;
  /** Over orders both filled: median delay, ms. */
  medianDelayMs: number | null;
  /** Σ filled shares on each side over matched orders. */
  filledSharesDemo: number;
  filledSharesPaper: number;
}

export interface DivergenceReport {
  rows: DivergenceRow[];
  summary: DivergenceSummary;
}

function execution(order: Order, fills: readonly Fill[]): Execution {
  const own = fills.filter((fill) => fill.clientOrderId === order.clientOrderId);
  const times = own.map((fill) => fill.time);
  return {
    status: order.status,
    qty: order.qty,
    filledQty: order.filledQty,
    avgFillPrice: order.avgFillPrice,
    fills: own.length,
    firstFillAt: times.length > 0 ? Math.min(...times) : null,
    lastFillAt: times.length > 0 ? Math.max(...times) : null,
  };
}

/** The p-quantile (0..1) of `values` by linear interpolation between order statistics (type 7, as numpy's default). */
export function quantile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * p;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0) / values.length;
}

/**
 * Compares the demo journal's orders and fills with the paper account's, matched by client order id.
 * Rows come in the paper side's submit order.
 */
export function compareExecutions(
  demo: { orders: readonly Order[]; fills: readonly Fill[] },
  paper: { orders: readonly Order[]; fills: readonly Fill[] },
): DivergenceReport {
  const demoById = new Map(demo.orders.map((order) => [order.clientOrderId, order]));
  const paperIds = new Set(paper.orders.map((order) => order.clientOrderId));
  const rows: DivergenceRow[] = [];
  for (const paperOrder of [...paper.orders].sort((a, b) => a.submittedAt - b.submittedAt)) {
    const demoOrder = demoById.get(paperOrder.clientOrderId);
    if (demoOrder === undefined) continue;
    const d = execution(demoOrder, demo.fills);
    const p = execution(paperOrder, paper.fills);
    let priceEdgeBps: number | null = null;
    let delayMs: number | null = null;
    if (d.avgFillPrice !== null && p.avgFillPrice !== null && d.filledQty > 0 && p.filledQty > 0) {
      const edge =
        paperOrder.side === 'buy' ? p.avgFillPrice - d.avgFillPrice : d.avgFillPrice - p.avgFillPrice;
      priceEdgeBps = (edge / p.avgFillPrice) * 10_000;
      if (d.firstFillAt !== null && p.firstFillAt !== null) delayMs = d.firstFillAt - p.firstFillAt;
    }
    rows.push({
      clientOrderId: paperOrder.clientOrderId,
      symbol: paperOrder.symbol,
      side: paperOrder.side,
      type: paperOrder.type,
      submittedAt: paperOrder.submittedAt,
      demo: d,
      paper: p,
      priceEdgeBps,
      delayMs,
    });
  }
  const both = rows.filter((row) => row.priceEdgeBps !== null);
  const edges = both.map((row) => row.priceEdgeBps!);
  const absEdges = edges.map(Math.abs);
  const delays = both.flatMap((row) => (row.delayMs === null ? [] : [row.delayMs]));
  const unmatched =
    demo.orders.filter((order) => !paperIds.has(order.clientOrderId)).length +
    paper.orders.filter((order) => !demoById.has(order.clientOrderId)).length;
  return {
    rows,
    summary: {
      matched: rows.length,
      unmatched,
      bothFilled: both.length,
      filledDemoOnly: rows.filter((row) => row.demo.filledQty > 0 && row.paper.filledQty === 0).length,
      filledPaperOnly: rows.filter((row) => row.paper.filledQty > 0 && row.demo.filledQty === 0).length,
      partialDemo: rows.filter((row) => row.demo.fills > 1).length,
      partialPaper: rows.filter((row) => row.paper.fills > 1).length,
      meanEdgeBps: mean(edges),
      meanAbsEdgeBps: mean(absEdges),
      p90AbsEdgeBps: quantile(absEdges, 0.9),
      medianDelayMs: quantile(delays, 0.5),
      filledSharesDemo: rows.reduce((sum, row) => sum + row.demo.filledQty, 0),
      filledSharesPaper: rows.reduce((sum, row) => sum + row.paper.filledQty, 0),
    },
  };
}

function fixed(value: number | null, digits: number, unit = ''): string {
  return value === null ? '–' : `${value.toFixed(digits)}${unit}`;
}

/** The report as aligned text: one line per order, then the summary lines. */
export function formatDivergenceReport(report: DivergenceReport): string {
  const header = [
    'order',
    'symbol',
    'side',
    'type',
    'demo fill',
    'paper fill',
    'edge bps',
    'delay s',
    'fills d/p',
  ];
  const lines = report.rows.map((row) => [
    row.clientOrderId.slice(0, 18),
    row.symbol,
    row.side,
    row.type,
    `${row.demo.filledQty}/${row.demo.qty} @ ${fixed(row.demo.avgFillPrice, 4)}`,
    `${row.paper.filledQty}/${row.paper.qty} @ ${fixed(row.paper.avgFillPrice, 4)}`,
    fixed(row.priceEdgeBps, 2),
    fixed(row.delayMs === null ? null : row.delayMs / 1000, 1),
    `${row.demo.fills}/${row.paper.fills}`,
  ]);
  const table = [header, ...lines];
  const widths = header.map((_, i) => Math.max(...table.map((cells) => cells[i]!.length)));
  const text = table.map((cells) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  const s = report.summary;
  text.push(
    '',
    `matched orders: ${s.matched} (unmatched ${s.unmatched}); both filled: ${s.bothFilled}; ` +
      `filled on demo only: ${s.filledDemoOnly}; on paper only: ${s.filledPaperOnly}`,
    `price edge of the demo over paper: mean ${fixed(s.meanEdgeBps, 2, ' bps')}, ` +
      `mean |edge| ${fixed(s.meanAbsEdgeBps, 2, ' bps')}, p90 |edge| ${fixed(s.p90AbsEdgeBps, 2, ' bps')}`,
    `first-fill delay of the demo after paper: median ${fixed(s.medianDelayMs === null ? null : s.medianDelayMs / 1000, 1, ' s')}`,
    `orders filled in more than one piece: demo ${s.partialDemo}, paper ${s.partialPaper}; ` +
      `shares filled: demo ${s.filledSharesDemo}, paper ${s.filledSharesPaper}`,
  );
  return text.join('\n');
}
