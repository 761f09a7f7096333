import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { env, pipeline } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { evaluateSentiment, sentimentIndexOfName } from '../../core/news/sentiment-metrics';
import { readPhraseBank } from './labelled-texts';
import type { SentimentManifest } from './model-folder';

/** The model the app ships (`npm run sentiment-model` rebuilds it). */
const folder = join(import.meta.dirname, '../../../../models/sentiment-default');
const phraseBank = join(
  import.meta.dirname,
  '../../../../../shared/data/sentiment/phrasebank/Sentences_AllAgree.txt',
);

type Classifier = (
  texts: string[],
  options: { top_k: number },
) => Promise<{ label: string; score: number }[]>;

describe('the shipped sentiment model (models/sentiment-default)', () => {
  it('is complete: every file the manifest lists has its SHA-256, the folder stays under 5 MB', () => {
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as SentimentManifest;
    expect(manifest.version).toMatch(/^sent-\d{8}-[0-9a-f]{6}$/);
    let bytes = 0;
    for (const file of manifest.files) {
      const data = readFileSync(join(folder, file.path));
      bytes += data.length;
      expect(createHash('sha256').update(data).digest('hex'), file.path).toBe(file.sha256);
    }
    expect(bytes).toBeLessThan(5_000_000);
  });

  it('labels clear headlines right through transformers.js offline', async () => {
    env.allowRemoteModels = false;
    const classify = (await pipeline('text-classification', folder, {
      dtype: 'fp32',
    })) as unknown as Classifier & {
      dispose(): Promise<void>;
    };
    const [up, down] = await classify(
      [
        '$NVDA Nvidia beats estimates and raises its outlook, shares jump',
        '$BA Boeing cut to sell, shares plunge',
      ],
      { top_k: 1 },
    );
    expect(up!.label).toBe('positive');
    expect(down!.label).toBe('negative');
    await classify.dispose();
  });

  it.skipIf(!existsSync(phraseBank))(
    'scores PhraseBank AllAgree through transformers.js as evaluation.json says (needs ../shared/data)',
    async () => {
      const evaluation = JSON.parse(readFileSync(join(folder, 'evaluation.json'), 'utf8')) as {
        model: { phrasebank_allagree: { accuracy: number; n: number } };
      };
      const { texts, labels } = readPhraseBank(phraseBank);
      env.allowRemoteModels = false;
      const classify = (await pipeline('text-classification', folder, {
        dtype: 'fp32',
      })) as unknown as Classifier & {
        dispose(): Promise<void>;
      };
      const predicted: number[] = [];
      for (let i = 0; i < texts.length; i += 64) {
        const out = await classify(texts.slice(i, i + 64), { top_k: 1 });
        predicted.push(...out.map((o) => sentimentIndexOfName(o.label)!));
      }
      await classify.dispose();
      const result = evaluateSentiment(labels, predicted);
      expect(result.n).toBe(evaluation.model.phrasebank_allagree.n);
      expect(result.accuracy).toBeCloseTo(evaluation.model.phrasebank_allagree.accuracy, 3);
    },
    60_000,
  );
});
