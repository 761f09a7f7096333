/** A model folder that cannot be used, with a message naming the file and what to do about it. */
export class SentimentModelError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SentimentModelError';
  }
}
