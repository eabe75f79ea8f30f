// One date, three places (issue 13, item 4): a partnership's bilateral document is signed on the day
// its rulebook's first version takes effect, and on the day data/partner_countries.csv gives for the
// partner. Indonesia's rulebook once took Lao PDR's date; this keeps the three in step.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  parsePartnershipFiles,
  readPartnershipFiles,
} from '../../../src/formats/partnership-file.ts';
import { loadRulebooks } from '../../../src/formats/rulebook-file.ts';

const countries = parse(
  readFileSync(join(import.meta.dirname, '../../../data/partner_countries.csv'), 'utf8'),
  { columns: true },
) as { iso_alpha2: string; signed_on: string; signed_in: string }[];

describe('signing dates', () => {
  it("agree between each partnership's record, its rulebook and the list of partner countries", async () => {
    const records = parsePartnershipFiles(await readPartnershipFiles());
    const rulebooks = await loadRulebooks();
    expect(records.length).toBeGreaterThanOrEqual(4);
    for (const record of records) {
      const country = countries.find((c) => c.iso_alpha2 === record.code);
      expect(record.bilateral_document.signed_on, record.code).toBe(country?.signed_on);
      // A partnership whose rules the platform holds: its rulebook starts on the day of signing.
      if (record.rulebook === null) continue;
      const rulebook = rulebooks.find(
        (r) => 'partnership' in r.scope && r.scope.partnership === record.rulebook,
      );
      const first = [...(rulebook?.versions ?? [])].sort((a, b) =>
        a.effective_from.localeCompare(b.effective_from),
      )[0];
      expect(first?.effective_from, record.code).toBe(country?.signed_on);
    }
    // A rulebook of a partner without a record here (Mongolia) starts on its day of signing too.
    for (const book of rulebooks) {
      if (!('partnership' in book.scope)) continue;
      const code = book.scope.partnership;
      const first = [...book.versions].sort((a, b) =>
        a.effective_from.localeCompare(b.effective_from),
      )[0];
      expect(first?.effective_from, code).toBe(
        countries.find((c) => c.iso_alpha2 === code)?.signed_on,
      );
    }
  });
});
