import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { defaultSentimentModelDir } from '../platform/paths';
import { runCaptured } from '../test-support/captured-cli';
import { writeBertFolder } from '../test-support/bert-folder';
import { main } from './index';

const trm = (...args: string[]) => runCaptured(main, args);
const root = mkdtempSync(join(tmpdir(), 'trm-sentiment-cli-'));
const model = writeBertFolder(join(root, 'tiny-finbert'));
const dataDir = join(root, 'data');
const savedDataDir = process.env.TRM_DATA_DIR;
process.env.TRM_DATA_DIR = dataDir;

const phrasebank = join(root, 'phrasebank.txt');
writeFileSync(
  phrasebank,
  [
    'The company reports record profit .@positive',
    'Shares plunge after the lawsuit .@negative',
    'The company is in the stock index .@neutral',
    'Profit beats the outlook .@positive',
    'Quarter loss and fraud .@negative',
    'Record growth in the quarter .@neutral',
  ].join('\n'),
);
const tweets = join(root, 'tweets.csv');
writeFileSync(
  tweets,
  'text,label\n"$AAPL beats, record profit",1\n"lawsuit, fraud: $XYZ",0\n"stock news",2\n',
);

afterEach(() => {
  process.exitCode = undefined;
});
afterAll(() => {
  if (savedDataDir === undefined) delete process.env.TRM_DATA_DIR;
  else process.env.TRM_DATA_DIR = savedDataDir;
  rmSync(root, { recursive: true, force: true });
});

describe('trm sentiment eval', () => {
  it('--json prints accuracy, macro_f1, confusion, n and model first', async () => {
    const run = await trm('sentiment', 'eval', '--phrasebank', phrasebank, '--model', model, '--json');
    expect(run.exitCode, run.stderr).toBeUndefined();
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(out).slice(0, 5)).toEqual(['accuracy', 'macro_f1', 'confusion', 'n', 'model']);
    // The fixture gets five of six right: "Record growth" is labelled neutral but reads positive.
    expect(out).toMatchObject({
      n: 6,
      model: 'tiny-finbert unversioned',
      confusion: [
        [2, 0, 0],
        [0, 1, 1],
        [0, 0, 2],
      ],
    });
    expect(out.accuracy).toBeCloseTo(5 / 6, 10);
    expect(run.stderr).toMatch(/sentiment model tiny-finbert unversioned runs on (CPU|CUDA)/);
  });

  it('prints a table with per-class scores and the confusion matrix; --limit scores the first n', async () => {
    const run = await trm('sentiment', 'eval', '--tweets', tweets, '--model', model, '--limit', '2');
    expect(run.exitCode, run.stderr).toBeUndefined();
    expect(run.stdout).toMatch(/n {9}2\n/);
    expect(run.stdout).toMatch(/accuracy {2}100\.0%/);
    expect(run.stdout).toContain('macro-F1');
    expect(run.stdout).toMatch(/negative +1\.000 +1\.000 +1\.000 +1/);
    expect(run.stdout).toContain('confusion (rows: label, columns: predicted)');
  });

  it("exits 1 with the reader's message for a missing file or a bad line", async () => {
    const missing = await trm('sentiment', 'eval', '--phrasebank', join(root, 'nope.txt'), '--model', model);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('nope.txt: no such file');
    const bad = join(root, 'bad.txt');
    writeFileSync(bad, 'fine@positive\nno label here\n');
    const badRun = await trm('sentiment', 'eval', '--phrasebank', bad, '--model', model);
    expect(badRun.exitCode).toBe(1);
    expect(badRun.stderr).toContain('bad.txt, line 2: expected "sentence@label"');
  });

  it('exits 1 unless exactly one labelled file is given', async () => {
    const none = await trm('sentiment', 'eval', '--model', model);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain('give exactly one of --phrasebank FILE or --tweets FILE');
  });

  it('names a registry model that is not installed and says how to fetch it', async () => {
    const run = await trm('sentiment', 'score', 'hello', '--model', 'finbert');
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('finbert is not installed');
    expect(run.stderr).toContain('run trm models fetch finbert');
  });

  it.skipIf(existsSync(defaultSentimentModelDir()))(
    'without --model and without the shipped folder, names the folder and npm run sentiment-model',
    async () => {
      const run = await trm('sentiment', 'score', 'hello');
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain(defaultSentimentModelDir());
      expect(run.stderr).toContain('npm run sentiment-model');
    },
  );
});

describe('trm sentiment score', () => {
  it.skipIf(!existsSync(defaultSentimentModelDir()))(
    'without --model scores with the shipped models/sentiment-default',
    async () => {
      const run = await trm('sentiment', 'score', 'Apple beats on earnings, record profit', '--json');
      expect(run.exitCode, run.stderr).toBeUndefined();
      const out = JSON.parse(run.stdout) as { model: string; results: { label: string }[] };
      expect(out.model).toMatch(/^sentiment-default sent-\d{8}-[0-9a-f]{6}$/);
      expect(out.results[0]!.label).toBe('positive');
    },
  );

  it('prints the label and the three probabilities of each text', async () => {
    const run = await trm('sentiment', 'score', 'record profit', 'lawsuit', '', '--model', model);
    expect(run.exitCode, run.stderr).toBeUndefined();
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('model tiny-finbert unversioned');
    expect(lines[2]).toMatch(/^positive +0\.\d{3} +0\.\d{3} +0\.\d{3} +record profit$/);
    expect(lines[3]).toMatch(/^negative .* lawsuit$/);
    expect(lines[4]).toMatch(/^neutral +0\.000 +1\.000 +0\.000$/);
  });

  it('--json gives probabilities by name', async () => {
    const run = await trm('sentiment', 'score', 'record profit', '--model', model, '--json');
    const out = JSON.parse(run.stdout) as {
      model: string;
      results: { text: string; label: string; probabilities: Record<string, number>; score: number }[];
    };
    expect(out.results[0]!.label).toBe('positive');
    expect(Object.keys(out.results[0]!.probabilities)).toEqual(['negative', 'neutral', 'positive']);
    const p = out.results[0]!.probabilities;
    expect(out.results[0]!.score).toBeCloseTo(p.positive! - p.negative!, 10);
  });
});
