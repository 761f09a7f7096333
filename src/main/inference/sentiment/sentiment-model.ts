/**
 * Loads a Hugging Face text-classification folder (ours, FinBERT, a Twitter RoBERTa: any with
 * negative/neutral/positive labels) as the engine's SentimentScorer, through @huggingface/transformers
 * over the one onnxruntime-node: AutoTokenizer + AutoModelForSequenceClassification called directly
 * (padding, truncation to the tokenizer's `model_max_length`), softmax of the logits mapped by label
 * NAME to SENTIMENT_LABELS. CUDA is asked for first and CPU used when it cannot be had.
 */
import {
  AutoModelForSequenceClassification,
  AutoTokenizer,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Tensor,
} from '@huggingface/transformers';
import type { Sentiment, SentimentModelInfo } from '../../../shared/domain';
import type { Logger } from '../../platform/log';
import { cudaPrecheck } from '../onnx-runtime';
import { SentimentModelError } from './errors';
import { emptyTextSentiment, sentimentOfLogits, sentimentOrderOf } from './label-mapping';
import { checkModelFolder, type ModelFolder } from './model-folder';
import { cleanText } from './text-cleaning';
import { useLocalModelsOnly } from './transformers-env';

export interface SentimentLoadOptions {
  log: Logger;
  /** 'auto' (default): CUDA when it works, else CPU; 'cuda' fails without CUDA; 'cpu' never tries CUDA. */
  device?: 'auto' | 'cpu' | 'cuda';
  /** Texts per ONNX run; default 32. */
  batchSize?: number;
  /** Registry name shown in the log and `info` (default: the folder's name). */
  name?: string;
}

/** Structurally the engine's SentimentScorer (engine/ports.ts). */
export interface LoadedSentimentModel {
  readonly info: SentimentModelInfo;
  readonly folder: ModelFolder;
  score(texts: readonly string[]): Promise<Sentiment[]>;
  close(): Promise<void>;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.trim().slice(0, 300);
}

/** Why CUDA failed in this process, once known (a second model does not try again). */
let cudaFailure: string | null = null;

async function openModel(
  folder: ModelFolder,
  device: 'auto' | 'cpu' | 'cuda',
  log: Logger,
): Promise<{ model: PreTrainedModel; provider: 'cuda' | 'cpu' }> {
  const label = `sentiment model ${folder.name} ${folder.version}`;
  const load = async (on: 'cuda' | 'cpu'): Promise<PreTrainedModel> => {
    try {
      return await AutoModelForSequenceClassification.from_pretrained(folder.dir, {
        device: on,
        dtype: 'fp32',
        local_files_only: true,
      });
    } catch (error) {
      throw new SentimentModelError(
        `${folder.onnxFile} cannot be loaded on ${on.toUpperCase()} (${firstLine(error)}); ` +
          'the file may be corrupt or incomplete: copy the folder again or run trm models fetch',
        { cause: error },
      );
    }
  };
  let reason = 'not requested';
  if (device !== 'cpu') {
    reason = cudaFailure ?? cudaPrecheck() ?? '';
    if (reason === '') {
      try {
        const model = await load('cuda');
        log.info(`${label} runs on CUDA`);
        return { model, provider: 'cuda' };
      } catch (error) {
        reason = firstLine((error as Error).cause ?? error);
        cudaFailure = reason;
      }
    }
    if (device === 'cuda') throw new SentimentModelError(`${label} cannot run on CUDA: ${reason}`);
  }
  const model = await load('cpu');
  log.info(
    `${label} runs on CPU (${device === 'cpu' ? 'CUDA not requested' : `CUDA provider unavailable: ${reason}`})`,
  );
  return { model, provider: 'cpu' };
}

/**
 * Loads the folder `dir` fully offline and warms it (one run), so the first real batch does not pay for
 * ONNX Runtime's lazy initialisation. Logs exactly one line saying which provider runs.
 * @throws SentimentModelError naming the file when the folder is incomplete or unusable (see
 *   checkModelFolder), its labels are not negative/neutral/positive by name, or ONNX Runtime cannot load
 *   onnx/model.onnx (its own error included).
 */
export async function loadSentimentModel(
  dir: string,
  options: SentimentLoadOptions,
): Promise<LoadedSentimentModel> {
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batchSize must be a whole number of at least 1, not ${batchSize}`);
  const folder = checkModelFolder(dir, options.name);
  let order: number[];
  try {
    order = sentimentOrderOf(folder.id2label);
  } catch (error) {
    throw new SentimentModelError(`${dir}/config.json: ${(error as Error).message}`, { cause: error });
  }
  useLocalModelsOnly();
  let tokenizer: PreTrainedTokenizer;
  try {
    tokenizer = await AutoTokenizer.from_pretrained(dir, { local_files_only: true });
  } catch (error) {
    throw new SentimentModelError(
      `${dir}/tokenizer.json cannot be read as a tokenizer (${firstLine(error)}); copy the folder again`,
      { cause: error },
    );
  }
  const { model, provider } = await openModel(folder, options.device ?? 'auto', options.log);
  const maxTokens = folder.maxTokens;

  const runBatch = async (texts: string[]): Promise<Sentiment[]> => {
    const inputs = tokenizer(texts, { padding: true, truncation: true, max_length: maxTokens });
    const output = (await model(inputs)) as { logits: Tensor };
    const logits = output.logits.data as Float32Array;
    const width = output.logits.dims[1]!;
    if (width !== order.length)
      throw new Error(
        `${folder.onnxFile} gives ${width} logits per text but config.json names ${order.length}`,
      );
    return texts.map((_, i) => sentimentOfLogits(logits, i * width, order));
  };

  // ONNX runs one after another: callers may overlap, and order within each call is kept.
  let queue: Promise<unknown> = Promise.resolve();
  const score = (texts: readonly string[]): Promise<Sentiment[]> => {
    const run = queue.then(async () => {
      const out = new Array<Sentiment>(texts.length);
      const pending: { index: number; text: string }[] = [];
      texts.forEach((text, index) => {
        const clean = cleanText(text, maxTokens);
        if (clean === '') out[index] = emptyTextSentiment();
        else pending.push({ index, text: clean });
      });
      // Texts of similar length share a batch, so little of each batch is padding (a batch is padded
      // to its longest text); results go back to their callers' order by index.
      if (pending.length > batchSize) pending.sort((a, b) => a.text.length - b.text.length);
      for (let start = 0; start < pending.length; start += batchSize) {
        const batch = pending.slice(start, start + batchSize);
        const scored = await runBatch(batch.map((p) => p.text));
        batch.forEach((p, i) => (out[p.index] = scored[i]!));
      }
      return out;
    });
    queue = run.catch(() => undefined);
    return run;
  };

  await runBatch(['warm up']);
  return {
    info: {
      name: folder.name,
      version: folder.version,
      provider,
      labels: folder.labels,
      maxTokens,
    },
    folder,
    score,
    close: async () => {
      await queue;
      await model.dispose();
    },
  };
}
