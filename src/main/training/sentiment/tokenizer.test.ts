import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../../core/synthetic/random';
import { generateLabelledTexts } from './generated-texts';
import {
  buildTokenizerConfig,
  buildTokenizerJson,
  buildVocabulary,
  encodeTexts,
  loadTokenizer,
  PAD_ID,
  splitWords,
  UNK_ID,
} from './tokenizer';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A few hundred texts of the kinds news brings: tickers, URLs, emoji, other scripts, empty, long. */
function awkwardTexts(): string[] {
  const base = [
    '$AAPL $MSFT - Apple and Microsoft rally https://t.co/bd0xbFGjkT',
    '$ESS: BTIG Research cuts to Neutral https://t.co/MCyfTsXc2N',
    'Stocks 🚀🚀 to the moon!!! #bullish @trader',
    'Économie : la Bourse de Paris recule de 1,2 %',
    '日本株は続伸、日経平均が最高値',
    'Акции Газпрома упали на 3%',
    '',
    '   ',
    'NVDA +5.3% after-hours; EPS $0.68 vs. $0.64 est.',
    'RT @WSJ: "Fed holds rates" — what it means',
    'tab\there\nnew line and\u00a0nbsp',
    'word '.repeat(120),
    'Café déjà vu naïve coöperate',
    '💰📉 $BTC falls below $20,000',
  ];
  const random = Random.fromSeed(7);
  const generated = generateLabelledTexts(200, 3).texts;
  const mixed = generated.map((t, i) =>
    `${t} ${base[random.int(0, base.length - 1)]!}`.slice(0, 40 + (i % 200)),
  );
  return [...base, ...generated, ...mixed];
}

describe('sentiment tokenizer', () => {
  it('tokenises the training way exactly as transformers.js does from the exported folder', async () => {
    const texts = awkwardTexts();
    expect(texts.length).toBeGreaterThan(300);
    const vocabulary = buildVocabulary(generateLabelledTexts(300, 1).texts.concat(texts.slice(0, 14)));
    const json = buildTokenizerJson(vocabulary);
    const config = buildTokenizerConfig(32);
    const trainingWay = encodeTexts(loadTokenizer(json, config), texts);

    const dir = mkdtempSync(join(tmpdir(), 'sentiment-tokenizer-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(json));
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(config));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'bert' }));
    env.allowRemoteModels = false;
    const exported = await AutoTokenizer.from_pretrained(dir);
    const padded = exported(texts, { padding: true, truncation: true, return_tensor: false }) as unknown as {
      input_ids: number[][];
      attention_mask: number[][];
    };
    texts.forEach((_, i) => {
      const ids = padded.input_ids[i]!;
      const mask = padded.attention_mask[i]!;
      const length = mask.filter((m) => m === 1).length;
      expect(ids.slice(0, length)).toEqual(trainingWay[i]);
      expect(mask).toEqual(ids.map((_, k) => (k < trainingWay[i]!.length ? 1 : 0)));
      expect(ids.slice(length).every((id) => id === PAD_ID)).toBe(true);
    });
    // The cases that matter really occur: cut at 32 tokens, unknown words, an empty text.
    expect(Math.max(...trainingWay.map((t) => t.length))).toBe(32);
    expect(trainingWay.some((t) => t.includes(UNK_ID))).toBe(true);
    expect(trainingWay[6]).toEqual([2, 3]);
  });

  it('counts words as the library splits them and keeps those seen at least twice', () => {
    expect(splitWords(['$AAPL rose 2.5%!'])[0]).toEqual(['$', 'aapl', 'rose', '2', '.', '5', '%', '!']);
    const vocabulary = buildVocabulary(['up up down', 'Up flat', 'down'], { minCount: 2 });
    expect(vocabulary).toEqual(['up', 'down']);
    expect(buildVocabulary(['b a', 'a b'], { minCount: 1, maxWords: 1 })).toEqual(['a']);
  });
});
