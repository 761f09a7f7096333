/**
 * Child process for the crash-safety test: writes numbered batches of bars as fast as it can until it is
 * killed. Batch n holds the bars with start in [n * size, (n + 1) * size). `committed n` is printed with
 * a synchronous write only after the batch's transaction returned, so every reported batch is durable.
 */
import { writeSync } from 'node:fs';
import type { Bar } from '../../../shared/domain';
import { openStore } from '../store';

const [path, sizeArg] = process.argv.slice(2);
if (!path || !sizeArg) throw new Error('usage: crash-writer.ts <db path> <bars per batch>');
const size = Number(sizeArg);
const store = openStore(path);
writeSync(1, 'ready\n');

for (let n = 0; ; n++) {
  const batch: Bar[] = [];
  for (let i = 0; i < size; i++) {
    const price = 100 + ((n * size + i) % 97) / 10;
    batch.push({
      symbol: 'CRASH',
      timeframe: '1m',
      start: n * size + i,
      open: price,
      high: price + 0.5,
      low: price - 0.5,
      close: price + 0.1,
      volume: 1000 + i,
      closed: true,
    });
  }
  store.bars.upsert(batch);
  writeSync(1, `committed ${n}\n`);
}
