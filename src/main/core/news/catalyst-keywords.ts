/**
 * Catalyst tags by keyword rules: what kind of event a headline (or a tweet) reports, read from the
 * words it uses. This is the default tagger; a zero-shot NLI model replaces it when one is installed.
 *
 * Each tag has a few regular expressions, compiled once. They match whole words (\b at both ends) and
 * ignore case, except acronyms that are ordinary words in lower case ("SEC" vs "30 sec", "Fed" vs "fed
 * up", "FTC"), which must be written in capitals. Phrases are chosen so that a common word in another
 * sense does not trigger a tag: "Apple picks a supplier" is not earnings, "iPhone upgrade cycle" is not
 * an analyst rating, "looks fine" is not a fine, "split vote" is not a stock split.
 *
 * The vocabulary follows the event categories financial news services tag (earnings, guidance, analyst
 * ratings, M&A, legal/regulatory, product, management changes, dividends/buybacks, macro).
 */
import { CATALYST_TAGS, type CatalystTag } from '../../../shared/domain';

/** Rules per tag: `words` ignore case; `acronyms` are case-sensitive. Both are regex sources. */
interface TagRules {
  words: readonly string[];
  acronyms?: readonly string[];
}

const QUARTER = String.raw`(?:q[1-4]|(?:first|second|third|fourth)[- ]quarter|quarterly|full[- ]year|annual|fy\s?\d{0,4})`;
const RESULT = String.raw`(?:results?|earnings|profits?|loss(?:es)?|revenues?|sales|eps|net income)`;
const GUIDE_VERB = String.raw`(?:raises?|raised|lifts?|lifted|boosts?|boosted|ups|cuts?|lowers?|lowered|slashe[sd]|slash|trims?|trimmed|reaffirms?|reaffirmed|reiterates?|reiterated|maintains?|withdraws?|withdrew|pulls?|pulled|issues?|issued|provides?|sees|backs?)`;
const GUIDE_NOUN = String.raw`(?:guidance|outlook|forecasts?|view)`;

const RULES: Readonly<Record<CatalystTag, TagRules>> = {
  earnings: {
    words: [
      String.raw`earnings`,
      String.raw`eps`,
      // A bare quarter ("Apple Q3: iPhone sales…") is a report, unless it is the economy's quarter.
      String.raw`q[1-4](?!\s*(?:\d{4}\s+)?(?:gdp|growth|economic|economy))`,
      // "full-year revenue guidance" is guidance, not a report.
      String.raw`${QUARTER}\s+${RESULT}(?!\s+(?:guidance|outlook|forecasts?|view|targets?))`,
      String.raw`(?:beats?|beat|miss(?:es|ed)?|tops?|topped)\s+(?:\w+\s+){0,2}(?:estimates|expectations|forecasts|consensus|views)`,
      String.raw`(?:revenue|sales|profit)\s+(?:beats?|miss(?:es|ed)?|tops?|topped|jumps?|jumped|falls?|fell|rises?|rose|surges?|surged|drops?|dropped|plunges?|plunged|warning)`,
      String.raw`reports?\s+(?:\w+\s+){0,2}(?:profit|loss|results)`,
    ],
  },
  guidance: {
    words: [
      String.raw`guidance`,
      String.raw`${GUIDE_VERB}\s+(?:its\s+|the\s+)?(?:\w+[- ]?){0,2}${GUIDE_NOUN}`,
      String.raw`(?:full[- ]year|annual|fy|quarterly|sales|revenue|earnings|profit)\s+(?:outlook|forecast)`,
      String.raw`profit\s+warning`,
    ],
  },
  analyst_rating: {
    words: [
      String.raw`upgrade[sd]?(?!\s+cycle)`,
      String.raw`downgrade[sd]?`,
      String.raw`price\s+targets?`,
      String.raw`(?:initiates?|initiated|starts?|started|resumes?|resumed|assumes?|assumed)\s+coverage`,
      String.raw`(?:overweight|underweight|outperform|underperform|market\s+perform|equal[- ]weight)`,
      String.raw`(?:buy|sell|hold|neutral)\s+rating`,
      String.raw`(?:rated|rates|reiterates?|reiterated|maintains?)\s+(?:\w+\s+)?(?:at\s+|a\s+)?(?:buy|sell|hold|neutral|overweight|underweight|outperform)`,
    ],
    acronyms: [String.raw`PT`],
  },
  merger_acquisition: {
    words: [
      String.raw`acquir(?:e|es|ed|ing)`,
      String.raw`acquisitions?`,
      String.raw`merg(?:er|ers|e|es|ed|ing)`,
      String.raw`buyout`,
      String.raw`takeover`,
      String.raw`(?:deal|agrees?|agreed|offer|offers|bid|bids)\s+to\s+(?:buy|purchase)`,
      String.raw`tender\s+offer`,
      String.raw`(?:bid|bids|offer)\s+for`,
      String.raw`spin[- ]?off`,
      String.raw`m&a`,
    ],
  },
  legal_regulatory: {
    words: [
      String.raw`lawsuits?`,
      String.raw`sue[sd]?`,
      String.raw`suing`,
      String.raw`class[- ]action`,
      String.raw`probes?`,
      String.raw`investigations?`,
      String.raw`investigat(?:e|es|ed|ing)`,
      String.raw`antitrust`,
      String.raw`fined`,
      String.raw`fines?\s+(?:of|over|for)`,
      String.raw`\$[\d.,]+\s*(?:million|billion|[mb]n?)?\s+fine`,
      String.raw`settlements?`,
      String.raw`settle[sd]?\s+(?:\w+\s+){0,3}(?:lawsuits?|suits?|case|cases|charges|claims|probe|dispute)`,
      String.raw`recall(?:s|ed|ing)?`,
      String.raw`regulators?`,
      String.raw`regulatory`,
      String.raw`subpoena(?:s|ed)?`,
      String.raw`indict(?:ed|ment)`,
      String.raw`patent\s+(?:infringement|suit|lawsuit|dispute)`,
      String.raw`court`,
      String.raw`judge`,
    ],
    acronyms: [String.raw`SEC`, String.raw`FTC`, String.raw`DOJ`, String.raw`EU\s+Commission`],
  },
  product: {
    words: [
      String.raw`launch(?:es|ed|ing)?(?!\s+(?:an?\s+)?(?:\w+\s+)?(?:probe|investigation|bid|offer|review|lawsuit|buyback|tender))`,
      String.raw`unveil(?:s|ed|ing)?`,
      String.raw`introduc(?:es|ed|ing)`,
      String.raw`rolls?\s+out`,
      String.raw`rolled\s+out`,
      String.raw`debut(?:s|ed)?`,
      String.raw`fda\s+(?:approval|approves|approved|clearance|clears|cleared)`,
      String.raw`(?:approved|cleared)\s+by\s+(?:the\s+)?fda`,
      String.raw`new\s+products?`,
      String.raw`product\s+(?:launch|line|lineup|release)`,
    ],
  },
  management: {
    words: [
      String.raw`(?:ceo|cfo|coo|cto|chairman|chairwoman)`,
      String.raw`chief\s+(?:executive|financial|operating|technology)\s+officer`,
      String.raw`resign(?:s|ed|ing|ation)?`,
      String.raw`appoint(?:s|ed|ing|ment)?`,
      String.raw`steps?\s+down`,
      String.raw`stepping\s+down`,
      String.raw`stepped\s+down`,
      String.raw`ousted`,
      String.raw`succession`,
      String.raw`names\s+(?:\w+\s+){0,3}(?:president|chief|head)`,
    ],
  },
  capital_return: {
    words: [
      String.raw`dividends?`,
      String.raw`buybacks?`,
      String.raw`buy\s+back`,
      String.raw`repurchas(?:e|es|ed|ing)`,
      String.raw`stock\s+split`,
      String.raw`share\s+split`,
      String.raw`\d+[- ]for[- ]\d+\s+(?:stock\s+)?split`,
      String.raw`splits?\s+(?:its\s+)?(?:stock|shares)`,
    ],
  },
  macro: {
    words: [
      String.raw`federal\s+reserve`,
      String.raw`fomc`,
      String.raw`interest[- ]rates?`,
      String.raw`rate\s+(?:hikes?|cuts?|increases?|decreases?|decision)`,
      String.raw`(?:raises?|raised|cuts?|hikes?|hiked|holds?|held|lowers?|lowered)\s+(?:interest\s+)?rates`,
      String.raw`inflation`,
      String.raw`cpi`,
      String.raw`ppi`,
      String.raw`jobs\s+(?:report|data|numbers)`,
      String.raw`(?:non[- ]?farm\s+)?payrolls`,
      String.raw`unemployment`,
      String.raw`jobless\s+claims`,
      String.raw`gdp`,
      String.raw`tariffs?`,
      String.raw`recession`,
      String.raw`treasury\s+yields?`,
      String.raw`(?:bond|10-year)\s+yields?`,
      String.raw`central\s+bank`,
      String.raw`trade\s+war`,
    ],
    acronyms: [String.raw`Fed`, String.raw`ECB`],
  },
};

/** One precompiled matcher per tag, in CATALYST_TAGS order. */
const MATCHERS: readonly { tag: CatalystTag; patterns: readonly RegExp[] }[] = CATALYST_TAGS.map((tag) => {
  const { words, acronyms = [] } = RULES[tag];
  const patterns = [new RegExp(String.raw`(?<![\w$])(?:${words.join('|')})(?!\w)`, 'i')];
  if (acronyms.length > 0) patterns.push(new RegExp(String.raw`\b(?:${acronyms.join('|')})\b`));
  return { tag, patterns };
});

/** The text an item's catalyst tags are read from: its headline, then its summary when it has one. */
export function catalystText(item: { headline: string; summary: string }): string {
  return item.summary ? `${item.headline}. ${item.summary}` : item.headline;
}

/**
 * The catalyst tags a text carries by the keyword rules, in CATALYST_TAGS order, without duplicates;
 * [] when none applies. Pure; linear in the text's length per rule.
 */
export function tagCatalysts(text: string): CatalystTag[] {
  const tags: CatalystTag[] = [];
  for (const { tag, patterns } of MATCHERS) {
    if (patterns.some((p) => p.test(text))) tags.push(tag);
  }
  return tags;
}
