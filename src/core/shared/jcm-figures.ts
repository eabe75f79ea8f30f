// The figures of the JCM as a whole that the Ministry of the Environment's slides give (September
// 2025): technology adoptions with their sector shares and the number of projects, each with the
// slide a reader can find. Shown on the portal's partnerships page; never mixed with this platform's
// own counts.

import { cite, documents } from './sources.ts';

export const moejSlides = documents.moej2025;

/** The slide's sector chart: each sector's share of the 257 technology adoptions and its examples. */
export const technologyAdoptions = {
  count: 257,
  locator: 'slide "Sectors of JCM projects"',
  sectors: [
    {
      sector: 'Renewable energy',
      percent: 53,
      examples: 'solar (and storage battery), micro hydro, wind, biomass, geothermal',
    },
    {
      sector: 'Energy efficiency',
      percent: 37,
      examples: 'boiler, air conditioning, refrigerating/chiller, looms, transformer, LED lighting',
    },
    {
      sector: 'Effective use of energy',
      percent: 4,
      examples: 'waste heat recovery, gas co-generation',
    },
    {
      sector: 'Waste',
      percent: 2,
      examples: 'waste to energy, power generation with methane gas',
    },
    { sector: 'F-gas', percent: 2, examples: 'recovery and destruction' },
    {
      sector: 'Transport',
      percent: 1,
      examples: 'digital tachographs, modal shift, CNG-diesel hybrid',
    },
    { sector: 'REDD+', percent: 1, examples: 'controlling slash-and-burn' },
  ],
  /** The slide's own text rounds differently from its chart; both are shown, not reconciled. */
  textNote:
    'The same slide says in its text that 56% of the adoptions are renewable energy and 34% energy efficiency; its chart, shown here, gives 53% and 37%.',
} as const;

export const projectsStated = {
  moreThan: 270,
  investment: 'over 3 billion USD of investment',
  locator: 'slide "(reference) More than 270 JCM projects with over 3 billion USD of investment"',
} as const;

/** A figure's source as a person reads it: title, publisher, date, slide. */
export function moejCitation(locator: string): string {
  return cite(documents.moej2025, locator);
}
