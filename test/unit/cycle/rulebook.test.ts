// Rulebooks: the version in force on a day, and the rules of the seeds: India's prior confirmation,
// eligible activities and Project Information Sheet; Indonesia's 10% to its government; Palau's no
// allocation to private partner-side participants; the MOEJ model-project 50% to Japan. A violation
// names the rule and its version.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  activityEligible,
  checkAllocation,
  confirmationRequired,
  extraDocuments,
  rulesInForce,
  type AllocationLine,
  type Rulebook,
} from '../../../src/core/cycle/rulebook.ts';
import { parseCivilDate } from '../../../src/core/shared/civil-date.ts';
import { loadRulebooks, readRulebookText } from '../../../src/formats/rulebook-file.ts';
import { readMethodologyText } from '../../../src/formats/methodology-file.ts';
import { defaultMethodologiesDir } from '../../../src/services/methodology-catalogue.ts';

let rulebooks: Rulebook[];
beforeAll(async () => {
  rulebooks = await loadRulebooks();
});
const day = (text: string) => parseCivilDate(text)!;
const lines = (...pairs: [AllocationLine['holder'], bigint][]) =>
  pairs.map(([holder, quantity]) => ({ holder, quantity }));

describe('the rulebooks of the repository', () => {
  it('give India its rules from the signing of the MoC, and none before', () => {
    expect(rulesInForce(rulebooks, 'IN', null, day('2025-08-06')).rules).toEqual([]);
    const india = rulesInForce(rulebooks, 'IN', null, day('2026-01-01'));
    expect(india.sources).toEqual(['IN v1.0']);
    for (const subject of ['registration', 'crediting_period', 'allocation', 'issuance'] as const) {
      expect(confirmationRequired(india, subject)).toBe(true);
    }
    expect(extraDocuments(india, 'submit_pdd')).toEqual(['project_information_sheet']);
  });

  // India's list applies to the project's activity and to the methodology that credits it: the
  // methodology must serve that entry of the list (its `eligible_activities`), and one that serves
  // none of the list (plain solar PV, IN_AM001) is refused whatever activity the project declares.
  const applied = (id: string) => {
    const read = readMethodologyText(
      readFileSync(join(defaultMethodologiesDir, `${id}.yaml`), 'utf8'),
      `${id}.yaml`,
    );
    if (!read.ok) throw new Error(`${id} does not read`);
    const file = read.methodology.file;
    return { id: file.id, version: file.version, served: file.eligible_activities };
  };
  it.each([
    ['5', 'IN_AM007', null],
    ['1', 'IN_AM009', null],
    ['13', 'IN_AM006', null],
    ['14', 'IN_AM007', 'cycle_activity_not_eligible'],
    [null, 'IN_AM009', 'cycle_activity_not_eligible'],
    ['1', 'IN_AM001', 'cycle_methodology_serves_no_eligible_activity'],
    ['7', 'IN_AM005', 'cycle_methodology_serves_no_eligible_activity'],
    ['1', null, 'cycle_methodology_serves_no_eligible_activity'],
    ['1', 'IN_AM007', 'cycle_methodology_does_not_serve_activity'],
    ['5', 'IN_AM009', 'cycle_methodology_does_not_serve_activity'],
  ])('India: activity %s with %s -> %s', (activity, methodology, code) => {
    const india = rulesInForce(rulebooks, 'IN', null, day('2026-01-01'));
    const result = activityEligible(
      india,
      'IN',
      activity,
      methodology === null
        ? { id: 'XX_AM999', version: '1.0', served: null }
        : applied(methodology),
    );
    if (code === null) expect(result).toEqual({ ok: true, value: true });
    else
      expect(result.ok ? '' : `${result.error.code}: ${result.error.message}`).toMatch(
        new RegExp(`^${code}: rule IN-2 \\(IN v1\\.0\\)`),
      );
  });

  it('leave activities unrestricted where no rulebook has a list', () => {
    const chile = rulesInForce(rulebooks, 'CL', null, day('2026-01-01'));
    expect(activityEligible(chile, 'CL', null, null).ok).toBe(true);
  });

  it.each([
    ['ID', null, lines(['government_partner', 100n], ['participant_japan', 900n]), null],
    [
      'ID',
      null,
      lines(['government_partner', 99n], ['participant_japan', 901n]),
      'rule ID-1 (ID v1.0)',
    ],
    ['PW', null, lines(['participant_japan', 10n], ['government_partner', 10n]), null],
    [
      'PW',
      null,
      lines(['participant_japan', 10n], ['participant_partner', 1n]),
      'rule PW-1 (PW v1.0)',
    ],
    [
      'PH',
      'moej_model_project',
      lines(['government_japan', 500n], ['participant_partner', 500n]),
      null,
    ],
    [
      'PH',
      'moej_model_project',
      lines(['government_japan', 499n], ['participant_partner', 501n]),
      'rule MOEJ-1 (moej_model_project v1.0)',
    ],
    [
      'ID',
      'moej_model_project',
      lines(['government_japan', 500n], ['participant_japan', 451n], ['government_partner', 49n]),
      'rule ID-1 (ID v1.0)',
    ],
    ['IN', null, lines(['participant_partner', 1n]), null],
  ])('%s (programme %s), allocation row %#', (partnership, programme, allocation, violation) => {
    const rules = rulesInForce(rulebooks, partnership, programme, day('2026-06-01'));
    const result = checkAllocation(rules, allocation);
    if (violation === null) expect(result.ok ? 'ok' : result.error.message).toBe('ok');
    else
      expect(result.ok ? 'ok' : `${result.error.code}: ${result.error.message}`).toContain(
        `allocation_rule_violated: ${violation}`,
      );
  });

  it.each([
    ['ID', '2013-08-25', '2013-08-26'],
    ['PW', '2014-01-12', '2014-01-13'],
  ])(
    'give %s its rules from the signing of its bilateral document (METI, 27 Feb 2025), none before',
    (partner, before, signed) => {
      expect(rulesInForce(rulebooks, partner, null, day(before)).rules).toEqual([]);
      expect(rulesInForce(rulebooks, partner, null, day(signed)).rules.length).toBeGreaterThan(0);
    },
  );

  it('ask Indonesia and Mongolia for sustainable development plans and reports', () => {
    for (const partner of ['ID', 'MN']) {
      const rules = rulesInForce(rulebooks, partner, null, day('2026-06-01'));
      expect(extraDocuments(rules, 'submit_pdd')).toEqual(['sd_plan']);
      expect(extraDocuments(rules, 'submit_monitoring_report')).toEqual(['sd_report']);
    }
  });
});

describe('rulebook versions', () => {
  const text = `scope: { partnership: XX }
name: Test
versions:
  - version: "1.0"
    effective_from: "2026-01-01"
    source: test
    rules:
      - { id: XX-1, kind: minimum_share, holder: government_partner, share: "0.1", text: ten percent }
  - version: "2.0"
    effective_from: "2027-01-01"
    source: test
    rules:
      - { id: XX-1, kind: minimum_share, holder: government_partner, share: "0.2", text: twenty percent }
`;
  it('apply the version in force on the day of the decision', () => {
    const read = readRulebookText(text, 'xx.yaml');
    if (!read.ok) throw new Error(JSON.stringify(read.issues));
    const allocation = lines(['government_partner', 15n], ['participant_japan', 85n]);
    expect(
      checkAllocation(rulesInForce([read.rulebook], 'XX', null, day('2026-12-31')), allocation).ok,
    ).toBe(true);
    const later = checkAllocation(
      rulesInForce([read.rulebook], 'XX', null, day('2027-01-01')),
      allocation,
    );
    expect(later.ok ? '' : later.error.message).toContain('rule XX-1 (XX v2.0)');
  });

  it('are refused with the place of a mistake', () => {
    const read = readRulebookText(text.replace('share: "0.2"', 'share: "1.5"'), 'xx.yaml');
    expect(read.ok ? '' : read.issues.map((i) => `${i.code} ${i.where}`).join()).toMatch(
      /^rulebook_invalid xx\.yaml:13:/,
    );
  });
});
