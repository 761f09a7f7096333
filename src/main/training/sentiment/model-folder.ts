/**
 * Writes the sentiment model folder in the Hugging Face layout that @huggingface/transformers loads
 * offline (like a FinBERT export): config.json (model_type "bert", BertForSequenceClassification,
 * id2label/label2id), tokenizer.json, tokenizer_config.json, onnx/model.onnx; and beside them
 * manifest.json (version, data, seed, configuration, files with SHA-256), evaluation.json and
 * MODEL_CARD.md. Each file goes to a temporary name and is renamed over the old one; the manifest last.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SENTIMENT_LABELS } from '../../../shared/domain';
import type { SentimentModelShape, SentimentWeights } from './model';
import { exportSentimentOnnx, SENTIMENT_IO } from './onnx-export';
import type { TokenizerConfig, TokenizerJson } from './tokenizer';

export const SENTIMENT_MODEL_FORMAT = 'trm-sentiment/1';

export interface SentimentManifest {
  format: typeof SENTIMENT_MODEL_FORMAT;
  /** sent-YYYYMMDD-<first 6 hex of the SHA-256 of model.onnx>. */
  version: string;
  createdAt: string;
  labels: string[];
  maxTokens: number;
  architecture: Record<string, unknown>;
  io: typeof SENTIMENT_IO;
  training: Record<string, unknown>;
  files: { path: string; bytes: number; sha256: string }[];
}

export interface SentimentFolderInput {
  shape: SentimentModelShape;
  weights: SentimentWeights;
  tokenizer: TokenizerJson;
  tokenizerConfig: TokenizerConfig;
  /** manifest.json's `architecture` and `training` (data, rows, seed, configuration). */
  architecture: Record<string, unknown>;
  training: Record<string, unknown>;
  /** evaluation.json (without its version, added here). */
  evaluation: Record<string, unknown>;
  /** MODEL_CARD.md from the version and the bytes of the folder's other files. */
  modelCard: (version: string, bytes: number) => string;
  /** ISO 8601; default now. Its UTC day names the version. */
  createdAt?: string;
}

/** What the graph computes, in one line (config.json's trm_architecture, manifest.json). */
export function describeArchitecture(shape: SentimentModelShape): string {
  const parts = [`word embeddings ${shape.vocabSize}×${shape.dim} (attention pooling)`];
  if (shape.bigramBuckets > 0)
    parts.push(`hashed bigrams ${shape.bigramBuckets}×${shape.bigramDim} (attention pooling)`);
  if (shape.convFilters > 0)
    parts.push(`1-D convolution, ${shape.convFilters} filters of 3 words (max pooling)`);
  const wide = shape.wide ? ' + TF-IDF logistic regression over words and bigram buckets' : '';
  return `${parts.join(' + ')} → ReLU ${shape.hidden} → 3 logits${wide}`;
}

/** config.json of the folder: what transformers.js needs to pick the BERT sequence-classification path. */
export function sentimentConfigJson(shape: SentimentModelShape, maxTokens: number): Record<string, unknown> {
  const id2label = Object.fromEntries(SENTIMENT_LABELS.map((label, i) => [String(i), label]));
  const label2id = Object.fromEntries(SENTIMENT_LABELS.map((label, i) => [label, i]));
  return {
    model_type: 'bert',
    architectures: ['BertForSequenceClassification'],
    problem_type: 'single_label_classification',
    num_labels: SENTIMENT_LABELS.length,
    id2label,
    label2id,
    vocab_size: shape.vocabSize,
    max_position_embeddings: maxTokens,
    pad_token_id: 0,
    // Not a transformer: the fields above are what loaders read; this says what the graph really is.
    trm_architecture: describeArchitecture(shape),
  };
}

const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

/**
 * Exports and writes the folder; resolves with the manifest written.
 * @throws Error when the weights do not fit the shape (before anything is written).
 */
export async function writeSentimentFolder(
  dir: string,
  input: SentimentFolderInput,
): Promise<SentimentManifest> {
  const onnx = exportSentimentOnnx(input.weights, input.shape);
  const createdAt = input.createdAt ?? new Date().toISOString();
  const version = `sent-${createdAt.slice(0, 10).replaceAll('-', '')}-${sha256(onnx).slice(0, 6)}`;
  const maxTokens = input.tokenizerConfig.model_max_length;
  const files: [string, Uint8Array | string][] = [
    ['config.json', json(sentimentConfigJson(input.shape, maxTokens))],
    ['tokenizer.json', json(input.tokenizer)],
    ['tokenizer_config.json', json(input.tokenizerConfig)],
    ['onnx/model.onnx', onnx],
    ['evaluation.json', json({ version, ...input.evaluation })],
  ];
  const bytes = files.reduce(
    (sum, [, data]) => sum + (typeof data === 'string' ? Buffer.byteLength(data) : data.length),
    0,
  );
  files.push(['MODEL_CARD.md', input.modelCard(version, bytes)]);
  const manifest: SentimentManifest = {
    format: SENTIMENT_MODEL_FORMAT,
    version,
    createdAt,
    labels: [...SENTIMENT_LABELS],
    maxTokens,
    architecture: input.architecture,
    io: SENTIMENT_IO,
    training: input.training,
    files: files.map(([path, data]) => ({
      path,
      bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.length,
      sha256: sha256(data),
    })),
  };
  await mkdir(join(dir, 'onnx'), { recursive: true });
  for (const [path, data] of files) await replaceFile(join(dir, path), data);
  await replaceFile(join(dir, 'manifest.json'), json(manifest));
  return manifest;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 1)}\n`;
}

async function replaceFile(file: string, data: Uint8Array | string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}
