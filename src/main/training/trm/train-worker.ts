/**
 * The training worker thread: trains one TRM (trainer.ts) on the dataset it is sent, posts progress per
 * epoch, then the trained weights (transferred, not copied) or why it failed. Cancelling is the
 * caller's `terminate()`: training is synchronous wasm work between epochs' yields.
 */
import { parentPort } from 'node:worker_threads';
import { trainTrm, type TrainedTrm, type TrainedTrmData } from './trainer';
import { BUFFERS, TRAINABLE_WEIGHTS } from './weights';
import { ToWorkerSchema, type FromWorker } from './worker-protocol';

const port = parentPort;
if (port === null) throw new Error('train-worker runs as a worker thread');

const post = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

port.once('message', (raw: unknown) => {
  void (async () => {
    const parsed = ToWorkerSchema.safeParse(raw);
    if (!parsed.success) {
      post({
        type: 'failed',
        message: `the training worker got a malformed request: ${parsed.error.message}`,
      });
      return;
    }
    const { dataset, validation, config } = parsed.data;
    try {
      const trained = await trainTrm(dataset, validation, config, (progress) =>
        post({ type: 'progress', progress }),
      );
      const data: TrainedTrmData = { ...trained };
      delete (data as Partial<TrainedTrm>).predict;
      const buffers = [data.weights, data.rawWeights].flatMap((w) =>
        [...TRAINABLE_WEIGHTS, ...BUFFERS].map((name) => w[name].buffer as ArrayBuffer),
      );
      post({ type: 'done', trained: data }, buffers);
    } catch (error) {
      post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  })();
});
