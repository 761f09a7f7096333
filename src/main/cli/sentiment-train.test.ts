import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { generateLabelledTexts } from '../training/sentiment/generated-texts';
import { runCaptured } from '../test-support/captured-cli';
import { main } from './index';

const trm = (...args: string[]) => runCaptured(main, args);

afterEach(() => {
  process.exitCode = undefined;
});

/** A data folder in the layout of ../shared/data/sentiment, from generated sentences. */
const dir = mkdtempSync(join(tmpdir(), 'trm-sentiment-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const data = join(dir, 'sentiment');
{
  mkdirSync(join(data, 'twitter_financial_news'), { recursive: true });
  mkdirSync(join(data, 'phrasebank'));
  const tweets = generateLabelledTexts(450, 2);
  // Tweets: 0 bearish (negative), 1 bullish (positive), 2 neutral.
  const tweetLabel = [0, 2, 1];
  const rows = tweets.texts.map((t, i) => `"${t}",${tweetLabel[tweets.labels[i]!]}`);
  writeFileSync(join(data, 'twitter_financial_news', 'sent_train.csv'), `text,label\n${rows.join('\n')}\n`);
  const names = ['negative', 'neutral', 'positive'];
  const phrases = generateLabelledTexts(60, 3);
  const lines = phrases.texts.map((t, i) => `${t} .@${names[phrases.labels[i]!]}`).join('\n');
  writeFileSync(join(data, 'phrasebank', 'Sentences_50Agree.txt'), `${lines}\n`);
  writeFileSync(join(data, 'phrasebank', 'Sentences_AllAgree.txt'), `${lines}\n`);
}

describe('trm sentiment train', () => {
  it('trains, evaluates against the baseline and writes the Hugging Face model folder', async () => {
    const out = join(dir, 'model');
    const run = await trm(
      'sentiment',
      'train',
      '--data',
      data,
      '--out',
      out,
      '--no-embeddings',
      '--epochs',
      '4',
      '--json',
    );
    expect(run.stderr).toBe('');
    expect(run.exitCode ?? 0).toBe(0);
    const printed = JSON.parse(run.stdout) as {
      version: string;
      model: Record<string, { accuracy: number; n: number; confusion: number[][] }>;
      baseline: Record<string, { accuracy: number }>;
    };
    expect(printed.version).toMatch(/^sent-\d{8}-[0-9a-f]{6}$/);
    expect(printed.model['tweets_test']!.n).toBe(Math.round(150 * 0.15) * 3);
    expect(printed.model['tweets_test']!.accuracy).toBeGreaterThan(0.9);
    expect(printed.model['phrasebank_50agree']!.n).toBe(60);
    expect(printed.baseline['tweets_test']!.accuracy).toBeGreaterThan(0.9);
    for (const file of [
      'config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'onnx/model.onnx',
      'manifest.json',
      'evaluation.json',
      'MODEL_CARD.md',
    ])
      expect(existsSync(join(out, file)), file).toBe(true);
    const card = readFileSync(join(out, 'MODEL_CARD.md'), 'utf8');
    expect(card).toContain(printed.version);
    expect(card).toContain('CC BY-NC-SA 3.0');
  }, 120_000);

  it('names the missing data files and says what --data must hold', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const run = await trm(
      'sentiment',
      'train',
      '--data',
      empty,
      '--out',
      join(dir, 'never'),
      '--no-embeddings',
    );
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(join(empty, 'twitter_financial_news/sent_train.csv'));
    expect(run.stderr).toContain('Sentences_AllAgree.txt');
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});
