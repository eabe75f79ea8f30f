// The project cycle's transition function, table-driven over the whole definition: for every
// transition, the right role with its documents and guards passes to the next state; every other role
// is refused; each missing document and each failed guard is refused with its own code; and the
// rejections come in their documented precedence.
import { describe, expect, it } from 'vitest';
import {
  cycleDefinition,
  roles,
  type CycleRole,
  type DocumentType,
  type Guard,
  type TransitionRule,
} from '../../../src/core/cycle/definition.ts';
import {
  decideTransition,
  guardCodes,
  type TransitionRequest,
} from '../../../src/core/cycle/transition.ts';
import { addDays, formatCivilDate, parseCivilDate } from '../../../src/core/shared/civil-date.ts';
import { inbox } from '../../../src/core/cycle/deadlines.ts';

const today = parseCivilDate('2026-12-28')!;

function passing(
  rule: TransitionRule,
  overrides: Partial<TransitionRequest> = {},
): TransitionRequest {
  return {
    machine: rule.machine,
    state: rule.from,
    action: rule.action,
    actorRoles: [rule.roles[0] as CycleRole],
    documents: new Set(rule.documents),
    guardOutcomes: Object.fromEntries(rule.guards.map((g) => [g, true])) as Record<Guard, true>,
    today,
    ...overrides,
  };
}

const name = (r: TransitionRule) => `${r.machine} ${r.from ?? '(new)'} --${r.action}--> ${r.to}`;

describe.each(cycleDefinition.map((r) => [name(r), r] as const))('%s', (_name, rule) => {
  it('passes with its role, documents and guards', () => {
    const result = decideTransition(passing(rule));
    expect(result.ok ? result.value.to : result.error.code).toBe(rule.to);
    if (result.ok && rule.opens !== undefined) {
      expect(result.value.due?.date).toBe(formatCivilDate(addDays(today, rule.opens.days)));
    }
  });

  it('refuses every other role', () => {
    for (const role of roles.filter((r) => !rule.roles.includes(r))) {
      const result = decideTransition(passing(rule, { actorRoles: [role] }));
      expect(result.ok ? 'ok' : result.error.code, role).toBe('cycle_role_not_allowed');
    }
  });

  it('refuses each missing document', () => {
    for (const document of rule.documents) {
      const documents = new Set<DocumentType>(rule.documents.filter((d) => d !== document));
      const result = decideTransition(passing(rule, { documents }));
      expect(result.ok ? 'ok' : result.error.code, document).toBe('cycle_documents_missing');
      expect(result.ok ? [] : result.error.details?.missing).toEqual([document]);
    }
  });

  it('refuses each failed guard with its code', () => {
    for (const guard of rule.guards) {
      const outcomes = { ...passing(rule).guardOutcomes, [guard]: { message: 'test' } };
      const result = decideTransition(passing(rule, { guardOutcomes: outcomes }));
      expect(result.ok ? 'ok' : result.error.code, guard).toBe(guardCodes[guard]);
    }
  });
});

describe('rejections in precedence order (request_registration of a project)', () => {
  const rule = cycleDefinition.find((r) => r.action === 'request_registration')!;
  const failedGuard = { allocation_meets_rulebook: { message: 'ID-1' } } as const;
  // Each row breaks its own rule and every rule after it; the code is that of its own rule.
  const rows: [string, Partial<TransitionRequest>, string][] = [
    [
      'unknown action',
      {
        action: 'register_twice',
        state: 'registered',
        actorRoles: ['secretariat'],
        documents: new Set(),
        guardOutcomes: failedGuard,
      },
      'cycle_action_unknown',
    ],
    [
      'wrong state',
      {
        state: 'public_input',
        actorRoles: ['secretariat'],
        documents: new Set(),
        guardOutcomes: failedGuard,
      },
      'cycle_action_not_allowed_in_state',
    ],
    [
      'wrong role',
      { actorRoles: ['secretariat'], documents: new Set(), guardOutcomes: failedGuard },
      'cycle_role_not_allowed',
    ],
    [
      'missing documents',
      { documents: new Set(), guardOutcomes: failedGuard },
      'cycle_documents_missing',
    ],
    [
      'rulebook document missing',
      { extraDocuments: ['project_information_sheet'], guardOutcomes: failedGuard },
      'cycle_documents_missing',
    ],
    ['failed guard', { guardOutcomes: failedGuard }, 'allocation_rule_violated'],
  ];
  it.each(rows)('%s', (_label, overrides, code) => {
    const result = decideTransition(passing(rule, overrides));
    expect(result.ok ? 'ok' : result.error.code).toBe(code);
  });

  it('throws when the services forgot to evaluate a guard (a bug, not a pass)', () => {
    expect(() => decideTransition(passing(rule, { guardOutcomes: {} }))).toThrow(/was evaluated/);
  });
});

describe('deadlines', () => {
  it.each([
    ['2026-12-28', 7, '2027-01-04'],
    ['2026-12-25', 7, '2027-01-01'],
    ['2027-02-25', 7, '2027-03-04'],
    ['2028-02-25', 7, '2028-03-03'],
    ['2026-01-31', 30, '2026-03-02'],
    ['2028-01-31', 30, '2028-03-01'],
    ['2026-11-16', 15, '2026-12-01'],
    ['2026-12-31', 60, '2027-03-01'],
    ['2099-12-31', 1, '2100-01-01'],
  ])('%s + %i days is %s', (from, days, due) => {
    expect(formatCivilDate(addDays(parseCivilDate(from)!, days))).toBe(due);
  });

  it('lists waiting and overdue steps per role, most urgent first', () => {
    const steps = [
      {
        machine: 'project',
        item: 'P2',
        state: 'public_input',
        step: 'public input',
        role: 'secretariat',
        due: '2027-01-10',
      },
      {
        machine: 'project',
        item: 'P1',
        state: 'registration_completeness',
        step: 'completeness check',
        role: 'secretariat',
        due: '2026-12-31',
      },
      {
        machine: 'issuance',
        item: 'I1',
        state: 'issuance_revision',
        step: 'revision',
        role: 'project_participant',
        due: '2026-12-01',
      },
      {
        machine: 'project',
        item: 'P3',
        state: 'validation',
        step: 'validation',
        role: 'secretariat',
        due: null,
      },
    ] as const;
    const box = inbox(steps, 'secretariat', parseCivilDate('2027-01-01')!);
    expect(box.map((e) => [e.item, e.overdue, e.daysLeft])).toEqual([
      ['P1', true, -1],
      ['P2', false, 9],
      ['P3', false, null],
    ]);
  });
});
