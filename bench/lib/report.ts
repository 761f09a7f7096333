/**
 * Benchmark reporting: every benchmark prints one line per figure and writes them, with the machine
 * they were measured on, to bench/results/<name>.json (kept in version control as the reference).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Metric {
  /** What was measured, e.g. "1m bars through all timeframes". */
  name: string;
  value: number;
  /** e.g. "bars/s", "rows/s", "ms". */
  unit: string;
}

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

export function formatValue(value: number): string {
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(3);
}

export function report(benchmark: string, metrics: Metric[], details: Record<string, unknown> = {}): void {
  for (const metric of metrics) {
    console.log(`${benchmark}: ${metric.name}: ${formatValue(metric.value)} ${metric.unit}`);
  }
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${benchmark}.json`);
  const body = {
    benchmark,
    metrics,
    details,
    machine: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
    },
    measuredAt: new Date().toISOString(),
  };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
}

/** Runs `fn` repeatedly for at least `minMs` (after one warm-up run) and returns runs per second. */
export function timeIt(fn: () => void, minMs = 1000): { runs: number; seconds: number } {
  fn();
  let runs = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs) {
    fn();
    runs++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return { runs, seconds: elapsed / 1000 };
}
