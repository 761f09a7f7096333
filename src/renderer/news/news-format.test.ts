/** news-format.ts: times in New York, sentiment with its sign and colour, sources and model in words. */
import { describe, expect, it } from 'vitest';
import {
  catalystChip,
  formatNewsMoment,
  formatNewsTime,
  formatSignedScore,
  sentimentModelLine,
  sentimentView,
  sourceChips,
} from './news-format';

describe('formatting news', () => {
  it('writes publication times on the New York clock (EST and EDT)', () => {
    expect(formatNewsTime(Date.UTC(2024, 1, 20, 15, 31))).toBe('Tue 20 Feb 10:31');
    expect(formatNewsTime(Date.UTC(2024, 3, 2, 13, 30))).toBe('Tue 2 Apr 09:30');
    expect(formatNewsMoment(Date.UTC(2024, 3, 2, 13, 30))).toBe('2024-04-02 09:30 ET');
  });

  it('signs scores with a true minus and no sign on zero', () => {
    expect(formatSignedScore(0.724)).toBe('+0.72');
    expect(formatSignedScore(-0.5)).toBe('−0.50');
    expect(formatSignedScore(0.001)).toBe('0.00');
    expect(formatSignedScore(Number.NaN)).toBe('—');
  });

  it('shows a scored item as its label and score, coloured by the label; an unscored one as unscored', () => {
    const view = sentimentView({ label: 'negative', probabilities: [0.7, 0.2, 0.1], score: -0.6 }, 'sent-1');
    expect(view).toMatchObject({ label: 'negative', score: '−0.60', tone: 'negative' });
    expect(view.title).toContain('negative 70 %');
    expect(view.title).toContain('scored by sent-1');
    expect(sentimentView(null, null)).toMatchObject({ label: 'unscored', score: '', tone: 'unscored' });
  });

  it('names catalyst tags in short words with a tooltip', () => {
    expect(catalystChip('merger_acquisition')).toEqual({
      text: 'M&A',
      title: 'Merger or acquisition',
    });
    expect(catalystChip('analyst_rating').text).toBe('analyst');
  });

  it('says which sentiment model runs, or why none does', () => {
    const model = {
      name: 'sentiment-default',
      version: 'sent-20261130-a1b2c3',
      provider: 'cpu' as const,
      labels: ['negative', 'neutral', 'positive'],
      maxTokens: 64,
    };
    expect(sentimentModelLine(model, null)).toMatchObject({
      text: 'sentiment sent-20261130-a1b2c3 · CPU',
      ok: true,
    });
    expect(sentimentModelLine(null, 'models/sentiment-default/model.onnx is missing')).toMatchObject({
      text: 'no sentiment: models/sentiment-default/model.onnx is missing',
      ok: false,
    });
    expect(sentimentModelLine(null, 'No sentiment model runs: the folder is missing.').text).toBe(
      'no sentiment: the folder is missing.',
    );
  });

  it('shows each news source with its state, troubled ones in warning colours', () => {
    const chips = sourceChips([
      { name: 'company_news_2023_2024.csv', state: 'live', message: null },
      { name: 'Alpaca news', state: 'error', message: 'refused the keys' },
    ]);
    expect(chips.map((c) => [c.text, c.tone])).toEqual([
      ['company_news_2023_2024.csv · live', 'ok'],
      ['Alpaca news · error', 'bad'],
    ]);
    expect(chips[1]?.title).toContain('refused the keys');
  });
});
