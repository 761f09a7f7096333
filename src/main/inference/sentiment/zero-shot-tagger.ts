/**
 * Catalyst tags from a zero-shot NLI model (e.g. an MNLI-trained DeBERTa or DistilBERT from `trm models
 * fetch`), used only when one is installed; keyword rules tag otherwise. Each CATALYST_TAG is phrased as a
 * hypothesis ("This news is about earnings.") and scored independently (multi-label: softmax of the
 * entailment and contradiction logits per tag), through transformers.js's zero-shot-classification
 * pipeline over the one ONNX Runtime.
 */
import { pipeline, type ZeroShotClassificationPipeline } from '@huggingface/transformers';
import { CATALYST_TAGS, type CatalystTag } from '../../../shared/domain';
import type { Logger } from '../../platform/log';
import { cudaPrecheck } from '../onnx-runtime';
import { SentimentModelError } from './errors';
import { checkModelFolder } from './model-folder';
import { cleanText } from './text-cleaning';
import { useLocalModelsOnly } from './transformers-env';

/** How each tag reads as the end of "This news is about …" (plain words an NLI model understands). */
export const CATALYST_HYPOTHESES: Readonly<Record<CatalystTag, string>> = {
  earnings: 'earnings',
  guidance: 'guidance or an outlook',
  analyst_rating: 'an analyst rating',
  merger_acquisition: 'a merger or acquisition',
  legal_regulatory: 'a lawsuit or regulation',
  product: 'a product',
  management: 'management changes',
  capital_return: 'dividends or buybacks',
  macro: 'the economy',
};
export const HYPOTHESIS_TEMPLATE = 'This news is about {}.';

export interface ZeroShotTaggerOptions {
  log: Logger;
  /** P(entailment) at or above which a tag is given; default 0.5. */
  threshold?: number;
  device?: 'auto' | 'cpu';
  name?: string;
}

export interface ZeroShotTagger {
  readonly name: string;
  /** Tags per text, in CATALYST_TAGS order; [] for a text that is empty after cleaning. */
  tag(texts: readonly string[]): Promise<CatalystTag[][]>;
  close(): Promise<void>;
}

/**
 * Loads an NLI folder (config.json's labels must include entailment and contradiction) offline.
 * @throws SentimentModelError naming the file when the folder is incomplete or not an NLI model.
 */
export async function loadZeroShotTagger(
  dir: string,
  options: ZeroShotTaggerOptions,
): Promise<ZeroShotTagger> {
  const folder = checkModelFolder(dir, options.name);
  const names = folder.labels.map((l) => l.toLowerCase());
  if (!names.includes('entailment') || !(names.includes('contradiction') || names.includes('not_entailment')))
    throw new SentimentModelError(
      `${dir}/config.json labels its outputs ${folder.labels.join(', ')}; a zero-shot model needs ` +
        'entailment and contradiction (an NLI model)',
    );
  useLocalModelsOnly();
  const threshold = options.threshold ?? 0.5;
  const label = `catalyst tagger ${folder.name} ${folder.version}`;
  const open = (device: 'cuda' | 'cpu') =>
    pipeline('zero-shot-classification', dir, { device, dtype: 'fp32', local_files_only: true });
  let classifier: ZeroShotClassificationPipeline;
  let reason = 'CUDA not requested';
  try {
    const precheck = options.device === 'cpu' ? 'not requested' : cudaPrecheck();
    if (precheck === null) {
      try {
        classifier = await open('cuda');
        options.log.info(`${label} runs on CUDA`);
        return wrap(classifier);
      } catch (error) {
        reason = `CUDA provider unavailable: ${(error as Error).message.split('\n')[0]}`;
      }
    } else if (options.device !== 'cpu') reason = `CUDA provider unavailable: ${precheck}`;
    classifier = await open('cpu');
  } catch (error) {
    throw new SentimentModelError(
      `${folder.onnxFile} cannot be loaded (${(error as Error).message.split('\n')[0]}); copy the folder again or run trm models fetch`,
      { cause: error },
    );
  }
  options.log.info(`${label} runs on CPU (${reason})`);
  return wrap(classifier);

  function wrap(zeroShot: ZeroShotClassificationPipeline): ZeroShotTagger {
    const candidates = CATALYST_TAGS.map((t) => CATALYST_HYPOTHESES[t]);
    const tagOf = new Map(CATALYST_TAGS.map((t) => [CATALYST_HYPOTHESES[t], t]));
    let queue: Promise<unknown> = Promise.resolve();
    return {
      name: folder.name,
      tag: (texts) => {
        const run = queue.then(async () => {
          const out: CatalystTag[][] = [];
          for (const text of texts) {
            const clean = cleanText(text, folder.maxTokens);
            if (clean === '') {
              out.push([]);
              continue;
            }
            const result = (await zeroShot(clean, candidates, {
              hypothesis_template: HYPOTHESIS_TEMPLATE,
              multi_label: true,
            })) as { labels: string[]; scores: number[] };
            const tags = new Set<CatalystTag>();
            result.labels.forEach((l, i) => {
              if (result.scores[i]! >= threshold) tags.add(tagOf.get(l)!);
            });
            out.push(CATALYST_TAGS.filter((t) => tags.has(t)));
          }
          return out;
        });
        queue = run.catch(() => undefined);
        return run;
      },
      close: async () => {
        await queue;
        await zeroShot.dispose();
      },
    };
  }
}
