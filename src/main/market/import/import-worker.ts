/**
 * The import worker thread: parses (and aggregates) the files the importer hands it, one after another
 * in the order sent, and posts batches of bars back, their columns transferred, not copied. It never touches the database: the thread that owns
 * the database writes. At most WORKER_CREDITS batches are in flight; then it waits for a credit, so a
 * slow disk write slows the parser instead of filling memory.
 */
import { parentPort } from 'node:worker_threads';
import { parseFile, type FileJob, type ParseEvent } from './file-parser';
import { WORKER_CREDITS, type FromWorker, type ToWorker } from './worker-protocol';

const port = parentPort;
if (port === null) throw new Error('import-worker runs as a worker thread');

let credits = WORKER_CREDITS;
let onCredit: (() => void) | null = null;
const jobs: { id: number; job: FileJob }[] = [];
let running = false;

const post = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

port.on('message', (message: ToWorker) => {
  if (message.type === 'credit') {
    credits++;
    const resume = onCredit;
    onCredit = null;
    resume?.();
  } else {
    jobs.push({ id: message.id, job: message.job });
    if (!running) void drain();
  }
});

function buffersOf(event: ParseEvent): ArrayBuffer[] {
  if (event.type !== 'batch') return [];
  const buffers: ArrayBuffer[] = [];
  for (const s of event.batch.series) {
    for (const column of [s.start, s.open, s.high, s.low, s.close, s.volume, s.vwap, s.tradeCount]) {
      if (column !== undefined) buffers.push(column.buffer as ArrayBuffer);
    }
  }
  return buffers;
}

async function drain(): Promise<void> {
  running = true;
  while (jobs.length > 0) {
    const { id, job } = jobs.shift()!;
    try {
      for (const event of parseFile(job)) {
        if (event.type === 'batch') {
          while (credits === 0) await new Promise<void>((resolve) => (onCredit = resolve));
          credits--;
        }
        post({ type: 'event', id, event }, buffersOf(event));
      }
      post({ type: 'end', id });
    } catch (error) {
      post({ type: 'failed', id, message: error instanceof Error ? error.message : String(error) });
    }
  }
  running = false;
}
