/**
 * What `trm ablate-news` runs (options in ablate-news.ts): reads the daily CSV folder and the recorded
 * news file, scores every item with the sentiment model (one log line says which provider runs), runs
 * the ablation (training/news-ablation.ts; each TRM trains in a worker thread) with a progress line on
 * stderr, prints the card section and writes it into the model card.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { buildDailyPanel } from '../core/signals/daily-panel';
import { loadSentimentModel } from '../inference/sentiment/sentiment-model';
import { readRecordedNewsFile } from '../market/news/recorded-news-files';
import { createLogger } from '../platform/log';
import { readDailyCsvFolder } from '../training/daily-csv-folder';
import {
  panelWithNews,
  renderAblationSection,
  runNewsAblation,
  scoreTexts,
  withAblationSection,
} from '../training/news-ablation';
import { trainTrmInWorker } from '../training/trm/train-in-worker';
import type { AblateNewsOptions } from './ablate-news';
import { resolveSentimentModel } from './sentiment-run';

/** Walk-forward on a short window: a year of first training, retrained every quarter. */
const WALK_FIRST_TRAIN = 252;
const WALK_STEP = 63;
const FOLDS = 5;

/** The card's text, or an error saying how to go on. */
function readCard(card: string): string {
  try {
    return readFileSync(card, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read the model card ${card} (${(error as Error).message}): give --card or --no-write`,
      { cause: error },
    );
  }
}

export async function runAblateNews(options: AblateNewsOptions): Promise<void> {
  const started = Date.now();
  // What can be refused is refused before the work: the model folder and the card.
  const { dir, name } = resolveSentimentModel(options.model);
  const card = resolve(options.card);
  if (options.write) readCard(card);
  const dataDir = resolve(options.data);
  const folder = readDailyCsvFolder(dataDir);
  for (const warning of folder.warnings) process.stderr.write(`warning: ${warning}\n`);
  const panel = buildDailyPanel(folder.bars);

  const newsFile = resolve(options.news);
  const recorded = await readRecordedNewsFile(newsFile);
  if (recorded.refused.length > 0)
    process.stderr.write(`warning: ${recorded.refused.length} rows of ${basename(newsFile)} refused\n`);
  const texts = recorded.items.map((item) => ({
    time: item.time,
    text: item.summary ? `${item.headline} ${item.summary}` : item.headline,
    symbols: item.symbols,
  }));
  const symbols = new Set(recorded.items.flatMap((item) => item.symbols));

  const log = createLogger('ablate-news');
  const model = await loadSentimentModel(dir, { log, batchSize: 64, ...(name ? { name } : {}) });
  let items;
  try {
    let lastShown = 0;
    items = await scoreTexts(texts, model, {
      batchSize: 512,
      onProgress: (done, total) => {
        if (done - lastShown >= 10_000 || done === total) {
          lastShown = done;
          process.stderr.write(`scored ${done} of ${total} texts\n`);
        }
      },
    });
  } finally {
    await model.close();
  }
  const scorer = `${model.info.name} ${model.info.version}`;

  let lastStage = '';
  const result = await runNewsAblation({
    panel: panelWithNews(panel, items),
    horizon: options.horizon,
    widths: options.widths,
    seeds: options.seeds,
    config: options.epochs ? { epochs: options.epochs } : {},
    folds: FOLDS,
    walkFirstTrain: WALK_FIRST_TRAIN,
    walkStep: WALK_STEP,
    train: trainTrmInWorker,
    onProgress: (arm, seed, p) => {
      const line = `${arm}, seed ${seed}: ${p.stage} (training ${p.done + 1} of ${p.total})`;
      if (line !== lastStage) process.stderr.write(`${line}\n`);
      lastStage = line;
    },
  });

  const rel = (path: string) => relative(process.cwd(), path) || '.';
  const command =
    `npx trm ablate-news --news ${rel(newsFile)} --data ${rel(dataDir)}` +
    `${options.model ? ` --model ${options.model}` : ''} --seeds ${options.seeds.join(',')}` +
    ` --widths ${options.widths.join(',')} --horizon ${options.horizon}${options.epochs ? ` --epochs ${options.epochs}` : ''}`;
  const section = renderAblationSection(result, {
    source: `${basename(newsFile)} (${recorded.items.length.toLocaleString('en-US')} items about ${symbols.size} symbols)`,
    scorer,
    command,
  });
  process.stdout.write(`${section}\n`);
  if (options.json)
    writeFileSync(resolve(options.json), JSON.stringify({ scorer, ...result }, null, 1) + '\n');
  if (options.write) {
    writeFileSync(card, withAblationSection(readCard(card), section));
    process.stderr.write(`wrote the section into ${rel(card)}\n`);
  }
  process.stderr.write(`done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}
