// The public documents the platform's reference data and figures come from, cited as a reader can
// find them: title, publisher, date, and the page, section or slide. The files these documents were
// read from are named only in data/README.md.

export interface Document {
  readonly title: string;
  readonly publisher: string;
  /** As printed on the document. */
  readonly date: string;
}

export const documents = {
  moej2025: {
    title: 'Implementation Status and Potential of JCM',
    publisher: 'Ministry of the Environment of Japan',
    date: 'September 2025',
  },
  meti2025: {
    title: 'Basic Scheme & Recent Development of the Joint Crediting Mechanism (JCM)',
    publisher: 'Ministry of Economy, Trade and Industry of Japan',
    date: '27 February 2025',
  },
  adb2019: {
    title: 'Article 6 of the Paris Agreement: Drawing Lessons from the Joint Crediting Mechanism',
    publisher: 'Asian Development Bank',
    // The report states its data "as of October 2019"; the text held gives no month of publication.
    date: '2019',
  },
} as const satisfies Record<string, Document>;

/** "Title", publisher, date, where: one citation. */
export function cite(document: Document, where: string): string {
  return `"${document.title}", ${document.publisher}, ${document.date}, ${where}`;
}

/** Where each reference table's rows come from. */
export const referenceSources = {
  partnerCountries: `${cite(documents.meti2025, 'slide "JCM Partner Countries (29 countries)"')}; India: ${cite(documents.moej2025, 'slide "Signing of the JCM MoC between India and Japan"')}; ISO codes from ISO 3166-1`,
  sectoralScopes: cite(documents.adb2019, 'section 2.5 "Eligible Activities"'),
  greenhouseGases: cite(documents.adb2019, 'section 2.5 "Eligible Activities"'),
  indiaActivities: cite(
    documents.moej2025,
    'slide "Eligible activities under Art 6.2 in India has already been defined by MOEFCC in June, 2024"',
  ),
  methodologies2019: cite(
    documents.adb2019,
    'Appendix 1 "Approved Methodologies, as of 31 Oct 2019"',
  ),
  financedProjects2019: cite(
    documents.adb2019,
    'appendix "List of Projects under the Joint Crediting Mechanism Financing Program as of October 2019"',
  ),
} as const;
