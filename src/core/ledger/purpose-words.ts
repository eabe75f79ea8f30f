// Why credits were retired or cancelled, in people's words: one table for the certificate (its PDF
// and its page) and the portal's Article 6.2 pages, each code with its name ("Voluntary offsetting")
// and the phrase that follows a verb ("retired for voluntary offsetting"). A code the table does not
// know reads as its words, never as an identifier with underscores.
import type { CancellationKind } from '../article6/types.ts';
import type { RetirementPurpose } from './types.ts';

interface Words {
  readonly name: string;
  readonly phrase: string;
}

const purposeWords: { readonly [P in RetirementPurpose | CancellationKind]: Words } = {
  ndc_use: {
    name: 'Use towards a nationally determined contribution (NDC)',
    phrase: 'towards an NDC',
  },
  oimp: {
    name: 'Other international mitigation purposes (OIMP)',
    phrase: 'for other international mitigation purposes',
  },
  gx_ets_compliance: { name: 'Compliance in the GX-ETS', phrase: 'for compliance in the GX-ETS' },
  shk_reporting: {
    name: 'Reporting under the SHK system (GHG accounting and reporting)',
    phrase: 'for reporting under the SHK system',
  },
  voluntary_offsetting: { name: 'Voluntary offsetting', phrase: 'for voluntary offsetting' },
  omge: {
    name: 'Overall mitigation in global emissions (OMGE)',
    phrase: 'for overall mitigation in global emissions (OMGE)',
  },
  voluntary: { name: 'Voluntary cancellation', phrase: 'voluntary' },
  other: { name: 'Another reason', phrase: 'for another reason' },
};

const wordsOf = (code: string): Words | undefined =>
  Object.hasOwn(purposeWords, code) ? purposeWords[code as keyof typeof purposeWords] : undefined;

const plain = (code: string) => code.replaceAll('_', ' ');

/** A retirement purpose or cancellation kind by name, as a certificate states it. */
export function purposeName(code: string | null): string {
  if (code === null) return '';
  return wordsOf(code)?.name ?? plain(code);
}

/** The same as the phrase after a verb: "Used towards an NDC", "retired for voluntary offsetting". */
export function purposePhrase(code: string | null): string {
  if (code === null) return '';
  return wordsOf(code)?.phrase ?? plain(code);
}
