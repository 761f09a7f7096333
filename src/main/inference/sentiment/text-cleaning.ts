/**
 * What every text goes through before the tokenizer: control characters removed (line breaks and tabs
 * become spaces), runs of white space collapsed, and the text cut to a bounded number of characters, so
 * a 1 MB paste costs microseconds instead of seconds of tokenising text the model would truncate anyway.
 */

/**
 * Characters kept per token the model reads. WordPiece tokens of English news average 4-5 characters;
 * 8 per token leaves room for long words and URLs while bounding the tokenizer's work.
 */
export const CHARS_PER_TOKEN = 8;

// C0 and C1 control characters (Unicode category Cc), plus the zero-width and bidi formatting
// characters that render as nothing and only confuse a tokenizer.
const CONTROL = /[\p{Cc}\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]+/gu;
const SPACE = /\s+/g;

/**
 * Cleans one text for a model that reads `maxTokens` tokens: at most `maxTokens · CHARS_PER_TOKEN`
 * characters are looked at (never splitting a surrogate pair), control characters are removed (line
 * breaks and tabs become spaces), white space runs become one space, ends are trimmed. May return ''.
 */
export function cleanText(text: string, maxTokens: number): string {
  const limit = Math.max(16, maxTokens * CHARS_PER_TOKEN);
  // Cut first (with slack for what cleaning removes), so the regexes never see a megabyte.
  let head = text.length > limit * 2 ? text.slice(0, limit * 2) : text;
  head = head
    .replace(/[\n\r\t\v\f\u0085\u2028\u2029]/g, ' ')
    .replace(CONTROL, '')
    .replace(SPACE, ' ')
    .trim();
  if (head.length <= limit) return head;
  let end = limit;
  const code = head.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--; // do not keep half of a surrogate pair
  return head.slice(0, end).trimEnd();
}
