import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../platform/log';
import { writeBertFolder } from '../../test-support/bert-folder';
import { SentimentModelError } from './errors';
import { loadZeroShotTagger } from './zero-shot-tagger';

const root = mkdtempSync(join(tmpdir(), 'zero-shot-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('loadZeroShotTagger', () => {
  it('tags headlines with the catalysts an NLI-shaped model says they entail', async () => {
    const log = createMemoryLogger();
    const tagger = await loadZeroShotTagger(writeBertFolder(join(root, 'nli'), { kind: 'nli' }), { log });
    try {
      const tags = await tagger.tag([
        'Apple sued in patent lawsuit',
        'Company beats quarter earnings',
        'Board approves dividend and buyback',
        'Shares rise',
        '',
      ]);
      expect(tags).toEqual([['legal_regulatory'], ['earnings'], ['capital_return'], [], []]);
      expect(log.lines.filter((l) => l.includes('catalyst tagger nli'))).toHaveLength(1);
    } finally {
      await tagger.close();
    }
  });

  it('refuses a folder whose labels are not entailment/contradiction, naming config.json', async () => {
    const dir = writeBertFolder(join(root, 'sentiment'));
    const error = await loadZeroShotTagger(dir, { log: createMemoryLogger() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SentimentModelError);
    expect((error as Error).message).toMatch(/config\.json labels its outputs positive, negative, neutral/);
  });
});
