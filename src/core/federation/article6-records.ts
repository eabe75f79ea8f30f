// Article 6.2 records between deployments (issue 16), pure. An authorisation, or a confirmation of
// one, lives on the chain of the registry whose credits it covers (ledger-service.ts `chainOf`), so
// that the cap and the versions are decided by one writer. When a peer hosts that registry, the
// Party's government still acts on its own deployment: the record is checked there as far as the
// sender's records allow and forwarded as an `authorisation_record`; the deployment that hosts the
// registry applies it through its ledger, which decides the rest (versions, cap, what is covered).
//
// Who a message speaks for comes from the configuration, never from the message: a deployment speaks
// for the Parties whose registries it hosts (JP: Japan's government; a partner registry: that
// partnership's government), so a peer can record or confirm only its own Party's authorisations.
import { checkAuthorisationContent } from '../article6/authorisation-rules.ts';
import { actsForParty, governedRegistry, governmentRole } from '../article6/parties.ts';
import type { Authorisation, CooperativeApproach } from '../article6/types.ts';
import type { Actor, Role } from '../ledger/actor.ts';
import { notAuthorised } from '../ledger/rules.ts';
import type { RegistryId } from '../shared/ids.ts';
import { ok, reject, type Result } from '../shared/result.ts';

/** What an `authorisation_record` carries: a Party's authorisation, or its confirmation of one. */
export type Article6Record =
  | { readonly kind: 'authorisation'; readonly authorisation: Omit<Authorisation, 'version'> }
  | {
      readonly kind: 'confirmation';
      readonly registry: RegistryId;
      readonly authorisation: string;
      readonly version: number;
    };

/** What a forwarded record answers: the peer it went to and its number on the link. */
export interface Forwarded {
  readonly forwarded: {
    readonly to: string;
    readonly sequence: string;
    readonly kind: Article6Record['kind'];
    readonly authorisation: string;
  };
}

/** The registry whose chain the record goes to. */
export function recordRegistry(record: Article6Record): RegistryId {
  return record.kind === 'authorisation' ? record.authorisation.registry : record.registry;
}

/** The government roles of the Parties whose registries `registries` are. */
export function governmentRoles(registries: readonly string[]): Role[] {
  return registries.map(governmentRole);
}

/**
 * Whether every government role of the actor is for a registry a peer hosts, so that it speaks for
 * no Party here (that Party's records come from the peer); an actor with no government role is left
 * to the core's checks.
 */
export function speaksOnlyElsewhere(actor: Actor, elsewhere: readonly string[]): boolean {
  const registries = actor.roles.flatMap((r) => governedRegistry(r) ?? []);
  return registries.length > 0 && registries.every((r) => elsewhere.includes(r));
}

/**
 * The actor as it acts here for an Article 6.2 record: without its government roles for Parties
 * whose registries a peer hosts (those Parties speak through that peer), so that an actor holding
 * roles for both Parties records nothing here in the name of the one a peer speaks for.
 */
export function actingHere(actor: Actor, elsewhere: readonly string[]): Actor {
  const roles = actor.roles.filter((r) => {
    const registry = governedRegistry(r);
    return registry === null || !elsewhere.includes(registry);
  });
  return roles.length === actor.roles.length ? actor : { ...actor, roles };
}

/** The actor a peer's record is applied as: the government of each Party whose registry it hosts. */
export function peerGovernment(sender: string, senderHosts: readonly string[]): Actor {
  return { id: `federation:${sender}`, roles: governmentRoles(senderHosts) };
}

/**
 * Whether a record made here may be forwarded to the peer that hosts its registry: the actor acts
 * for a Party whose registry is hosted here (a deployment speaks only for its own Parties), and an
 * authorisation's content passes the rules the approach alone settles. The peer decides the rest.
 * Checked in this order: the approach exists, the Party takes part, the actor acts for it, its
 * registry is hosted here, the content.
 */
export function decideForward(input: {
  readonly actor: Actor;
  readonly record: Article6Record;
  readonly approaches: readonly CooperativeApproach[];
  readonly hostedHere: readonly string[];
  readonly recordedAt: string;
}): Result<true> {
  const { actor, record, approaches, hostedHere } = input;
  if (record.kind === 'confirmation') {
    // A confirmation comes from a Party other than the authorising one, of an approach that uses the
    // registry; the peer checks which authorisation and version, and that the Party is not its author.
    const speaks = approaches.some(
      (a) =>
        a.registries.some((r) => r.registry === record.registry) &&
        a.registries.some(
          (r) => hostedHere.includes(r.registry) && actsForParty(actor, a, r.party),
        ),
    );
    return speaks
      ? ok(true)
      : notAuthorised(actor, `confirm authorisations of credits in ${record.registry}`);
  }
  const authorisation = record.authorisation;
  const approach = approaches.find((a) => a.id === authorisation.approach);
  if (approach === undefined)
    return reject(
      'article6_approach_not_found',
      `no cooperative approach ${authorisation.approach}`,
    );
  const own = approach.registries.find((r) => r.party === authorisation.party);
  if (own === undefined || !approach.parties.includes(authorisation.party))
    return reject(
      'article6_party_not_in_approach',
      `${authorisation.party} is not a Party to ${approach.id}`,
    );
  if (!actsForParty(actor, approach, authorisation.party))
    return notAuthorised(actor, `authorise on behalf of ${authorisation.party}`);
  if (!hostedHere.includes(own.registry))
    return reject(
      'article6_party_hosted_elsewhere',
      `${authorisation.party}'s registry ${own.registry} is hosted by a peer: its government records its authorisations there`,
    );
  return checkAuthorisationContent(approach, authorisation, input.recordedAt);
}

/**
 * Whether a peer's record is one this deployment applies: its registry is hosted here. (Whom it
 * speaks for is settled by the actor `peerGovernment` gives, which the ledger checks as any other.)
 */
export function checkRecordHere(
  sender: string,
  record: Article6Record,
  hostedHere: readonly string[],
): Result<true> {
  const registry = recordRegistry(record);
  return hostedHere.includes(registry)
    ? ok(true)
    : reject(
        'record_registry_not_hosted_here',
        `${sender} sent a record for registry ${registry}, which this deployment does not host`,
      );
}

/**
 * A first transfer (decision 6/CMA.4, annex I, table 3) one deployment's journal derived for a Party
 * another deployment speaks for: an issuance into Japan's registry is India's first transfer of the
 * credits. The transferring Party's deployment records it, to apply its corresponding adjustment.
 */
export interface FirstTransfer {
  /** The action's place: the entry of the sender's journal and the action's number in it. */
  readonly chain: string;
  readonly seq: bigint;
  readonly n: number;
  /** The transferring Party. */
  readonly party: string;
  readonly date: string;
  readonly approach: string;
  readonly authorisation: string;
  /** The registry that holds the credits (the sender's). */
  readonly registry: string;
  readonly project: string;
  readonly vintage: number;
  readonly serialFirst: bigint;
  readonly serialLast: bigint;
  readonly acquiringParty: string | null;
}

/** The registry each Party of the approaches keeps its own entries in. */
export function partyRegistries(approaches: readonly CooperativeApproach[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const a of approaches) for (const r of a.registries) found.set(r.party, r.registry);
  return found;
}

/**
 * Whether a peer's first transfer is one to record here: the sender hosts the registry that holds
 * the credits, and the transferring Party's own registry is hosted here (so it is ours to adjust for).
 */
export function checkFirstTransfer(input: {
  readonly sender: string;
  readonly senderHosts: readonly string[];
  readonly transfer: FirstTransfer;
  readonly partyRegistry: string | undefined;
  readonly hostedHere: readonly string[];
}): Result<true> {
  const { sender, transfer } = input;
  if (!input.senderHosts.includes(transfer.registry))
    return reject(
      'first_transfer_not_from_host',
      `${sender} does not host registry ${transfer.registry}, which holds the credits`,
    );
  if (input.partyRegistry === undefined || !input.hostedHere.includes(input.partyRegistry))
    return reject(
      'first_transfer_party_not_here',
      `${transfer.party} is not a Party this deployment keeps the registry of`,
    );
  if (transfer.serialFirst > transfer.serialLast)
    return reject('message_body_invalid', 'the serials run backwards');
  return ok(true);
}

/**
 * Whether the receiver's ledger refused a peer's record for its content (a version no longer
 * current, an authorisation it does not have, a cap below what is covered): the sender could not
 * check it, so the message is applied as a refusal, acknowledged and told back, and the link goes
 * on. A refusal of who may record it (`actor_not_authorised`) or of the message stops the link.
 */
export function isContentRefusal(code: string): boolean {
  return code.startsWith('article6_');
}
