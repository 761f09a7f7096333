import { describe, expect, it } from 'vitest';
import { CATALYST_TAGS, type CatalystTag } from '../../../shared/domain';
import { tagCatalysts } from './catalyst-keywords';

// Real-looking headlines and tweets with the tags a reader would give them.
const TABLE: [string, CatalystTag[]][] = [
  ['Apple Q3 earnings beat estimates as iPhone sales jump', ['earnings']],
  ['Microsoft reports fourth-quarter results; cloud revenue tops forecasts', ['earnings']],
  ['$AAPL EPS $1.42 vs $1.35 expected', ['earnings']],
  ['Intel misses Wall Street estimates, stock falls after hours', ['earnings']],
  ['Nvidia raises full-year revenue guidance', ['guidance']],
  ['Caterpillar cuts its 2015 outlook on weak mining demand', ['guidance']],
  ['Ford slashes profit forecast', ['guidance']],
  ['Goldman Sachs upgrades Tesla to Buy, price target $300', ['analyst_rating']],
  ['Netflix downgraded at Morgan Stanley', ['analyst_rating']],
  ['JPMorgan initiates coverage of Snowflake with Overweight rating', ['analyst_rating']],
  ['$FB PT raised to $110', ['analyst_rating']],
  ['Microsoft to acquire LinkedIn for $26.2 billion', ['merger_acquisition']],
  ['Dell and EMC agree to merger', ['merger_acquisition']],
  ['Pfizer in talks on takeover of Allergan', ['merger_acquisition']],
  ['Comcast makes bid for Time Warner Cable', ['merger_acquisition']],
  ['Google faces EU antitrust probe over Android', ['legal_regulatory']],
  ['SEC charges former executives with fraud', ['legal_regulatory']],
  ['GM recalls 800,000 vehicles over ignition switch', ['legal_regulatory']],
  ['Bank of America fined $16.6 billion in mortgage settlement', ['legal_regulatory']],
  ['Samsung sues Apple over patents', ['legal_regulatory']],
  ['Apple unveils the iPhone 6 and Apple Watch', ['product']],
  ['Gilead wins FDA approval for hepatitis C drug', ['product']],
  ['Amazon launches Fire Phone', ['product']],
  ['Yahoo CFO resigns', ['management']],
  ['Microsoft appoints Satya Nadella as chief executive officer', ['management']],
  ['Twitter chief Dick Costolo steps down', ['management']],
  ['Apple raises dividend, expands share buyback to $90 billion', ['capital_return']],
  ['Apple announces 7-for-1 stock split', ['capital_return']],
  ['Stocks rally as Fed signals patience on interest rates', ['macro']],
  ['CPI rises 0.3% as inflation firms', ['macro']],
  ['Jobs report: payrolls rise 280,000, unemployment at 5.5%', ['macro']],
  ['Q3 GDP grows 3.5%', ['macro']],
  ['Trump threatens new tariffs on Chinese goods', ['macro']],
  // Several at once, in CATALYST_TAGS order.
  ['Apple Q2 earnings: buyback raised to $140 billion, dividend up', ['earnings', 'capital_return']],
  ['Oracle CEO steps down after earnings miss', ['earnings', 'management']],
  // Negatives: the same words in another sense, or no catalyst at all.
  ['Apple picks TSMC as chip supplier', []],
  ['iPhone upgrade cycle drives demand', []],
  ['Markets look fine heading into the weekend', []],
  ['Board split vote delays decision', []],
  ['Oil settles higher on supply worries', []],
  ['Stocks fed up with the drift, traders say', []],
  ['Posted 30 sec ago: my new blog about stocks', []],
  ['$AAPL looking strong today', []],
  ['', []],
];

describe('tagCatalysts', () => {
  it.each(TABLE)('%s → %j', (text, tags) => {
    expect(tagCatalysts(text)).toEqual(tags);
  });

  it('ignores case for words but not for acronyms that are lower-case words', () => {
    expect(tagCatalysts('APPLE EARNINGS TONIGHT')).toEqual(['earnings']);
    expect(tagCatalysts('the sec filing')).toEqual([]);
    expect(tagCatalysts('The SEC filing')).toEqual(['legal_regulatory']);
  });

  it('matches whole words only', () => {
    expect(tagCatalysts('Fedex shares rise')).toEqual([]);
    expect(tagCatalysts('dividendos')).toEqual([]);
    expect(tagCatalysts('rebuyout')).toEqual([]);
  });

  it('answers every tag at most once, in CATALYST_TAGS order', () => {
    const text =
      'Fed hikes rates; CEO resigns; SEC probe; Q1 earnings; raises outlook; upgrade; merger; launches; dividend';
    expect(tagCatalysts(text)).toEqual([...CATALYST_TAGS]);
  });
});
