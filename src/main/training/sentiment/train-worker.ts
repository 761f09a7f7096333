/**
 * The sentiment training worker thread: trains one model (trainer.ts) on the tokenised texts it is sent,
 * posts progress per epoch, then the trained weights (transferred, not copied) or why it failed
 * (../worker-job.ts serves the request).
 */
import { serveWorkerJob } from '../worker-job';
import { WEIGHT_NAMES } from './model';
import { trainSentiment } from './trainer';
import { ToWorkerSchema, type FromWorker, type ToWorker } from './worker-protocol';

type Progress = Extract<FromWorker, { type: 'progress' }>['progress'];
type Done = Extract<FromWorker, { type: 'done' }>;

serveWorkerJob<ToWorker, Progress, Done>(
  'sentiment train-worker',
  ToWorkerSchema,
  async ({ train, validation, config, pretrained }, onProgress) => {
    const trained = await trainSentiment(train, validation, config, {
      ...(pretrained ? { pretrained } : {}),
      onProgress,
    });
    const buffers = WEIGHT_NAMES.map((name) => trained.weights[name].buffer as ArrayBuffer);
    return { done: { type: 'done', trained }, transfer: buffers };
  },
);
