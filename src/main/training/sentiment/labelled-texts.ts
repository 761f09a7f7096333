/**
 * Readers of the labelled sentiment files the project trains and evaluates on: Twitter Financial News
 * CSVs (`text,label`, 0 bearish, 1 bullish, 2 neutral) and Financial PhraseBank files (`sentence@label`
 * per line, labels positive/negative/neutral). Labels come back as SENTIMENT_LABELS indices.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { TWEET_LABEL_TO_SENTIMENT, sentimentIndexOfName } from '../../core/news/sentiment-metrics';

export interface LabelledTexts {
  texts: string[];
  /** SENTIMENT_LABELS indices (0 negative, 1 neutral, 2 positive), one per text. */
  labels: number[];
}

function readText(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${(error as Error).message})`,
      { cause: error },
    );
  }
  if (text.includes('\u0000')) throw new Error(`${path}: not a text file (it holds NUL bytes)`);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Reads a Twitter Financial News CSV: a header with `text` and `label` columns, label 0 (bearish),
 * 1 (bullish) or 2 (neutral), mapped to negative/positive/neutral.
 * @throws Error naming the file and line of the first bad row, or a missing column.
 */
export function readTweetCsv(path: string): LabelledTexts {
  type Row = { record: Record<string, string | undefined>; info: { lines: number } };
  const rows = parse<Row>(readText(path), {
    columns: true,
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
  });
  const out: LabelledTexts = { texts: [], labels: [] };
  for (const { record, info } of rows) {
    if (record['text'] === undefined || record['label'] === undefined) {
      throw new Error(`${path}: expected a header with "text" and "label" columns (line ${info.lines})`);
    }
    const label = TWEET_LABEL_TO_SENTIMENT[Number(record['label'].trim())];
    if (label === undefined || record['label'].trim() === '') {
      throw new Error(
        `${path}, line ${info.lines}: label "${record['label']}" is not 0 (bearish), 1 (bullish) or 2 (neutral)`,
      );
    }
    out.texts.push(record['text']);
    out.labels.push(label);
  }
  if (out.texts.length === 0) throw new Error(`${path}: no labelled rows`);
  return out;
}

/**
 * Reads a Financial PhraseBank file: one `sentence@label` per line (the last `@` splits), label positive,
 * negative or neutral (bullish/bearish also accepted). Blank lines are skipped.
 * @throws Error naming the file and line of the first line without a known label.
 */
export function readPhraseBank(path: string): LabelledTexts {
  const out: LabelledTexts = { texts: [], labels: [] };
  const lines = readText(path).split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const at = line.lastIndexOf('@');
    const label = at < 0 ? null : sentimentIndexOfName(line.slice(at + 1));
    if (at <= 0 || label === null) {
      throw new Error(
        `${path}, line ${i + 1}: expected "sentence@label" with label positive, negative or neutral`,
      );
    }
    out.texts.push(line.slice(0, at).trim());
    out.labels.push(label);
  });
  if (out.texts.length === 0) throw new Error(`${path}: no labelled lines`);
  return out;
}
