// Allocation holders derived from stored accounts (issue 13, item 1): the kind of each account for a
// project of a partnership, and the allocation check in its order (account exists, is in the line's
// registry, the declared holder is the derived one, the rulebook holds on derived holders), so that
// a label cannot meet Indonesia's 10%, the MOEJ 50% or Palau's rule.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkAllocationOnAccounts,
  holderKindOf,
  type AllocationAccount,
} from '../../../src/core/cycle/allocation-holders.ts';
import type { AllocationLineData } from '../../../src/core/cycle/items.ts';
import type { ProjectData } from '../../../src/core/cycle/project-data.ts';
import { rulesInForce, type Rulebook } from '../../../src/core/cycle/rulebook.ts';
import { parseCivilDate } from '../../../src/core/shared/civil-date.ts';
import { loadRulebooks } from '../../../src/formats/rulebook-file.ts';

let rulebooks: Rulebook[];
beforeAll(async () => {
  rulebooks = await loadRulebooks();
});

const project = {
  participantsJapan: ['sunrise-jp'],
  participantsPartner: ['nusantara-id'],
} as unknown as ProjectData;

const account = (id: string, type: string, holder: string): AllocationAccount => ({
  id,
  registry: id.slice(0, 2),
  type,
  holder,
});
const accounts = new Map(
  [
    account('JP-000004', 'government_holding', 'gov-jp'),
    account('ID-000004', 'government_holding', 'gov-id'),
    account('IN-000004', 'government_holding', 'gov-in'),
    account('JP-000005', 'holding', 'sunrise-jp'),
    account('ID-000005', 'holding', 'nusantara-id'),
    account('JP-000006', 'holding', 'stranger-jp'),
    account('IN-000005', 'holding', 'sunrise-jp'),
    account('ID-000001', 'retirement', 'ID'),
  ].map((a) => [a.id, a]),
);
const line = (
  acc: string,
  holder: AllocationLineData['holder'],
  quantity: string,
  registry = acc.slice(0, 2),
): AllocationLineData => ({ holder, registry, account: acc, vintage: 2028, quantity });

describe('the holder kind of an account', () => {
  it.each([
    ['JP-000004', 'ID', 'government_japan'],
    ['ID-000004', 'ID', 'government_partner'],
    // A government account of a third country is nobody's side in this partnership.
    ['IN-000004', 'ID', 'other'],
    ['JP-000005', 'ID', 'participant_japan'],
    // A participant's side follows the stored project, not the registry the account is in.
    ['ID-000005', 'ID', 'participant_partner'],
    ['JP-000006', 'ID', 'other'],
    ['ID-000001', 'ID', 'other'],
  ])('%s in partnership %s is %s', (id, partnership, kind) => {
    expect(holderKindOf(accounts.get(id)!, partnership, project)).toBe(kind);
  });

  it('is other for a holding account when no project is stored', () => {
    expect(holderKindOf(accounts.get('JP-000005')!, 'ID', null)).toBe('other');
  });
});

describe('an allocation checked on stored accounts', () => {
  const indonesia = () => rulesInForce(rulebooks, 'ID', null, parseCivilDate('2028-06-01')!);
  const codeOf = (lines: AllocationLineData[], partnership = 'ID', rules = indonesia()) => {
    const result = checkAllocationOnAccounts(lines, accounts, partnership, project, rules);
    return result.ok ? 'ok' : result.error.code;
  };

  // One row per rule, in the order the check applies them.
  it.each([
    [
      // A participant's own account, but in the registry of a third partnership (India's).
      "a line in a registry that is neither Japan's nor the partner's",
      [line('ID-000004', 'government_partner', '10'), line('IN-000005', 'participant_japan', '90')],
      'allocation_line_registry_not_in_partnership',
    ],
    [
      'an account nobody opened',
      [line('JP-000999', 'participant_japan', '90')],
      'allocation_account_not_found',
    ],
    [
      'an account of another registry',
      [line('JP-000005', 'participant_japan', '90', 'ID')],
      'allocation_account_not_in_registry',
    ],
    [
      "a participant's account labelled the Government of Indonesia's to meet its 10%",
      [line('ID-000005', 'government_partner', '10'), line('JP-000005', 'participant_japan', '90')],
      'allocation_holder_mismatch',
    ],
    [
      "a stranger's account labelled a participant's",
      [line('ID-000004', 'government_partner', '10'), line('JP-000006', 'participant_japan', '90')],
      'allocation_holder_mismatch',
    ],
    [
      "the Government of Indonesia's account with less than 10%",
      [line('ID-000004', 'government_partner', '9'), line('JP-000005', 'participant_japan', '91')],
      'allocation_rule_violated',
    ],
    [
      "the Government of Indonesia's account with 10%",
      [line('ID-000004', 'government_partner', '10'), line('JP-000005', 'participant_japan', '90')],
      'ok',
    ],
  ])('%s: %s', (_name, lines, code) => {
    expect(codeOf(lines)).toBe(code);
  });

  it("refuses Palau's private partner-side participants and the MOEJ 50% on derived holders", () => {
    const palau = rulesInForce(rulebooks, 'PW', null, parseCivilDate('2028-06-01')!);
    const palauProject = { ...project, participantsPartner: ['stranger-jp'] } as ProjectData;
    const toStranger = [
      line('JP-000005', 'participant_japan', '90'),
      line('JP-000006', 'participant_partner', '10'),
    ];
    const palauCheck = checkAllocationOnAccounts(toStranger, accounts, 'PW', palauProject, palau);
    expect(palauCheck.ok ? 'ok' : palauCheck.error.code).toBe('allocation_rule_violated');
    // Labelled `other`, the same account is refused for the label, not let through.
    const relabelled = checkAllocationOnAccounts(
      [toStranger[0]!, line('JP-000006', 'other', '10')],
      accounts,
      'PW',
      palauProject,
      palau,
    );
    expect(relabelled.ok ? 'ok' : relabelled.error.code).toBe('allocation_holder_mismatch');

    const moej = rulesInForce(rulebooks, 'ID', 'moej_model_project', parseCivilDate('2028-06-01')!);
    const half = [
      line('JP-000004', 'government_japan', '45'),
      line('ID-000004', 'government_partner', '10'),
      line('JP-000005', 'participant_japan', '45'),
    ];
    expect(codeOf(half, 'ID', moej)).toBe('allocation_rule_violated');
    // The participant's account labelled the Government of Japan's to reach 50%.
    expect(
      codeOf(
        [
          line('JP-000004', 'government_japan', '45'),
          line('ID-000004', 'government_partner', '10'),
          line('JP-000005', 'government_japan', '45'),
        ],
        'ID',
        moej,
      ),
    ).toBe('allocation_holder_mismatch');
    expect(
      codeOf(
        [
          line('JP-000004', 'government_japan', '50'),
          line('ID-000004', 'government_partner', '10'),
          line('JP-000005', 'participant_japan', '40'),
        ],
        'ID',
        moej,
      ),
    ).toBe('ok');
  });
});
