/**
 * The sentiment training worker thread: trains one model (trainer.ts) on the tokenised texts it is sent,
 * posts progress per epoch, then the trained weights (transferred, not copied) or why it failed.
 */
import { parentPort } from 'node:worker_threads';
import { WEIGHT_NAMES } from './model';
import { trainSentiment } from './trainer';
import { ToWorkerSchema, type FromWorker } from './worker-protocol';

const port = parentPort;
if (port === null) throw new Error('sentiment train-worker runs as a worker thread');

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
    const { train, validation, config, pretrained } = parsed.data;
    try {
      const trained = await trainSentiment(train, validation, config, {
        ...(pretrained ? { pretrained } : {}),
        onProgress: (progress) => post({ type: 'progress', progress }),
      });
      const buffers = WEIGHT_NAMES.map((name) => trained.weights[name].buffer as ArrayBuffer);
      post({ type: 'done', trained }, buffers);
    } catch (error) {
      post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  })();
});
