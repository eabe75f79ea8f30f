// The India-Japan partnership under Article 6.2 in memory, for the unit tests of the core's rules:
// the governments and other actors, the cooperative approach CA0001 with both NDCs, authorisation
// inputs, a ledger with both registries and their accounts, and small helpers to run commands,
// issue lines and read the ITMO state back.
import { expect } from 'vitest';
import type {
  Action,
  Authorisation,
  CooperativeApproach,
  Ndc,
} from '../../src/core/article6/types.ts';
import { actorWithRoles, type Actor } from '../../src/core/ledger/actor.ts';
import type { LedgerCommand, Selection } from '../../src/core/ledger/commands.ts';
import type { LedgerEvent } from '../../src/core/ledger/events.ts';
import { normalise, type SerialRange } from '../../src/core/ledger/serial-range.ts';
import { accountBlocks, type LedgerState } from '../../src/core/ledger/state.ts';
import type { Block, RetirementPurpose } from '../../src/core/ledger/types.ts';
import type { AccountId, DecisionId, ProjectRef, RegistryId } from '../../src/core/shared/ids.ts';
import { MemoryLedger } from './memory-ledger.ts';

export const JP = 'JP' as RegistryId;
export const IN = 'IN' as RegistryId;
export const IN001 = 'IN001' as ProjectRef;
export const IN002 = 'IN002' as ProjectRef;
export const IN003 = 'IN003' as ProjectRef;
export const A = (id: string) => id as AccountId;

export const admin = actorWithRoles('admin', 'administrator');
export const govJapan = actorWithRoles('gov-jp', 'government_japan');
export const govIndia = actorWithRoles('gov-in', 'government_partner:IN');
export const jcIndia = actorWithRoles('jc-in', 'joint_committee:IN');

/** The accounts `indiaJapan()` opens; each registry's 1-3 are retirement, cancellation, reserve. */
export const accounts = {
  jpRetirement: A('JP-000001'),
  jpCancellation: A('JP-000002'),
  acme: A('JP-000004'),
  beta: A('JP-000005'),
  inRetirement: A('IN-000001'),
  inCancellation: A('IN-000002'),
  developer: A('IN-000004'),
  skyAir: A('IN-000005'),
  other: A('IN-000006'),
} as const;

/** Sky Air, the airline India authorises for CORSIA. */
export const skyAirEntity = {
  organisation: 'skyair',
  name: 'Sky Air Ltd',
  country: 'IN',
  identifier: 'U62100DL2019PLC000001',
} as const;

export function ndc(party: string, over: Partial<Ndc> = {}): Ndc {
  return {
    party,
    kind: 'single_year',
    firstYear: 2021,
    lastYear: 2030,
    targetYear: 2030,
    metric: 't_co2e',
    method: 'trajectory',
    trajectory: [],
    budget: null,
    emissions: [],
    ...over,
  };
}

export function indiaJapanApproach(
  over: Partial<Omit<CooperativeApproach, 'version'>> = {},
): Omit<CooperativeApproach, 'version'> {
  return {
    id: 'CA0001',
    partnership: IN,
    parties: ['JPN', 'IND'],
    registries: [
      { registry: JP, partyRegistryId: 'JPN01', party: 'JPN' },
      { registry: IN, partyRegistryId: 'IND01', party: 'IND' },
    ],
    ndcs: [ndc('JPN', { method: 'averaging' }), ndc('IND')],
    confirmationRequired: true,
    description: 'The Joint Crediting Mechanism between Japan and India (MoC of 2025).',
    environmentalIntegrity: 'Conservative reference emissions; verification by accredited TPEs.',
    sustainableDevelopment: 'Sustainable development contribution plans for every project.',
    ...over,
  };
}

/** India's authorisation of IN001 credits, vintages 2026-2030, for use towards Japan's NDC in JP. */
export function authorisation(over: Partial<Omit<Authorisation, 'version'>> = {}) {
  const base: Omit<Authorisation, 'version'> = {
    id: 'IND-2026-001',
    party: 'IND',
    approach: 'CA0001',
    date: '2026-05-01',
    registry: JP,
    projects: [IN001],
    vintageFirst: 2026,
    vintageLast: 2030,
    quantityCap: 1000n,
    validFrom: '2026-01-01',
    validUntil: '2031-12-31',
    purposes: ['ndc'],
    oimp: null,
    firstTransferDefinition: null,
    authorisedParties: ['JPN'],
    authorisedEntities: [],
    terms: 'Use towards the NDC of Japan under the JCM.',
  };
  return { ...base, ...over };
}

/** An India OIMP (CORSIA) authorisation of IN registry credits with the given first-transfer definition. */
export function oimpAuthorisation(
  id: string,
  definition: NonNullable<Authorisation['firstTransferDefinition']>,
  over: Partial<Omit<Authorisation, 'version'>> = {},
) {
  return authorisation({
    id,
    registry: IN,
    quantityCap: null,
    purposes: ['oimp'],
    oimp: 'CORSIA',
    firstTransferDefinition: definition,
    authorisedParties: ['IND'],
    authorisedEntities: [skyAirEntity],
    terms: 'For CORSIA first-phase offsetting.',
    ...over,
  });
}

/** Runs a command that must be accepted; throws with the code otherwise. */
export function mustRun(
  ledger: MemoryLedger,
  actor: Actor,
  command: LedgerCommand,
): { event: LedgerEvent; seq: bigint } {
  const result = ledger.run(actor, command);
  if (!result.ok) throw new Error(`${command.type}: ${result.error.code}: ${result.error.message}`);
  return { event: result.value, seq: result.seq as bigint };
}

/** Runs a command that must be refused; returns its code. */
export function refusedCode(ledger: MemoryLedger, actor: Actor, command: LedgerCommand): string {
  const result = ledger.run(actor, command);
  if (result.ok) throw new Error(`${command.type} was accepted`);
  return result.error.code;
}

/**
 * Both registries with their accounts (see `accounts`) and the approach CA0001, nothing authorised.
 * Project IN001 and IN002 credits are verified for 2025-2031 as decisions ask.
 */
export function indiaJapan(approach = indiaJapanApproach()): MemoryLedger {
  const ledger = new MemoryLedger();
  const steps: LedgerCommand[] = [
    { type: 'open_registry', registry: JP, name: 'Japan' },
    { type: 'open_registry', registry: IN, name: 'India' },
    ...(
      [
        [JP, 'acme', 'Acme Corp'],
        [JP, 'beta', 'Beta Power'],
        [IN, 'dev', 'Developer Pvt'],
        [IN, 'skyair', 'Sky Air Ltd'],
        [IN, 'other', 'Other Co'],
      ] as const
    ).map(([registry, holderId, holderName]): LedgerCommand => ({
      type: 'open_account',
      registry,
      accountType: 'holding',
      holderId,
      holderName,
    })),
  ];
  for (const step of steps) mustRun(ledger, admin, step);
  mustRun(ledger, jcIndia, { type: 'record_approach', approach });
  return ledger;
}

/** Authorisations recorded by India and confirmed by Japan. */
export function authoriseAndConfirm(
  ledger: MemoryLedger,
  ...inputs: Omit<Authorisation, 'version'>[]
): void {
  for (const input of inputs) {
    const { event } = mustRun(ledger, govIndia, {
      type: 'record_authorisation',
      authorisation: input,
    });
    if (event.type !== 'authorisation_recorded') throw new Error(event.type);
    mustRun(ledger, govJapan, {
      type: 'confirm_authorisation',
      registry: input.registry,
      authorisation: input.id,
      version: event.authorisation.version,
    });
  }
}

let decisionCount = 0;

export interface Line {
  readonly registry: RegistryId;
  readonly account: AccountId;
  readonly vintage: number;
  readonly quantity: bigint;
}

/** Records a Joint Committee decision for the lines (each vintage verified exactly). */
export function recordDecision(
  ledger: MemoryLedger,
  project: ProjectRef,
  lines: readonly Line[],
): DecisionId {
  decisionCount += 1;
  const decision = `D${decisionCount}` as DecisionId;
  const verified = new Map<number, bigint>();
  for (const l of lines) verified.set(l.vintage, (verified.get(l.vintage) ?? 0n) + l.quantity);
  mustRun(ledger, admin, {
    type: 'record_issuance_decision',
    decision,
    project,
    verificationReference: `V-${decision}`,
    verifiedReductions: [...verified].map(([vintage, quantity]) => ({ vintage, quantity })),
    lines,
  });
  return decision;
}

/** The issue command of a decision's line. */
export function issueLine(registry: RegistryId, decision: DecisionId, lineNo = 1): LedgerCommand {
  return { type: 'issue', registry, decision, lineNo };
}

/** Records a one-line decision and issues it; returns the issuance event and its entry. */
export function issue(
  ledger: MemoryLedger,
  project: ProjectRef,
  line: Line,
): { event: Extract<LedgerEvent, { type: 'credits_issued' }>; seq: bigint } {
  const decision = recordDecision(ledger, project, [line]);
  const { event, seq } = mustRun(ledger, admin, issueLine(line.registry, decision));
  if (event.type !== 'credits_issued') throw new Error(event.type);
  return { event, seq };
}

export const ranges = (project: ProjectRef, first: bigint, last: bigint): Selection => ({
  kind: 'ranges',
  ranges: [{ project, serials: { first, last } }],
});

export function retire(
  from: AccountId,
  selection: Selection,
  purpose: RetirementPurpose,
  yearOfUse?: number,
): LedgerCommand {
  return {
    type: 'retire',
    from,
    selection,
    purpose,
    beneficiary: 'Government of Japan',
    note: 'test',
    ...(yearOfUse === undefined ? {} : { yearOfUse }),
  };
}

/** An account's blocks as `first-last` with their ITMO attributes, for exact comparisons. */
export function holdings(state: LedgerState, account: AccountId) {
  return accountBlocks(state, account).map((b: Block) => ({
    project: b.project,
    serials: `${b.serials.first}-${b.serials.last}`,
    itmo: b.itmo ?? null,
  }));
}

/** The actions of one entry (chain, seq), in order. */
export function actionsOf(ledger: MemoryLedger, chain: string, seq: bigint): Action[] {
  return ledger.actions.filter((a) => a.entry.chain === chain && a.entry.seq === seq);
}

/** A deep copy of everything a refusal must leave alone. */
export function snapshot(ledger: MemoryLedger) {
  return structuredClone({ state: ledger.state, actions: ledger.actions });
}

/** Asserts that a command is refused with the code and changes nothing. */
export function expectRefusedUnchanged(
  ledger: MemoryLedger,
  actor: Actor,
  command: LedgerCommand,
  code: string,
): void {
  const before = snapshot(ledger);
  expect(refusedCode(ledger, actor, command)).toBe(code);
  expect(snapshot(ledger)).toEqual(before);
}

/** The serial ranges per `registry|project`, merged. */
export type RangesByKey = Map<string, SerialRange[]>;

export function mergeInto(map: RangesByKey, key: string, range: SerialRange): void {
  map.set(key, normalise([...(map.get(key) ?? []), range]));
}

/** An action row as the core derives it, with the fields of India's issuance into JP by default. */
export function actionRow(fields: Partial<Action>): Action {
  return {
    party: 'IND',
    type: 'authorization',
    subtype: null,
    date: '2026-06-01',
    approach: 'CA0001',
    authorisation: 'IND-2026-001',
    firstParty: 'IND',
    registry: JP,
    partyRegistryId: 'JPN01',
    project: IN001,
    vintage: 2027,
    serialFirst: 1n,
    serialLast: 1n,
    quantity: 1n,
    transferringParty: null,
    acquiringParty: null,
    purpose: 'ndc',
    usingOrCancelling: null,
    yearOfUse: null,
    entry: { chain: 'JP', seq: 0n },
    ...fields,
  };
}
