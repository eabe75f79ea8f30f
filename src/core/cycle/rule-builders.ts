// The builders of the cycle's table (definition.ts and project-rules.ts): a rule, the acting roles
// by their short names, the deadlines of completeness checks and revisions, and finding loops.
import type {
  CycleRole,
  Deadline,
  DocumentType,
  Guard,
  Machine,
  TransitionRule,
} from './vocabulary.ts';

export const pp: CycleRole[] = ['project_participant'];
export const tpe: CycleRole[] = ['third_party_entity'];
export const sec: CycleRole[] = ['secretariat'];
export const jc: CycleRole[] = ['joint_committee'];
export const rule = (
  machine: Machine,
  from: string | null,
  action: string,
  to: string,
  who: readonly CycleRole[],
  documents: readonly DocumentType[] = [],
  guardList: readonly Guard[] = [],
  opens?: Deadline,
): TransitionRule =>
  opens === undefined
    ? { machine, from, action, to, roles: who, documents, guards: guardList }
    : { machine, from, action, to, roles: who, documents, guards: guardList, opens };

export const completeness = (days: number): Deadline => ({
  days,
  role: 'secretariat',
  step: 'completeness check',
});
export const revision = (days: number): Deadline => ({
  days,
  role: 'project_participant',
  step: 'revision of editorial issues',
});

/** Findings (CAR, CL, FAR) are raised, answered and closed without leaving the state. */
export const findingLoops = (machine: Machine, state: string): TransitionRule[] => [
  rule(machine, state, 'raise_finding', state, tpe),
  rule(machine, state, 'answer_finding', state, pp),
  rule(machine, state, 'close_finding', state, tpe),
];
