/**
 * Child process for the trading journal's crash test: journals numbered changes as fast as it can until
 * it is killed. Change n is order `c-n` (filled) with its fill `f-n`, in one record() call. `committed n`
 * is printed with a synchronous write only after record() returned, as a broker announces a change.
 */
import { writeSync } from 'node:fs';
import { sampleFill, sampleOrder } from '../../../shared/test-support/sample-trading';
import { openStore } from '../store';

const [path] = process.argv.slice(2);
if (!path) throw new Error('usage: journal-writer.ts <db path>');
const store = openStore(path);
const T0 = Date.UTC(2024, 0, 2, 14, 30);
const filled = { qty: 1, status: 'filled', filledQty: 1, avgFillPrice: 100 } as const;
writeSync(1, 'ready\n');

for (let n = 0; ; n++) {
  const time = T0 + n;
  const ids = { id: `demo-${n}`, clientOrderId: `c-${n}` };
  store.trading.record('demo', {
    orders: [
      { ...sampleOrder({ ...ids, ...filled, submittedAt: time, updatedAt: time }), stopTriggered: false },
    ],
    fills: [sampleFill({ id: `f-${n}`, orderId: ids.id, clientOrderId: ids.clientOrderId, qty: 1, time })],
  });
  writeSync(1, `committed ${n}\n`);
}
