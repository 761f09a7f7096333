import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrainingProgress } from '../../shared/domain';
import { TrainingProgressSchema } from '../../shared/domain';
import { loadStrategyModel } from '../inference/trm-model';
import { createMemoryLogger } from '../platform/log';
import { randomMarketPanel } from '../test-support/panel-of';
import { createModelTrainer } from './model-trainer';

const dir = mkdtempSync(join(tmpdir(), 'trm-retrain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function trainer() {
  const logger = createMemoryLogger();
  return createModelTrainer({
    log: logger,
    loadModel: (d) => loadStrategyModel(d, { log: logger, providers: ['cpu'] }),
    widths: [8],
    config: { epochs: 2, trainSteps: 1, inferSteps: 1 },
  });
}

describe('Retrain (createModelTrainer)', () => {
  const panel = randomMarketPanel(700);

  it('trains a candidate in a worker, writes its folder and reports it next to the running model and the baselines', async () => {
    const progress: TrainingProgress[] = [];
    const first = join(dir, 'first');
    await trainer().train(
      { jobId: 'a', panel, from: '2015-01-02', to: '2017-12-29', outDir: first, currentDir: null },
      (p) => progress.push(TrainingProgressSchema.parse(p)),
    );
    expect(existsSync(join(first, 'manifest.json'))).toBe(true);
    const phases = [...new Set(progress.map((p) => p.phase))];
    expect(phases).toEqual(['preparing', 'training', 'evaluating', 'done']);
    expect(progress.some((p) => p.phase === 'training' && p.epoch === 2 && p.loss !== null)).toBe(true);
    const done = progress.at(-1)!;
    expect(done.report?.current).toBeNull();
    expect(Object.keys(done.report!.baselines).sort()).toEqual(
      ['equal_weight', 'logistic', 'majority', 'sixty_forty', 'spy_buy_hold'].sort(),
    );
    // The comparison covers only days the candidate did not train on: after its training rows.
    expect(done.report!.from > '2017-01-01').toBe(true);

    // A second job compares against the first as the running model.
    const second: TrainingProgress[] = [];
    await trainer().train(
      {
        jobId: 'b',
        panel,
        from: '2015-01-02',
        to: '2017-12-29',
        outDir: join(dir, 'second'),
        currentDir: first,
      },
      (p) => second.push(p),
    );
    expect(second.at(-1)!.report!.current).not.toBeNull();
  }, 120_000);

  it('cancels a job: it fails with "cancelled"', async () => {
    const t = trainer();
    const progress: TrainingProgress[] = [];
    const job = t.train(
      { jobId: 'c', panel, from: '2015-01-02', to: '2017-12-29', outDir: join(dir, 'c'), currentDir: null },
      (p) => {
        progress.push(p);
        if (p.phase === 'training') t.cancel('c');
      },
    );
    await expect(job).rejects.toThrow('cancelled');
    expect(progress.at(-1)).toMatchObject({ phase: 'failed', message: 'cancelled' });
  }, 120_000);
});
