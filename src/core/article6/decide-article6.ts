// Decisions for the Article 6.2 commands: recording a cooperative approach, a Party's authorisation
// (a change is a new version), another Party's confirmation, assigning held credits to an OIMP
// authorisation, and finalising a period. Pure: the state and the command in, an event or a rejection
// out, in this precedence: the records exist, the actor is the Party's government, then the content.
import { assertNever } from '../shared/assert.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import { isAdministrator, sitsOnJointCommittee, type Actor } from '../ledger/actor.ts';
import type { LedgerCommand } from '../ledger/commands.ts';
import type { LedgerEvent } from '../ledger/events.ts';
import { notAuthorised } from '../ledger/rules.ts';
import type { LedgerState } from '../ledger/state.ts';
import { checkAuthorisationContent } from './authorisation-rules.ts';
import { actsForParty } from './parties.ts';
import type { Authorisation, CooperativeApproach } from './types.ts';
import { decideAuthoriseUnits } from './authorise-units.ts';
import {
  approachById,
  currentAuthorisation,
  effectiveAuthorisation,
  type Article6State,
} from './state.ts';

type Article6Command = Extract<
  LedgerCommand,
  {
    type:
      | 'record_approach'
      | 'record_authorisation'
      | 'confirm_authorisation'
      | 'authorise_units'
      | 'finalise_adjustments';
  }
>;

export function decideArticle6(
  state: LedgerState,
  actor: Actor,
  command: Article6Command,
  recordedAt: string,
): Result<LedgerEvent> {
  switch (command.type) {
    case 'record_approach':
      return decideApproach(state.article6, actor, command);
    case 'record_authorisation':
      return decideAuthorisation(state.article6, actor, command, recordedAt);
    case 'confirm_authorisation':
      return decideConfirmation(state.article6, actor, command);
    case 'authorise_units':
      return decideAuthoriseUnits(state, actor, command, recordedAt);
    case 'finalise_adjustments':
      return decideFinalisation(state.article6, actor, command, recordedAt);
    default:
      return assertNever(command, 'Article 6.2 command');
  }
}

function decideApproach(
  a6: Article6State,
  actor: Actor,
  command: Extract<LedgerCommand, { type: 'record_approach' }>,
): Result<LedgerEvent> {
  const { approach } = command;
  if (!isAdministrator(actor) && !sitsOnJointCommittee(actor, approach.partnership))
    return notAuthorised(actor, `record the cooperative approach of ${approach.partnership}`);
  const previous = a6.approaches.get(approach.partnership);
  // A new version may change the NDCs and the report's text, never who takes part or where units sit:
  // the recorded authorisations and actions name them.
  if (
    previous !== undefined &&
    (previous.id !== approach.id ||
      participants(previous) !== participants(approach) ||
      previous.confirmationRequired !== approach.confirmationRequired)
  )
    return reject(
      'article6_approach_id_changed',
      `the approach of ${approach.partnership} is ${previous.id}; its id, Parties, registries and confirmation rule do not change`,
    );
  for (const other of a6.approaches.values())
    if (other.id === approach.id && other.partnership !== approach.partnership)
      return reject('article6_approach_id_changed', `${approach.id} is ${other.partnership}'s`);
  // Paragraph 18: the initial report describes the approach, how it ensures environmental integrity
  // and how it fosters sustainable development; an approach without them is not recorded.
  const missing = (
    [
      ['description', approach.description],
      ['environmental integrity', approach.environmentalIntegrity],
      ['sustainable development', approach.sustainableDevelopment],
    ] as const
  ).find(([, text]) => text.trim() === '');
  if (missing !== undefined)
    return reject(
      'article6_approach_information_missing',
      `the cooperative approach ${approach.id} states its ${missing[0]} (decision 2/CMA.3, annex, paragraph 18)`,
    );
  return ok({
    type: 'approach_recorded',
    approach: { ...approach, version: (previous?.version ?? 0) + 1 },
  });
}

function decideAuthorisation(
  a6: Article6State,
  actor: Actor,
  command: Extract<LedgerCommand, { type: 'record_authorisation' }>,
  recordedAt: string,
): Result<LedgerEvent> {
  const input = command.authorisation;
  const approach = approachById(a6, input.approach);
  if (approach === undefined)
    return reject('article6_approach_not_found', `no cooperative approach ${input.approach}`);
  if (!approach.parties.includes(input.party))
    return reject(
      'article6_party_not_in_approach',
      `${input.party} is not a Party to ${approach.id}`,
    );
  if (!actsForParty(actor, approach, input.party))
    return notAuthorised(actor, `authorise on behalf of ${input.party}`);
  const record = a6.authorisations.get(input.id);
  const previous = record?.versions.at(-1);
  if (
    previous !== undefined &&
    (previous.party !== input.party || previous.registry !== input.registry)
  )
    return reject(
      'article6_authorisation_party_changed',
      `${input.id} is ${previous.party}'s authorisation of credits in registry ${previous.registry}`,
    );
  // The AEF names, for each action, the latest version dated on or before it: a version dated before
  // its predecessor would take the place of versions already reported, finalised years included.
  if (previous !== undefined && input.date < previous.date)
    return reject(
      'article6_authorisation_date_before_previous',
      `version ${previous.version} of ${input.id} is dated ${previous.date}; a new version is not dated before it`,
    );
  const content = checkAuthorisationContent(approach, input, recordedAt);
  if (!content.ok) return content;
  const keeps = keepsCovered(a6, approach, input.id, input);
  if (!keeps.ok) return keeps;
  return ok({
    type: 'authorisation_recorded',
    authorisation: { ...input, version: (previous?.version ?? 0) + 1 },
  });
}

function decideConfirmation(
  a6: Article6State,
  actor: Actor,
  command: Extract<LedgerCommand, { type: 'confirm_authorisation' }>,
): Result<LedgerEvent> {
  const current = currentAuthorisation(a6, command.authorisation);
  if (current === undefined || current.registry !== command.registry)
    return reject('article6_authorisation_not_found', `no authorisation ${command.authorisation}`);
  const approach = approachById(a6, current.approach);
  if (approach === undefined)
    return reject('article6_approach_not_found', `no cooperative approach ${current.approach}`);
  const party = approach.parties.find(
    (p) => p !== current.party && actsForParty(actor, approach, p),
  );
  if (party === undefined) {
    return actsForParty(actor, approach, current.party)
      ? reject(
          'article6_confirmation_by_authorising_party',
          `${current.party} made ${current.id}; another Party confirms it`,
        )
      : notAuthorised(actor, `confirm authorisations of ${approach.id}`);
  }
  if (command.version !== current.version)
    return reject(
      'article6_authorisation_version_not_current',
      `${current.id} is at version ${current.version}, not ${command.version}`,
    );
  if (a6.authorisations.get(current.id)?.confirmations.get(current.version)?.has(party) === true)
    return reject(
      'article6_authorisation_already_confirmed',
      `${party} has confirmed version ${current.version} of ${current.id}`,
    );
  // Checked again when it would take effect: credits covered meanwhile under the version in force.
  const keeps = keepsCovered(a6, approach, current.id, current);
  if (!keeps.ok) return keeps;
  return ok({
    type: 'authorisation_confirmed',
    authorisation: current.id,
    version: current.version,
    party,
  });
}

function decideFinalisation(
  a6: Article6State,
  actor: Actor,
  command: Extract<LedgerCommand, { type: 'finalise_adjustments' }>,
  recordedAt: string,
): Result<LedgerEvent> {
  const approaches = [...a6.approaches.values()].filter((a) =>
    a.registries.some((r) => r.party === command.party && r.registry === command.registry),
  );
  const approach = approaches[0];
  if (approach === undefined)
    return reject('article6_party_not_in_approach', `${command.party} takes part in no approach`);
  if (!actsForParty(actor, approach, command.party))
    return notAuthorised(actor, `finalise the adjustments of ${command.party}`);
  const ndc = approach.ndcs.find((n) => n.party === command.party);
  if (ndc === undefined)
    return reject('article6_ndc_information_missing', `${command.party} has recorded no NDC`);
  if (
    command.firstYear > command.lastYear ||
    command.firstYear < ndc.firstYear ||
    command.lastYear > ndc.lastYear
  )
    return reject(
      'article6_year_outside_ndc_period',
      `${command.firstYear}-${command.lastYear} is not within ${command.party}'s NDC period ${ndc.firstYear}-${ndc.lastYear}`,
    );
  const overlap = a6.finalisations.find(
    (f) =>
      f.party === command.party &&
      f.firstYear <= command.lastYear &&
      command.firstYear <= f.lastYear,
  );
  if (overlap !== undefined)
    return reject(
      'article6_period_already_finalised',
      `${command.party} finalised ${overlap.firstYear}-${overlap.lastYear} already`,
    );
  return ok({
    type: 'adjustments_finalised',
    finalisation: {
      party: command.party,
      firstYear: command.firstYear,
      lastYear: command.lastYear,
      date: recordedAt.slice(0, 10),
    },
  });
}

/** Who takes part in an approach and where their units sit, as one comparable text. */
function participants(a: Omit<CooperativeApproach, 'version'>): string {
  const registries = a.registries.map((r) => `${r.registry}:${r.partyRegistryId}:${r.party}`);
  return `${[...a.parties].sort().join(',')}|${registries.sort().join(',')}`;
}

/**
 * A new version keeps what the credits it already covers were authorised for: not a lower cap than
 * they number, and, once any are covered, no vintage, project or purpose fewer than the version in
 * force (the ledger, the AEF and its check would otherwise judge those credits by different terms).
 */
function keepsCovered(
  a6: Article6State,
  approach: CooperativeApproach,
  id: string,
  next: Omit<Authorisation, 'version'>,
): Result<true> {
  const record = a6.authorisations.get(id);
  if (record === undefined || record.covered === 0n) return ok(true);
  if (next.quantityCap !== null && next.quantityCap < record.covered)
    return reject(
      'article6_authorisation_cap_below_covered',
      `${record.covered} credits are already covered by ${id}; the cap cannot go below it`,
    );
  const now = effectiveAuthorisation(a6, approach, id);
  if (
    now !== undefined &&
    (next.vintageFirst > now.vintageFirst ||
      next.vintageLast < now.vintageLast ||
      now.projects.some((p) => !next.projects.includes(p)) ||
      now.purposes.some((p) => !next.purposes.includes(p)))
  )
    return reject(
      'article6_authorisation_narrows_covered',
      `${record.covered} credits are covered by ${id} version ${now.version}; a new version keeps its vintages, projects and purposes`,
    );
  return ok(true);
}
