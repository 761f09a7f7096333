import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SentimentScorer } from '../../engine/ports';
import { createMemoryLogger } from '../../platform/log';
import { writeBertFolder } from '../../test-support/bert-folder';
import { SentimentModelError } from './errors';
import { loadSentimentModel, type LoadedSentimentModel } from './sentiment-model';

const root = mkdtempSync(join(tmpdir(), 'sentiment-model-'));
const finbert = writeBertFolder(join(root, 'finbert'));
const log = createMemoryLogger();
let model: LoadedSentimentModel;

beforeAll(async () => {
  model = await loadSentimentModel(finbert, { log, batchSize: 2 });
});
afterAll(async () => {
  await model?.close();
  rmSync(root, { recursive: true, force: true });
});

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

describe('loadSentimentModel on a FinBERT-shaped folder', () => {
  it('is a SentimentScorer whose info names the model, its own labels and the provider', () => {
    const scorer: SentimentScorer = model;
    expect(scorer.info).toMatchObject({
      name: 'finbert',
      version: 'unversioned',
      labels: ['positive', 'negative', 'neutral'],
      maxTokens: 512,
    });
    expect(['cpu', 'cuda']).toContain(scorer.info.provider);
  });

  it('logs exactly one line saying which provider runs', () => {
    const lines = log.lines.filter((l) => l.includes('sentiment model finbert unversioned runs on'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/runs on (CUDA|CPU \(CUDA provider unavailable: .+\))$/);
  });

  it('maps FinBERT label order (positive, negative, neutral) by name into negative, neutral, positive', async () => {
    const [pos, neg, neu] = await model.score(['Company reports record profit', 'lawsuit', 'the company']);
    expect(pos!.label).toBe('positive');
    expect(pos!.probabilities[2]).toBeGreaterThan(0.7);
    expect(neg!.label).toBe('negative');
    expect(neg!.probabilities[0]).toBeGreaterThan(0.7);
    expect(neu!.label).toBe('neutral');
    for (const s of [pos!, neg!, neu!]) {
      expect(sum(s.probabilities)).toBeCloseTo(1, 6);
      expect(s.score).toBeCloseTo(s.probabilities[2]! - s.probabilities[0]!, 6);
    }
  });

  it('gives the same sentiments from a folder in our label order', async () => {
    const ours = await loadSentimentModel(
      writeBertFolder(join(root, 'ours'), {
        id2label: { 0: 'negative', 1: 'neutral', 2: 'positive' },
        version: 'sent-x',
      }),
      { log: createMemoryLogger(), device: 'cpu' },
    );
    const texts = ['Company reports record profit', 'lawsuit', 'the company'];
    try {
      expect(ours.info.version).toBe('sent-x');
      const a = await ours.score(texts);
      const b = await model.score(texts);
      a.forEach((s, i) => {
        expect(s.label).toBe(b[i]!.label);
        s.probabilities.forEach((p, c) => expect(p).toBeCloseTo(b[i]!.probabilities[c]!, 6));
      });
    } finally {
      await ours.close();
    }
  });

  it('scores an empty or blank text neutral [0, 1, 0] without running the model', async () => {
    const out = await model.score(['', '   ', '\u0000\u0007\n\t']);
    for (const s of out) expect(s).toEqual({ label: 'neutral', probabilities: [0, 1, 0], score: 0 });
  });

  it('removes control characters and reads line breaks as spaces', async () => {
    const [joined, spaced] = await model.score(['pro\u0000fit\u0007', 'loss\nlawsuit\r\nfraud']);
    expect(joined!.label).toBe('positive');
    expect(spaced!.label).toBe('negative');
  });

  it('scores a 1 MB text quickly: it is cut before tokenising', async () => {
    const huge = 'profit '.repeat(150_000);
    expect(huge.length).toBeGreaterThan(1_000_000);
    const started = performance.now();
    const [s] = await model.score([huge]);
    const ms = performance.now() - started;
    expect(s!.label).toBe('positive');
    // Tokenising the whole megabyte takes seconds; the cut text takes milliseconds.
    expect(ms).toBeLessThan(1000);
  });

  it('scores non-English text (neutral here: the fixture knows no German or Japanese words)', async () => {
    const out = await model.score([
      'Das Unternehmen meldet einen Rekordgewinn',
      '株価が急騰した',
      'Ça va très bien',
    ]);
    for (const s of out) {
      expect(s.label).toBe('neutral');
      expect(sum(s.probabilities)).toBeCloseTo(1, 6);
    }
  });

  it('keeps the order of a mixed batch across batches and skipped empty texts', async () => {
    const texts = ['record profit', '', 'lawsuit', 'the company', '\u0000', 'profit beats', 'fraud'];
    const labels = (await model.score(texts)).map((s) => s.label);
    expect(labels).toEqual(['positive', 'neutral', 'negative', 'neutral', 'neutral', 'positive', 'negative']);
    // One by one gives the same answers as batched (padding does not change a text's result).
    for (let i = 0; i < texts.length; i++) {
      const [alone] = await model.score([texts[i]!]);
      expect(alone!.label).toBe(labels[i]);
    }
  });

  it('serves overlapping calls in order', async () => {
    const [a, b] = await Promise.all([model.score(['profit']), model.score(['lawsuit'])]);
    expect(a[0]!.label).toBe('positive');
    expect(b[0]!.label).toBe('negative');
  });
});

describe('loadSentimentModel refuses a broken folder, naming the file', () => {
  const broken = (name: string, change: (dir: string) => void): string => {
    const dir = join(root, name);
    cpSync(finbert, dir, { recursive: true });
    change(dir);
    return dir;
  };
  const config = (dir: string) =>
    JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  const cases: [string, (dir: string) => void, RegExp][] = [
    ['no-config', (d) => unlinkSync(join(d, 'config.json')), /config\.json is missing/],
    [
      'bad-config',
      (d) => writeFileSync(join(d, 'config.json'), '{"model_type": '),
      /config\.json is not valid JSON/,
    ],
    [
      'no-model-type',
      (d) => writeFileSync(join(d, 'config.json'), JSON.stringify({ ...config(d), model_type: undefined })),
      /config\.json has no model_type/,
    ],
    [
      'no-id2label',
      (d) => writeFileSync(join(d, 'config.json'), JSON.stringify({ ...config(d), id2label: undefined })),
      /config\.json has no id2label/,
    ],
    [
      'generic-labels',
      (d) =>
        writeFileSync(
          join(d, 'config.json'),
          JSON.stringify({ ...config(d), id2label: { 0: 'LABEL_0', 1: 'LABEL_1', 2: 'LABEL_2' } }),
        ),
      /config\.json: id2label's label "LABEL_0" \(output 0\) is not negative, neutral or positive/,
    ],
    ['no-tokenizer', (d) => unlinkSync(join(d, 'tokenizer.json')), /tokenizer\.json is missing/],
    [
      'no-tokenizer-config',
      (d) => unlinkSync(join(d, 'tokenizer_config.json')),
      /tokenizer_config\.json is missing/,
    ],
    ['no-onnx', (d) => unlinkSync(join(d, 'onnx', 'model.onnx')), /onnx\/model\.onnx is missing/],
    ['empty-onnx', (d) => writeFileSync(join(d, 'onnx', 'model.onnx'), ''), /onnx\/model\.onnx is empty/],
    [
      'corrupt-onnx',
      (d) => writeFileSync(join(d, 'onnx', 'model.onnx'), 'not a protobuf at all'),
      /onnx\/model\.onnx cannot be loaded on CPU \(.*Protobuf parsing failed.*\)/,
    ],
  ];
  for (const [name, change, message] of cases) {
    it(name, async () => {
      const dir = broken(name, change);
      const error = await loadSentimentModel(dir, { log: createMemoryLogger(), device: 'cpu' }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SentimentModelError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toContain(dir);
    });
  }

  it('a missing folder', async () => {
    const error = await loadSentimentModel(join(root, 'nowhere'), { log: createMemoryLogger() }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SentimentModelError);
    expect((error as Error).message).toMatch(/model folder .*nowhere does not exist/);
  });
});
