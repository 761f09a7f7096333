import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPhraseBank, readTweetCsv } from './labelled-texts';

const fixtures = join(import.meta.dirname, 'test-fixtures');

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'labelled-')), name);
  writeFileSync(path, text);
  return path;
}

describe('readPhraseBank', () => {
  it('splits each line at its last @ and maps the label names, skipping blank lines', () => {
    const read = readPhraseBank(join(fixtures, 'phrasebank-sample.txt'));
    expect(read.texts).toEqual([
      'Profit rose 20 % in the quarter .',
      'The company cut 300 jobs .',
      'The meeting is on Tuesday, at 10 @ the office .',
    ]);
    expect(read.labels).toEqual([2, 0, 1]);
  });

  it('names the file and line of a line without a known label', () => {
    const path = tempFile('bad.txt', 'Fine .@neutral\nNo label here\n');
    expect(() => readPhraseBank(path)).toThrow(/bad\.txt, line 2: expected "sentence@label"/);
  });
});

describe('readTweetCsv', () => {
  it('reads quoted texts and maps 0 bearish / 1 bullish / 2 neutral', () => {
    const read = readTweetCsv(join(fixtures, 'tweets-sample.csv'));
    expect(read.texts).toEqual([
      '$AAPL beats, shares up',
      'Stocks slide, "fear" returns',
      'Fed meets on Tuesday',
    ]);
    expect(read.labels).toEqual([2, 0, 1]);
  });

  it('refuses an unknown label with its line, a missing file and a binary file', () => {
    expect(() => readTweetCsv(tempFile('t.csv', 'text,label\nok,2\nbad,7\n'))).toThrow(/line 3: label "7"/);
    expect(() => readTweetCsv('/nonexistent/tweets.csv')).toThrow(/no such file/);
    expect(() => readTweetCsv(tempFile('b.csv', 'text,label\n\u0000\u0001,1\n'))).toThrow(/not a text file/);
  });
});
