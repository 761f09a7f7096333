import { describe, expect, it } from 'vitest';
import { argmaxSentiment, evaluateSentiment } from '../../core/news/sentiment-metrics';
import { generateLabelledTexts } from './generated-texts';
import { predictLogits } from './model';
import { stratifiedSplit } from './split';
import {
  buildTokenizerConfig,
  buildTokenizerJson,
  buildVocabulary,
  encodeTexts,
  loadTokenizer,
  SPECIAL_TOKENS,
} from './tokenizer';
import {
  DEFAULT_TRAIN_CONFIG,
  trainSentiment,
  type SentimentTrainConfig,
  type TokenisedTexts,
} from './trainer';
import { trainSentimentInWorker } from './train-in-worker';

/** Generated sentences split into training, validation and test, tokenised through the HF tokenizer. */
function tinySetup(): {
  config: SentimentTrainConfig;
  train: TokenisedTexts;
  validation: TokenisedTexts;
  test: TokenisedTexts;
} {
  const all = generateLabelledTexts(600, 11);
  const [testRows, validationRows, trainRows] = stratifiedSplit(all.labels, [0.2, 0.2], 5) as [
    number[],
    number[],
    number[],
  ];
  const vocabulary = buildVocabulary(trainRows.map((r) => all.texts[r]!));
  const tokenizer = loadTokenizer(buildTokenizerJson(vocabulary), buildTokenizerConfig(32));
  const pick = (rows: number[]): TokenisedTexts => ({
    tokens: encodeTexts(
      tokenizer,
      rows.map((r) => all.texts[r]!),
    ),
    labels: Int8Array.from(rows.map((r) => all.labels[r]!)),
  });
  const config: SentimentTrainConfig = {
    ...DEFAULT_TRAIN_CONFIG,
    vocabSize: SPECIAL_TOKENS.length + vocabulary.length,
    dim: 16,
    bigramBuckets: 256,
    bigramDim: 8,
    hidden: 16,
    epochs: 8,
    patience: 8,
    batchSize: 32,
    learningRate: 0.01,
  };
  return { config, train: pick(trainRows), validation: pick(validationRows), test: pick(testRows) };
}

describe('sentiment trainer', () => {
  it('learns generated finance sentences far above chance, reproducibly', async () => {
    const { config, train, validation, test } = tinySetup();
    const progress: number[] = [];
    const trained = await trainSentiment(train, validation, config, {
      onProgress: (p) => progress.push(p.epoch),
    });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const predicted = argmaxSentiment(await predictLogits(trained.weights, config, test.tokens));
    // Chance is 1/3; the templates are separable by their words.
    expect(evaluateSentiment([...test.labels], predicted).accuracy).toBeGreaterThan(0.9);

    const again = await trainSentiment(train, validation, config);
    expect(again.weights.w1).toEqual(trained.weights.w1);
    expect(again.weights.embedding).toEqual(trained.weights.embedding);
  }, 60_000);

  it('trains the same model in a worker thread as in this thread', async () => {
    const { config, train, validation } = tinySetup();
    const short = { ...config, epochs: 2 };
    const epochs: number[] = [];
    const inWorker = await trainSentimentInWorker(train, validation, short, {
      onProgress: (p) => epochs.push(p.epoch),
    });
    const here = await trainSentiment(train, validation, short);
    expect(epochs).toEqual([1, 2]);
    expect(inWorker.weights.bigram).toEqual(here.weights.bigram);
    expect(inWorker.weights.w2).toEqual(here.weights.w2);
  }, 60_000);

  it('refuses token ids outside the vocabulary, naming the text', async () => {
    const { config, train, validation } = tinySetup();
    const bad = { tokens: [[2, config.vocabSize, 3]], labels: Int8Array.of(1) };
    await expect(trainSentiment(bad, validation, config)).rejects.toThrow(
      /token id \d+ of text 0 is outside the vocabulary/,
    );
    await expect(trainSentiment(train, { tokens: [], labels: new Int8Array() }, config)).rejects.toThrow(
      /validation texts: no texts/,
    );
  });
});
