import { describe, expect, it } from 'vitest';
import { CHARS_PER_TOKEN, cleanText } from './text-cleaning';

describe('cleanText', () => {
  it('removes control and zero-width characters, reads line breaks and tabs as spaces, collapses spaces', () => {
    expect(cleanText('  a\u0000b\u200b\tc\r\nd\u0085e  ', 64)).toBe('ab c d e');
  });

  it('returns "" for text that is only control characters and white space', () => {
    expect(cleanText('\u0001\u0002 \n\t\u007f', 64)).toBe('');
  });

  it('cuts to maxTokens · CHARS_PER_TOKEN characters without splitting a surrogate pair', () => {
    expect(cleanText('x'.repeat(10_000), 64)).toHaveLength(64 * CHARS_PER_TOKEN);
    const emoji = '😀'.repeat(1000);
    const cut = cleanText(`a${emoji}`, 64);
    expect(cut.length).toBeLessThanOrEqual(64 * CHARS_PER_TOKEN);
    expect(cut.endsWith('\ud83d')).toBe(false);
  });

  it('keeps non-English text', () => {
    expect(cleanText('Ça va très bien 株価', 64)).toBe('Ça va très bien 株価');
  });
});
