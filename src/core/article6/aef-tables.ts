// The AEF of a Party for a reported year (decision 2/CMA.3, annex, paragraph 20; the tables of the
// description in article6/aef.yaml): one row per authorisation version, action, block held at 31
// December and authorised entity, each row keyed by the description's field keys. Rows are built here
// from the platform's records; which columns appear, in which order and with which labels and codes is
// the description's business, so a new AEF version is a change of data.
// Its input and output types are in aef-input.ts.
import { formatBlockId } from '../ledger/block-id.ts';
import type { ProjectRef } from '../shared/ids.ts';
import { assert, assertNever } from '../shared/assert.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import {
  aefTable,
  formatAefDate,
  labelOfCode,
  type AefDescription,
  type AefFieldDescription,
  type AefTableDescription,
  type AefTableKey,
} from './aef-description.ts';
import type { AefEntity, AefInput, AefProject, AefRow, AefTables, Holding } from './aef-input.ts';
import { formatItmoId } from './itmo-id.ts';
import { purposeSet, type Action, type Authorisation, type Ndc } from './types.ts';

export type { AefEntity, AefInput, AefProject, AefRow, AefTables, Holding } from './aef-input.ts';

/** A row before the description writes it: codes, ISO dates, lists as arrays. */
type Semantic = Readonly<Record<string, string | readonly string[] | null>>;

const oimpFirstTransfers: readonly string[] = ['authorization', 'issuance', 'use_or_cancellation'];

export function buildAefTables(input: AefInput, description: AefDescription): Result<AefTables> {
  const ndc = ndcOfYear(input);
  if (ndc === null)
    return reject(
      'article6_ndc_information_missing',
      `${input.party} has no NDC whose implementation period includes ${input.year} in any cooperative approach`,
      { party: input.party, year: input.year },
    );
  const yearEnd = `${input.year}-12-31`;
  const projects = new Map(input.projects.map((p) => [p.project, p]));
  const authorisations = input.authorisations
    .filter((a) => a.party === input.party && a.date <= yearEnd)
    .toSorted((a, b) => compareText(a.id, b.id) || a.version - b.version);
  const actions = input.actions
    .filter((a) => a.party === input.party && a.date.startsWith(`${input.year}-`))
    .toSorted(
      (a, b) =>
        compareText(a.date, b.date) ||
        compareText(a.entry.chain, b.entry.chain) ||
        compareBig(a.entry.seq, b.entry.seq),
    );
  const holdings = input.holdings.toSorted(
    (a, b) =>
      compareText(a.approach, b.approach) ||
      compareText(a.partyRegistryId, b.partyRegistryId) ||
      compareText(a.project, b.project) ||
      a.vintage - b.vintage ||
      compareBig(a.serialFirst, b.serialFirst),
  );
  const entities = input.entities
    .filter((e) => e.date <= yearEnd)
    .toSorted(
      (a, b) =>
        compareText(a.approach, b.approach) ||
        compareText(a.date, b.date) ||
        compareText(a.name, b.name),
    );
  const write = (key: AefTableKey, rows: readonly Semantic[]) =>
    rows.map((row) => writeRow(aefTable(description, key), row, description));
  return ok({
    submission: write('submission', [submissionRow(input, ndc)]),
    authorizations: write(
      'authorizations',
      authorisations.map((a) => authorisationRow(a, projects)),
    ),
    actions: write(
      'actions',
      actions.map((a) =>
        actionRow(a, inForce(input.authorisations, a.authorisation, a.date), projects),
      ),
    ),
    holdings: write(
      'holdings',
      holdings.map((h) => holdingRow(h, projects)),
    ),
    authorized_entities: write('authorized_entities', entities.map(entityRow)),
  });
}

/** The Party's NDC whose period includes the year, in the first approach (by id) that has one. */
function ndcOfYear(input: AefInput): Ndc | null {
  for (const approach of input.approaches.toSorted((a, b) => compareText(a.id, b.id)))
    for (const ndc of approach.ndcs)
      if (ndc.party === input.party && ndc.firstYear <= input.year && input.year <= ndc.lastYear)
        return ndc;
  return null;
}

/** The version of an authorisation in force on a date: the latest one dated on or before it. */
export function inForce(
  authorisations: readonly Authorisation[],
  id: string,
  date: string,
): Authorisation | null {
  let found: Authorisation | null = null;
  for (const a of authorisations)
    if (a.id === id && a.date <= date && (found === null || a.version > found.version)) found = a;
  return found;
}

function submissionRow(input: AefInput, ndc: Ndc): Semantic {
  assert(ndc.firstYear <= input.year && input.year <= ndc.lastYear, 'the NDC covers the year');
  return {
    party: input.party,
    version: input.version,
    reported_year: String(input.year),
    date_of_submission: input.submittedOn,
    ndc_first_year: String(ndc.firstYear),
    ndc_last_year: String(ndc.lastYear),
  };
}

function authorisationRow(a: Authorisation, projects: ReadonlyMap<string, AefProject>): Semantic {
  assert(a.purposes.length > 0, `authorisation ${a.id} names its purposes`);
  assert(a.vintageFirst <= a.vintageLast, `authorisation ${a.id} has ordered vintages`);
  const ofProjects = (pick: (p: AefProject) => readonly string[]) =>
    [...new Set(a.projects.flatMap((ref) => pick(projects.get(ref) ?? noProject)))].sort();
  return {
    authorization_id: a.id,
    authorization_date: a.date,
    cooperative_approach_id: a.approach,
    authorization_version: String(a.version),
    authorized_quantity: a.quantityCap === null ? null : a.quantityCap.toString(),
    metric: 'ghg',
    sectors: ofProjects((p) => p.sectors),
    activity_types: ofProjects((p) => p.activityTypes),
    purposes: purposeSet(a.purposes),
    authorized_parties: a.authorisedParties,
    authorized_entities: a.authorisedEntities.map((e) => e.identifier),
    oimp: a.oimp,
    authorized_timeframe: timeframe(a),
    terms: a.terms === '' ? null : a.terms,
    first_transfer_definition: a.firstTransferDefinition,
    additional_information: `Projects ${a.projects.join(', ')}.`,
  };
}

const noProject: AefProject = {
  project: '' as ProjectRef,
  sectors: [],
  activityTypes: [],
  mitigationType: 'emission_reductions',
};

/** The vintages covered and, where both dates are set, the dates it may be acted on. */
function timeframe(a: Authorisation): string {
  const occurred = `Occurred: from ${a.vintageFirst} to ${a.vintageLast}`;
  if (a.validFrom === null || a.validUntil === null) return occurred;
  const day = (iso: string) => formatAefDate(iso, 'dd/mm/yyyy');
  return `${occurred}. Use: from ${day(a.validFrom)} to ${day(a.validUntil)}`;
}

function actionRow(
  a: Action,
  authorisation: Authorisation | null,
  projects: ReadonlyMap<string, AefProject>,
): Semantic {
  assert(
    a.serialFirst <= a.serialLast,
    `action ${a.entry.chain}#${a.entry.seq} has ordered serials`,
  );
  assert(
    a.quantity === a.serialLast - a.serialFirst + 1n,
    `action ${a.entry.chain}#${a.entry.seq} counts its serials`,
  );
  const subtype = subtypeOf(a, authorisation);
  const usesOrCancels =
    a.type === 'use' || a.type === 'cancellation' || a.type === 'voluntary_cancellation';
  const byParty = a.usingOrCancelling !== null && /^[A-Z]{3}$/.test(a.usingOrCancelling);
  return {
    action_date: a.date,
    action_type: a.type,
    action_subtype: subtype,
    ...unitColumns(a, projects),
    transferring_party: a.transferringParty,
    acquiring_party: a.acquiringParty,
    oimp_purpose: isForOimp(a, subtype) ? (authorisation?.oimp ?? null) : null,
    using_party: usesOrCancels && byParty ? a.usingOrCancelling : null,
    using_entity: usesOrCancels && !byParty ? a.usingOrCancelling : null,
    year_of_use: a.yearOfUse === null ? null : String(a.yearOfUse),
    additional_information: `Journal entry ${a.entry.chain}#${a.entry.seq}.`,
  };
}

/** The AEF's subtype of an action (the description's codes of "Action subtype"). */
function subtypeOf(a: Action, authorisation: Authorisation | null): string | null {
  switch (a.type) {
    case 'first_transfer':
      return a.acquiringParty !== null
        ? 'first_transfer_to_another_party'
        : (authorisation?.firstTransferDefinition ?? null);
    case 'cancellation':
    case 'voluntary_cancellation':
      // Under Article 6.2 a cancellation for OMGE is voluntary (decision 2/CMA.3, annex, para. 39).
      return a.subtype === 'omge'
        ? 'omge_voluntary'
        : a.subtype === 'other'
          ? 'other_cancellations'
          : null;
    case 'authorization':
    case 'transfer':
    case 'acquisition':
    case 'use':
      return null;
    default:
      return assertNever(a.type, 'action type');
  }
}

function isForOimp(a: Action, subtype: string | null): boolean {
  if (a.type === 'first_transfer') return subtype !== null && oimpFirstTransfers.includes(subtype);
  // The ledger names the retirement purpose of a use (oimp, ndc_use, ...); without it, a use with no
  // year of use towards the NDC is for OIMP.
  if (a.type === 'use') return a.subtype !== null ? a.subtype === 'oimp' : a.yearOfUse === null;
  return (a.type === 'cancellation' || a.type === 'voluntary_cancellation') && a.subtype === 'oimp';
}

function holdingRow(h: Holding, projects: ReadonlyMap<string, AefProject>): Semantic {
  assert(
    h.serialFirst <= h.serialLast,
    `holding ${h.project} ${h.serialFirst} has ordered serials`,
  );
  assert(
    h.quantity === h.serialLast - h.serialFirst + 1n,
    `holding ${h.project} counts its serials`,
  );
  return unitColumns(h, projects);
}

/** The columns Actions and Holdings share: the approach, the authorisation and the units. */
function unitColumns(
  u: Action | Holding,
  projects: ReadonlyMap<string, AefProject>,
): Record<string, string | null> {
  const itmo = (serial: bigint) =>
    formatItmoId({
      approach: u.approach,
      partyRegistryId: u.partyRegistryId,
      firstParty: u.firstParty,
      project: u.project,
      serial,
      vintage: u.vintage,
    });
  const unit = (serial: bigint) =>
    formatBlockId({
      project: u.project,
      vintage: u.vintage,
      serials: { first: serial, last: serial },
    });
  return {
    cooperative_approach_id: u.approach,
    authorization_id: u.authorisation,
    first_transferring_party: u.firstParty,
    party_registry_id: u.partyRegistryId,
    first_id: itmo(u.serialFirst),
    last_id: itmo(u.serialLast),
    unit_registry: 'jcm',
    first_unit_id: unit(u.serialFirst),
    last_unit_id: unit(u.serialLast),
    metric: 'ghg',
    quantity: u.quantity.toString(),
    mitigation_type: projects.get(u.project)?.mitigationType ?? null,
    vintage: String(u.vintage),
  };
}

function entityRow(e: AefEntity): Semantic {
  return {
    authorization_date: e.date,
    name: e.name,
    country: e.country,
    identifier: e.identifier,
    cooperative_approach_id: e.approach,
    conditions: e.conditions,
    change_conditions: e.changeConditions,
    additional_information: `Organisation ${e.organisation}; authorization ${e.authorisation}.`,
  };
}

/** A row as the description writes it: its fields in order, codes as labels, dates in its format. */
function writeRow(table: AefTableDescription, row: Semantic, d: AefDescription): AefRow {
  return Object.fromEntries(table.fields.map((f) => [f.key, writeCell(f, row[f.key], d)]));
}

function writeCell(
  field: AefFieldDescription,
  value: string | readonly string[] | null | undefined,
  d: AefDescription,
): string | null {
  // The UNFCCC's platform fills these; the Party leaves them blank.
  if (value === undefined || value === null || field.filled_by === 'unfccc') return null;
  const items = typeof value === 'string' ? [value] : value;
  if (items.length === 0) return null;
  assert(items.length === 1 || field.multiple === true, `${field.key} holds one value`);
  return items
    .map((item) =>
      field.type === 'code'
        ? (labelOfCode(field, item) ?? item)
        : field.type === 'date'
          ? formatAefDate(item, d.date_format)
          : item,
    )
    .join(d.list_separator);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
