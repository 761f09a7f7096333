import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoModelForSequenceClassification, AutoTokenizer, env, pipeline } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLabelledTexts } from './generated-texts';
import { predictLogits, type SentimentWeights } from './model';
import { writeSentimentFolder, type SentimentManifest } from './model-folder';
import { decodeModel } from '../trm/onnx-proto';
import {
  buildTokenizerConfig,
  buildTokenizerJson,
  buildVocabulary,
  encodeTexts,
  loadTokenizer,
  SPECIAL_TOKENS,
} from './tokenizer';
import { fitWidePath, withWidePath } from './wide-path';
import { DEFAULT_TRAIN_CONFIG, trainSentiment, type SentimentTrainConfig } from './trainer';

const dir = mkdtempSync(join(tmpdir(), 'sentiment-folder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let config: SentimentTrainConfig;
let weights: SentimentWeights;
let manifest: SentimentManifest;
let texts: string[];
let tokens: number[][];

beforeAll(async () => {
  const data = generateLabelledTexts(450, 21);
  const vocabulary = buildVocabulary(data.texts);
  const json = buildTokenizerJson(vocabulary);
  const tokenizerConfig = buildTokenizerConfig(48);
  const tokenizer = loadTokenizer(json, tokenizerConfig);
  config = {
    ...DEFAULT_TRAIN_CONFIG,
    vocabSize: SPECIAL_TOKENS.length + vocabulary.length,
    dim: 16,
    bigramBuckets: 512,
    bigramDim: 8,
    hidden: 16,
    convFilters: 8,
    wide: true,
    epochs: 6,
    batchSize: 32,
    learningRate: 0.01,
  };
  const all = { tokens: encodeTexts(tokenizer, data.texts), labels: Int8Array.from(data.labels) };
  const trained = await trainSentiment(all, all, config);
  // The wide path at weight 1 whatever validation chose, so parity covers its idf-scaled graph too.
  weights = withWidePath(trained.weights, fitWidePath(all, all, config), 1);
  expect(weights.wideBigramScale.some((v) => v !== 1)).toBe(true);
  manifest = await writeSentimentFolder(dir, {
    shape: config,
    weights,
    tokenizer: json,
    tokenizerConfig,
    architecture: { kind: 'test' },
    training: { rows: 450 },
    evaluation: { note: 'test' },
    modelCard: (version) => `# ${version}\n`,
    createdAt: '2026-11-30T12:00:00.000Z',
  });
  // 50 texts of mixed lengths (padding in a batch of 32 is real), some with unknown words.
  texts = generateLabelledTexts(50, 99).texts.map((t, i) =>
    i % 3 === 0
      ? `${t} and then some unknown zebra words 🚀 https://t.co/x`
      : i % 5 === 0
        ? t.split(' ')[0]!
        : t,
  );
  tokens = encodeTexts(tokenizer, texts);
  env.allowRemoteModels = false;
}, 60_000);

describe('sentiment model folder', () => {
  it('holds the Hugging Face layout and a manifest whose hashes match the files', () => {
    for (const file of [
      'config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'onnx/model.onnx',
      'manifest.json',
      'evaluation.json',
      'MODEL_CARD.md',
    ])
      expect(existsSync(join(dir, file)), file).toBe(true);
    const configJson = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(configJson['model_type']).toBe('bert');
    expect(configJson['id2label']).toEqual({ 0: 'negative', 1: 'neutral', 2: 'positive' });
    expect(manifest.version).toMatch(/^sent-20261130-[0-9a-f]{6}$/);
    for (const file of manifest.files) {
      expect(
        createHash('sha256')
          .update(readFileSync(join(dir, file.path)))
          .digest('hex'),
        file.path,
      ).toBe(file.sha256);
    }
    const graph = decodeModel(readFileSync(join(dir, 'onnx/model.onnx')));
    expect(graph.opset_import[0]!.version).toBe(17);
    expect(graph.graph.input.map((i) => i.name)).toEqual(['input_ids', 'attention_mask', 'token_type_ids']);
    expect(graph.graph.output.map((o) => o.name)).toEqual(['logits']);
  });

  it('gives the tfjs logits through transformers.js at batch 1 and in a padded batch of 32', async () => {
    const expected = await predictLogits(weights, config, tokens);
    const tokenizer = await AutoTokenizer.from_pretrained(dir);
    const model = await AutoModelForSequenceClassification.from_pretrained(dir, { dtype: 'fp32' });
    for (let i = 0; i < texts.length; i++) {
      const out = (await model(tokenizer(texts[i]!))) as { logits: { data: Float32Array; dims: number[] } };
      expect(out.logits.dims).toEqual([1, 3]);
      for (let c = 0; c < 3; c++)
        expect(Math.abs(out.logits.data[c]! - expected[i * 3 + c]!)).toBeLessThan(1e-4);
    }
    const batch = texts.slice(0, 32);
    const inputs = tokenizer(batch, { padding: true, truncation: true }) as {
      attention_mask: { dims: number[] };
    };
    expect(inputs.attention_mask.dims[1]).toBeGreaterThan(
      Math.min(...tokens.slice(0, 32).map((t) => t.length)),
    );
    const out = (await model(inputs)) as { logits: { data: Float32Array } };
    for (let k = 0; k < batch.length * 3; k++)
      expect(Math.abs(out.logits.data[k]! - expected[k]!)).toBeLessThan(1e-4);
    await model.dispose();
  }, 60_000);

  it('loads offline with pipeline("text-classification") and labels clear texts right', async () => {
    const classify = await pipeline('text-classification', dir, { dtype: 'fp32' });
    const [positive] = (await classify('Nvidia shares soar after strong earnings')) as {
      label: string;
      score: number;
    }[];
    const [negative] = (await classify('Boeing stock drops as losses widen')) as {
      label: string;
      score: number;
    }[];
    expect(positive!.label).toBe('positive');
    expect(negative!.label).toBe('negative');
    await classify.dispose();
  }, 60_000);
});
