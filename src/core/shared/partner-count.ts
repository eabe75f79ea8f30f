// How many countries are JCM partners, as the source says it, and why the list of names is one short:
// the Ministry of the Environment's slide counts 31 partners in August 2025 but the seeds name 30
// (METI's 29 of February 2025, and India from the MoC of 7 August 2025).

import { cite, documents } from './sources.ts';

export const partnerCountStated = 31;

export const partnerCountSource = cite(
  documents.moej2025,
  'slide "List of JCM 31 partner countries as of August 2025"',
);

/** Why the named list is shorter than the count (shown with the list). */
export function partnerCountNote(named: number): string {
  return named === partnerCountStated
    ? `${named} countries, as listed in the source.`
    : `The source counts ${partnerCountStated} partner countries in August 2025; the documents this platform holds name ${named} of them, listed here.`;
}
