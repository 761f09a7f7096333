/**
 * The training worker thread: trains one TRM (trainer.ts) on the dataset it is sent, posts progress per
 * epoch, then the trained weights (transferred, not copied) or why it failed (../worker-job.ts serves
 * the request). Cancelling is the caller's `terminate()`: training is synchronous wasm work between
 * epochs' yields.
 */
import { serveWorkerJob } from '../worker-job';
import { trainTrm, type TrainedTrm, type TrainedTrmData } from './trainer';
import { BUFFERS, TRAINABLE_WEIGHTS } from './weights';
import { ToWorkerSchema, type FromWorker, type ToWorker } from './worker-protocol';

type Progress = Extract<FromWorker, { type: 'progress' }>['progress'];
type Done = Extract<FromWorker, { type: 'done' }>;

serveWorkerJob<ToWorker, Progress, Done>(
  'train-worker',
  ToWorkerSchema,
  async ({ dataset, validation, config }, onProgress) => {
    const trained = await trainTrm(dataset, validation, config, onProgress);
    const data: TrainedTrmData = { ...trained };
    delete (data as Partial<TrainedTrm>).predict;
    const buffers = [data.weights, data.rawWeights].flatMap((w) =>
      [...TRAINABLE_WEIGHTS, ...BUFFERS].map((name) => w[name].buffer as ArrayBuffer),
    );
    return { done: { type: 'done', trained: data }, transfer: buffers };
  },
);
