// Retirement purposes and cancellation kinds in words (issue 15 review, item 7): one table gives the
// certificate its names and the Article 6.2 pages their phrases, for every code the registry takes,
// and an unknown code reads as words.
import { describe, expect, it } from 'vitest';
import { cancellationKinds } from '../../../src/core/article6/types.ts';
import { purposeName, purposePhrase } from '../../../src/core/ledger/purpose-words.ts';
import { retirementPurposes } from '../../../src/core/ledger/types.ts';
import { certificateDocument } from '../../../src/services/certificate-document.ts';
import { subtypeWord } from '../../../src/web/article6-words.ts';

describe('purpose words', () => {
  it('name every purpose and cancellation kind, as a name and as a phrase', () => {
    for (const code of [...retirementPurposes, ...cancellationKinds]) {
      expect(purposeName(code), code).not.toContain('_');
      expect(purposeName(code), code).not.toBe(code);
      expect(purposePhrase(code), code).not.toContain('_');
    }
    expect(purposeName('voluntary_offsetting')).toBe('Voluntary offsetting');
    expect(purposePhrase('ndc_use')).toBe('towards an NDC');
    expect(purposeName('some_new_purpose')).toBe('some new purpose');
    expect(purposeName(null)).toBe('');
  });

  it('are the ones the certificate PDF and the Article 6.2 pages use', () => {
    expect(subtypeWord('oimp')).toBe(purposePhrase('oimp'));
    const spec = certificateDocument({
      kind: 'retirement',
      chain: 'JP',
      seq: 9n,
      recordedAt: '2028-04-01T09:00:00.000Z',
      quantity: 7n,
      account: 'JP-000007',
      purpose: 'gx_ets_compliance',
      beneficiary: 'B',
      blocks: [],
      hash: 'a'.repeat(64),
      prevHash: 'b'.repeat(64),
      recordedBy: 'registry',
      holderName: null,
      accounts: [],
      projects: [],
      synthetic: false,
      verifyUrl: 'https://x/verify/JP/9',
      pdfUrl: 'https://x/pdf',
    } as never);
    const rows = spec.sections.flatMap((s) => ('rows' in s ? s.rows : []));
    expect(rows).toContainEqual(['Purpose', 'Compliance in the GX-ETS']);
  });
});
