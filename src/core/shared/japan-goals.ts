// Japan's goals for JCM reductions and removals, the yardstick the public portal measures issued
// credits against, with the source a reader can find.
import { cite, documents } from './sources.ts';

/** Japan's goals for JCM reductions and removals (japanGoalsSource says where they are stated). */
export const japanGoals = [
  { fiscalYear: 2030, tonnes: 100_000_000n },
  { fiscalYear: 2040, tonnes: 200_000_000n },
] as const;
export const japanGoalsSource = `Japan aims at a cumulative reduction and removal of 100 million tons by FY2030 and 200 million tons by FY2040 through the JCM (${cite(documents.moej2025, 'slide "Japan\'s Nationally Determined Contribution (NDC) 18th February 2025"')})`;
