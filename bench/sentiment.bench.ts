/**
 * Sentiment inference through the app's whole path (`loadSentimentModel(...).score`: cleaning, the
 * Hugging Face tokenizer, ONNX Runtime, softmax and label mapping): headlines/s at batch 1 and batch 32 on
 * CPU (and on CUDA when the provider is installed), cold start (import + load + first call), the cost of
 * a 1 MB text (cut before tokenising), and RSS.
 *
 * Headlines come from ../shared/data/news/company_news_2023_2024.csv (skipped with a reason when the
 * shared data is missing). The model is models/sentiment-default when it exists, else a FinBERT-shaped
 * fixture (test-support/bert-folder.ts: an embedding-mean graph, far cheaper than a real BERT);
 * `details.model` says which. Reference measured on this kind of machine: a tiny BERT (hidden 64,
 * 2 layers) does about 2,000 headlines/s at batch 1 (shared/notes/environment.md).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { createLogger } from '../src/main/platform/log';
import { writeBertFolder } from '../src/main/test-support/bert-folder';
import { report, type Metric } from './lib/report';

const SHIPPED = join(import.meta.dirname, '..', 'models', 'sentiment-default');
const NEWS = join(import.meta.dirname, '..', '..', 'shared', 'data', 'news', 'company_news_2023_2024.csv');
const MEASURE_MS = 2000;

/** Scores `headlines` in calls of `batch` for at least MEASURE_MS (after one warm-up call); headlines/s. */
async function throughput(
  score: (texts: readonly string[]) => Promise<unknown>,
  headlines: string[],
  batch: number,
): Promise<number> {
  await score(headlines.slice(0, batch));
  let scored = 0;
  let next = 0;
  const started = performance.now();
  while (performance.now() - started < MEASURE_MS) {
    const texts: string[] = [];
    for (let i = 0; i < batch; i++) texts.push(headlines[(next + i) % headlines.length]!);
    next += batch;
    await score(texts);
    scored += batch;
  }
  return scored / ((performance.now() - started) / 1000);
}

export default async function sentimentBench(): Promise<void> {
  if (!existsSync(NEWS)) {
    console.log(`sentiment: skipped: ${NEWS} is missing (the shared news data is not on this machine)`);
    return;
  }
  const rows = parse<{ headline: string }>(readFileSync(NEWS, 'utf8'), {
    columns: true,
    skip_empty_lines: true,
  });
  const headlines = rows.map((r) => r.headline).filter((h) => h.trim() !== '');
  const metrics: Metric[] = [];
  const details: Record<string, unknown> = {
    headlines: headlines.length,
    file: 'company_news_2023_2024.csv',
  };
  const log = createLogger('bench', 'warn');

  let dir = SHIPPED;
  let cleanup = () => {};
  if (existsSync(join(SHIPPED, 'config.json'))) details.model = 'models/sentiment-default';
  else {
    const temp = mkdtempSync(join(tmpdir(), 'sentiment-bench-'));
    dir = writeBertFolder(join(temp, 'fixture'));
    cleanup = () => rmSync(temp, { recursive: true, force: true });
    details.model =
      'the FinBERT-shaped test fixture (models/sentiment-default is not there yet): an embedding-mean graph, ' +
      'so the figures are the pipeline around a near-free model';
  }
  console.log(`sentiment: model measured: ${String(details.model)}`);

  try {
    // Cold start: the module graph (transformers.js, ONNX Runtime binding), the load and the first call.
    const coldStart = performance.now();
    const { loadSentimentModel } = await import('../src/main/inference/sentiment/sentiment-model');
    const { cudaPrecheck } = await import('../src/main/inference/onnx-runtime');
    const imported = performance.now();
    const cpu = await loadSentimentModel(dir, { log, device: 'cpu', batchSize: 32 });
    await cpu.score([headlines[0]!]);
    const cold = performance.now() - coldStart;
    metrics.push({ name: 'cold start (import + load + first call), CPU', value: cold, unit: 'ms' });
    details.importMs = imported - coldStart;
    details.version = cpu.info.version;
    details.maxTokens = cpu.info.maxTokens;
    try {
      metrics.push({
        name: 'headlines through the whole pipeline, batch 1, CPU',
        value: await throughput((t) => cpu.score(t), headlines, 1),
        unit: 'headlines/s',
      });
      metrics.push({
        name: 'headlines through the whole pipeline, batch 32, CPU',
        value: await throughput((t) => cpu.score(t), headlines, 32),
        unit: 'headlines/s',
      });
      const huge = `${headlines[0]} `.repeat(Math.ceil(1_000_000 / (headlines[0]!.length + 1)));
      const hugeStart = performance.now();
      await cpu.score([huge]);
      metrics.push({
        name: 'one 1 MB text (cut before tokenising)',
        value: performance.now() - hugeStart,
        unit: 'ms',
      });
    } finally {
      await cpu.close();
    }

    const noCuda = cudaPrecheck();
    if (noCuda === null) {
      const cuda = await loadSentimentModel(dir, { log, device: 'cuda', batchSize: 32 });
      try {
        metrics.push({
          name: 'headlines through the whole pipeline, batch 1, CUDA',
          value: await throughput((t) => cuda.score(t), headlines, 1),
          unit: 'headlines/s',
        });
        metrics.push({
          name: 'headlines through the whole pipeline, batch 32, CUDA',
          value: await throughput((t) => cuda.score(t), headlines, 32),
          unit: 'headlines/s',
        });
      } finally {
        await cuda.close();
      }
    } else {
      details.cuda = `not measured: ${noCuda}`;
      console.log(`sentiment: CUDA: not measured (${noCuda})`);
    }
    metrics.push({ name: 'RSS after the runs', value: process.memoryUsage().rss / 2 ** 20, unit: 'MiB' });
    report('sentiment', metrics, details);
  } finally {
    cleanup();
  }
}
