// Article 6.2 writes: the cooperative approach recorded from the partnership's record, a Party's
// authorisation (its entities resolved from the stored organisations), another Party's confirmation,
// credits assigned to an OIMP authorisation, and a Party's finalised period. Each is a registry
// command through its chain's writer (ledger-service.ts): decided in the core, journalled, replayed by
// the audit. Nothing that authorises comes from the request: the actor's roles, the approach, the
// organisations and the rulebook are read from the store.
import type { Rulebook } from '../core/cycle/rulebook.ts';
import { approachFromPartnership } from '../core/article6/approach-record.ts';
import type { Authorisation, AuthorisedEntity } from '../core/article6/types.ts';
import type { LedgerCommand } from '../core/ledger/commands.ts';
import {
  parseAccountId,
  parseProjectRef,
  parseRegistryId,
  type ProjectRef,
} from '../core/shared/ids.ts';
import { parseQuantity } from '../core/shared/numbers.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import type { Db } from '../db/connect.ts';
import type { PartnershipQueries } from '../db/partnership-store.ts';
import { organisationsByIds } from '../db/organisation-store.ts';
import {
  approachInputSchema,
  authorisationInputSchema,
  authoriseUnitsInputSchema,
  confirmationInputSchema,
  finalisationInputSchema,
  type AuthorisationInput,
} from './article6-schemas.ts';
import { parseSelection } from './ledger-input.ts';
import type { Committed, LedgerService } from './ledger-service.ts';
import type { Forwarded } from '../core/federation/article6-records.ts';
import type { Article6Forwarding } from './federation-article6.ts';
import { parseInput } from './parse-input.ts';
import type { WriteEnvelope } from './write-pipeline.ts';

/** A record made here, or forwarded to the peer deployment that hosts its registry. */
export type Recorded = Committed | (Forwarded & { readonly replayed?: boolean });

export class Article6Writes {
  constructor(
    private readonly db: Db,
    private readonly ledger: LedgerService,
    private readonly partnerships: PartnershipQueries,
    private readonly rulebooks: readonly Rulebook[],
    /** With JCM_FEDERATION: records for a registry a peer hosts go to that peer. */
    private readonly forwarding: Article6Forwarding | null = null,
  ) {}

  /** Records (or records again, as a new version) the approach of a partnership from its record. */
  async recordApproach(envelope: WriteEnvelope): Promise<Result<Committed>> {
    const input = parseInput(approachInputSchema, envelope.input);
    if (!input.ok) return input;
    const record = await this.partnerships.get(input.value.partnership);
    if (record === null)
      return reject('partnership_not_found', `no partnership ${input.value.partnership}`);
    const confirmation = this.rulebooks.some(
      (r) =>
        'partnership' in r.scope &&
        r.scope.partnership === record.code &&
        r.versions.some((v) => v.rules.some((rule) => rule.kind === 'prior_confirmation')),
    );
    const approach = approachFromPartnership(record, confirmation);
    if (!approach.ok) return approach;
    return this.run(
      'article6.record_approach',
      { type: 'record_approach', approach: approach.value },
      envelope,
    );
  }

  /**
   * Records a Party's authorisation on the chain of the registry it covers; when a peer hosts that
   * registry, forwards it there (federation-article6.ts) and answers as forwarded.
   */
  async recordAuthorisation(envelope: WriteEnvelope): Promise<Result<Recorded>> {
    const input = parseInput(authorisationInputSchema, envelope.input);
    if (!input.ok) return input;
    const entities = await this.entities(input.value.authorisedEntities);
    if (!entities.ok) return entities;
    const authorisation = authorisationOf(input.value, entities.value);
    if (!authorisation.ok) return authorisation;
    if (this.forwarding?.hostOf(authorisation.value.registry) !== undefined)
      return this.forwarding.forward(
        { kind: 'authorisation', authorisation: authorisation.value },
        envelope,
      );
    return this.run(
      'article6.record_authorisation',
      { type: 'record_authorisation', authorisation: authorisation.value },
      envelope,
    );
  }

  /** Confirms another Party's authorisation; forwarded when a peer hosts the registry. */
  async confirmAuthorisation(registry: string, envelope: WriteEnvelope): Promise<Result<Recorded>> {
    const input = parseInput(confirmationInputSchema, envelope.input);
    if (!input.ok) return input;
    const id = parseRegistryId(registry);
    if (!id.ok) return id;
    const record = {
      registry: id.value,
      authorisation: input.value.authorisation,
      version: input.value.version,
    };
    if (this.forwarding?.hostOf(id.value) !== undefined)
      return this.forwarding.forward({ kind: 'confirmation', ...record }, envelope);
    return this.run(
      'article6.confirm_authorisation',
      { type: 'confirm_authorisation', ...record },
      envelope,
    );
  }

  async authoriseUnits(envelope: WriteEnvelope): Promise<Result<Committed>> {
    const input = parseInput(authoriseUnitsInputSchema, envelope.input);
    if (!input.ok) return input;
    const from = parseAccountId(input.value.from);
    if (!from.ok) return from;
    const selection = parseSelection(input.value.selection);
    if (!selection.ok) return selection;
    return this.run(
      'article6.authorise_units',
      {
        type: 'authorise_units',
        authorisation: input.value.authorisation,
        from: from.value,
        selection: selection.value,
      },
      envelope,
    );
  }

  async finalise(envelope: WriteEnvelope): Promise<Result<Committed>> {
    const input = parseInput(finalisationInputSchema, envelope.input);
    if (!input.ok) return input;
    const found = await this.partyRegistry(input.value.party);
    const registry = found === null ? null : parseRegistryId(found);
    if (registry === null || !registry.ok)
      return reject(
        'article6_party_not_in_approach',
        `${input.value.party} takes part in no approach`,
      );
    return this.run(
      'article6.finalise_adjustments',
      {
        type: 'finalise_adjustments',
        party: input.value.party,
        registry: registry.value,
        firstYear: input.value.firstYear,
        lastYear: input.value.lastYear,
      },
      envelope,
    );
  }

  private run(
    family: string,
    command: LedgerCommand,
    envelope: WriteEnvelope,
  ): Promise<Result<Committed>> {
    return this.ledger.executeBuilt(family, command, envelope);
  }

  /** The registry where a Party's own entries go: Japan's for JPN, else its partnership's. */
  private async partyRegistry(party: string): Promise<string | null> {
    if (party === 'JPN') return 'JP';
    const records = await this.partnerships.list();
    return records.find((p) => p.partner.alpha3 === party)?.registries.partner.id ?? null;
  }

  /** The authorised entities as records: each a stored organisation, with its name and country. */
  private async entities(
    wanted: AuthorisationInput['authorisedEntities'],
  ): Promise<Result<AuthorisedEntity[]>> {
    if (wanted.length === 0) return ok([]);
    const ids = wanted.map((e) => e.organisation);
    if (new Set(ids).size !== ids.length)
      return reject('invalid_request', 'authorisedEntities: an organisation is named twice');
    const rows = await organisationsByIds(this.db, ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const entities: AuthorisedEntity[] = [];
    for (const e of wanted) {
      const row = byId.get(e.organisation);
      if (row === undefined)
        return reject('organisation_not_found', `no organisation ${e.organisation}`);
      entities.push({
        organisation: row.id,
        name: row.name,
        country: row.country,
        identifier: e.identifier,
      });
    }
    return ok(entities);
  }
}

/**
 * An authorisation from its checked input and its entities as records (resolved from this
 * deployment's organisations, or as a peer's record stated them).
 */
export function authorisationOf(
  input: Omit<AuthorisationInput, 'authorisedEntities'>,
  entities: readonly AuthorisedEntity[],
): Result<Omit<Authorisation, 'version'>> {
  const registry = parseRegistryId(input.registry);
  if (!registry.ok) return registry;
  const projects: ProjectRef[] = [];
  for (const raw of input.projects) {
    const project = parseProjectRef(raw);
    if (!project.ok) return project;
    projects.push(project.value);
  }
  const cap = input.quantityCap === null ? ok(null) : parseQuantity(input.quantityCap);
  if (!cap.ok) return cap;
  return ok({
    id: input.id,
    party: input.party,
    approach: input.approach,
    date: input.date,
    registry: registry.value,
    projects,
    vintageFirst: input.vintageFirst,
    vintageLast: input.vintageLast,
    quantityCap: cap.value,
    validFrom: input.validFrom,
    validUntil: input.validUntil,
    purposes: [...input.purposes].sort(),
    oimp: input.oimp,
    firstTransferDefinition: input.firstTransferDefinition,
    authorisedParties: input.authorisedParties,
    authorisedEntities: [...entities],
    terms: input.terms,
  });
}
