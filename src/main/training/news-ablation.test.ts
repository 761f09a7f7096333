import { describe, expect, it } from 'vitest';
import { randomMarketPanel } from '../test-support/panel-of';
import { MARKET_FEATURE_IDS, NEWS_FEATURE_IDS } from '../core/signals/feature-registry';
import {
  newsWindow,
  panelWithNews,
  renderAblationSection,
  runNewsAblation,
  scoreTexts,
  ablationSectionOf,
  withAblationSection,
  type AblationText,
  type TextScorer,
} from './news-ablation';
import { trainTrm } from './trm/trainer';

const HOUR = 3_600_000;

/** Scores "up" texts +0.8, "down" texts −0.6, others 0; counts its calls. */
function fakeScorer(): TextScorer & { calls: number } {
  const scorer = {
    calls: 0,
    score: (texts: readonly string[]) => {
      scorer.calls++;
      return Promise.resolve(
        texts.map((t) => ({ score: t.includes('up') ? 0.8 : t.includes('down') ? -0.6 : 0 })),
      );
    },
  };
  return scorer;
}

/** Texts at 3 a day (10:00, 15:00, 22:00 UTC) over panel rows from..to, none on the rows of `gap`. */
function textsOver(
  times: Float64Array,
  from: number,
  to: number,
  gap: readonly number[] = [],
): AblationText[] {
  const out: AblationText[] = [];
  for (let i = from; i <= to; i++) {
    if (gap.includes(i)) continue;
    const day = times[i]! - 14.5 * HOUR;
    out.push({ time: day + 10 * HOUR, text: 'AAPL up on earnings', symbols: ['AAPL'] });
    out.push({ time: day + 15 * HOUR, text: 'market drifts', symbols: [] });
    if (i % 3 === 0)
      out.push({ time: day + 22 * HOUR, text: 'MSFT down after CEO resigns', symbols: ['MSFT'] });
  }
  return out;
}

describe('scoreTexts', () => {
  it('scores in batches, tags catalysts, keeps order and times', async () => {
    const scorer = fakeScorer();
    const texts: AblationText[] = [
      { time: 1, text: 'up', symbols: ['A'] },
      { time: 2, text: 'down', symbols: [] },
      { time: 3, text: 'Apple raises dividend', symbols: ['AAPL'] },
      { time: 4, text: 'flat', symbols: [] },
      { time: 5, text: 'Fed hikes; CEO resigns', symbols: [] },
    ];
    const progress: number[] = [];
    const items = await scoreTexts(texts, scorer, {
      batchSize: 2,
      onProgress: (done) => progress.push(done),
    });
    expect(scorer.calls).toBe(3);
    expect(progress).toEqual([2, 4, 5]);
    expect(items.map((i) => i.score)).toEqual([0.8, -0.6, 0, 0, 0]);
    expect(items.map((i) => i.catalysts)).toEqual([0, 0, 1, 0, 2]);
    expect(items.map((i) => i.time)).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses a scorer that loses texts', async () => {
    const short: TextScorer = { score: () => Promise.resolve([{ score: 0 }]) };
    await expect(
      scoreTexts(
        [
          { time: 1, text: 'a', symbols: [] },
          { time: 2, text: 'b', symbols: [] },
        ],
        short,
      ),
    ).rejects.toThrow(/scored 1 of 2 texts/);
  });
});

describe('the news window', () => {
  it('starts once news_volume has 20 covered sessions and ends with the coverage', async () => {
    const panel = randomMarketPanel(300, 5);
    const items = await scoreTexts(textsOver(panel.times, 100, 200), fakeScorer());
    const withNews = panelWithNews(panel, items);
    const { first, last } = newsWindow(withNews);
    // Row 100's window starts before the first item (the evening before is not covered): rows 101.. are.
    expect(first).toBe(101 + 19);
    expect(last).toBeLessThanOrEqual(200);
    expect(last).toBeGreaterThanOrEqual(199);
    expect(() => newsWindow(panel)).toThrow(/does not overlap the daily history/);
  });
});

describe('runNewsAblation', () => {
  it('trains both arms on the same days and seeds, and writes the card section', async () => {
    const panel = randomMarketPanel(700, 11);
    // A week without news inside the window: the news streams have no value there, so neither arm learns there.
    const gap = [400, 401, 402, 403, 404, 405];
    const items = await scoreTexts(textsOver(panel.times, 80, 699, gap), fakeScorer());
    const result = await runNewsAblation({
      panel: panelWithNews(panel, items),
      horizon: 10,
      widths: [8],
      seeds: [1, 2],
      config: { epochs: 1, trainSteps: 1, inferSteps: 1 },
      folds: 3,
      walkFirstTrain: 250,
      walkStep: 150,
      train: trainTrm,
    });
    const [market, news] = result.arms;
    expect(market.features).toEqual([...MARKET_FEATURE_IDS]);
    expect(news.features).toEqual([...MARKET_FEATURE_IDS, ...NEWS_FEATURE_IDS]);
    expect(market.runs.map((r) => r.seed)).toEqual([1, 2]);
    expect(news.runs[0]!.kfold.trm.rows).toBe(market.runs[0]!.kfold.trm.rows);
    expect(result.rows).toBe(market.runs[0]!.kfold.trm.rows);
    expect(market.runs[0]!.walkForward).not.toBeNull();
    expect(result.news.meanItemsPerSession).toBeGreaterThan(2);
    expect(result.news.catalystShare).toBeGreaterThan(0);

    const section = renderAblationSection(result, {
      source: 'generated texts',
      scorer: 'a fake scorer',
      command: 'npx trm ablate-news …',
    });
    expect(section).toMatch(/^## Do news features help\?/);
    expect(section).toMatch(
      /\| TRM accuracy, purged k-fold \(%\) \| [\d.]+ ± [\d.]+ \| [\d.]+ ± [\d.]+ \| [+−][\d.]+ ± [\d.]+( \*)? \|/,
    );
    expect(section).toContain('Walk-forward backtest Sharpe');
    expect(section).toContain('**Verdict.**');
  }, 120_000);
});

describe('withAblationSection', () => {
  const card = '# Card\n\n## Evaluation\ntext\n\n## Limits\n- few\n';
  it('inserts the section before Limits, and replaces it on the next run', () => {
    const once = withAblationSection(card, '## Do news features help?\n\nfirst\n');
    expect(once).toBe(
      '# Card\n\n## Evaluation\ntext\n\n## Do news features help?\n\nfirst\n\n## Limits\n- few\n',
    );
    const twice = withAblationSection(once, '## Do news features help?\n\nsecond\n');
    expect(twice).toBe(once.replace('first', 'second'));
    expect(withAblationSection('# Card\n', '## Do news features help?\n')).toBe(
      '# Card\n\n## Do news features help?\n',
    );
  });

  it('finds the section a regenerated card must keep, and puts it back in the same place', () => {
    const withSection = withAblationSection(card, '## Do news features help?\n\nresult\n');
    const section = ablationSectionOf(withSection);
    expect(section).toBe('## Do news features help?\n\nresult\n\n');
    expect(ablationSectionOf(card)).toBeNull();
    expect(withAblationSection(card, section!)).toBe(withSection);
  });
});
