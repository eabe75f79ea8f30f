// Article 6.2 on the ledger for integration tests: the India-Japan cooperative approach, India's
// authorisation of credits in Japan's registry for Japan's NDC, and a writer driven with core
// commands directly (the services' schemas for these commands are another lane's).
import { randomUUID } from 'node:crypto';
import type { Authorisation, CooperativeApproach, Ndc } from '../../src/core/article6/types.ts';
import type { Actor } from '../../src/core/ledger/actor.ts';
import type { LedgerCommand } from '../../src/core/ledger/commands.ts';
import { canonicalJson, type Json } from '../../src/core/shared/canonical-json.ts';
import type { IdempotencyKey } from '../../src/core/shared/ids.ts';
import type { Db } from '../../src/db/connect.ts';
import { LedgerWriter, type WriteOutcome } from '../../src/db/ledger-writer.ts';
import { sha256Hex } from '../../src/db/sha256.ts';
import { chainOf } from '../../src/services/ledger-service.ts';
import { admin } from './scenario.ts';

export const japan: Actor = { id: 'gov-jp', roles: [{ kind: 'government_japan' }] };
export const india: Actor = {
  id: 'gov-in',
  roles: [{ kind: 'government_partner', partnership: 'IN' }],
};

function ndc(party: string): Ndc {
  return {
    party,
    kind: 'single_year',
    firstYear: 2021,
    lastYear: 2030,
    targetYear: 2030,
    metric: 't_co2e',
    method: 'averaging',
    trajectory: [],
    budget: null,
    emissions: [],
  };
}

export const approachIN = {
  id: 'CA0001',
  partnership: 'IN',
  parties: ['JPN', 'IND'],
  // Keys in another order than a record read back from the database (canonical JSON sorts them): a
  // new version must still be seen to keep the same registries.
  registries: [
    { registry: 'JP', partyRegistryId: 'JPN01', party: 'JPN' },
    { registry: 'IN', partyRegistryId: 'IND01', party: 'IND' },
  ],
  ndcs: [ndc('JPN'), ndc('IND')],
  confirmationRequired: true,
  description: 'The Joint Crediting Mechanism between India and Japan',
  environmentalIntegrity: 'Conservative reference emissions',
  sustainableDevelopment: 'Host country priorities',
} as unknown as Omit<CooperativeApproach, 'version'>;

/** India's authorisation of IN001's credits in Japan's registry, vintages 2027-2030, for Japan's NDC. */
export const indiaForJapan = {
  id: 'IND-2028-001',
  party: 'IND',
  approach: 'CA0001',
  date: '2028-01-15',
  registry: 'JP',
  projects: ['IN001'],
  vintageFirst: 2027,
  vintageLast: 2030,
  quantityCap: 1000n,
  validFrom: null,
  validUntil: null,
  purposes: ['ndc'],
  oimp: null,
  firstTransferDefinition: null,
  authorisedParties: ['JPN'],
  authorisedEntities: [],
  terms: 'Use towards the NDC of Japan',
} as unknown as Omit<Authorisation, 'version'>;

/** A ledger writer of its own over the test's database, fed core commands. */
export class DirectLedger {
  readonly writer: LedgerWriter;

  constructor(db: Db, clock: () => string) {
    this.writer = new LedgerWriter(db, { clock });
  }

  run(command: LedgerCommand, actor: Actor = admin): Promise<WriteOutcome> {
    return this.writer.submit({
      chain: chainOf(command),
      command,
      actor,
      key: randomUUID() as IdempotencyKey,
      requestHash: sha256Hex(canonicalJson({ command, actor: actor.id } as unknown as Json)),
    });
  }

  async must(command: LedgerCommand, actor: Actor = admin): Promise<WriteOutcome> {
    const outcome = await this.run(command, actor);
    if (!outcome.ok)
      throw new Error(`${command.type} refused: ${outcome.error.code}: ${outcome.error.message}`);
    return outcome;
  }
}

/** The approach, India's authorisation and Japan's confirmation of it. */
export async function recordIndiaJapanApproach(ledger: DirectLedger): Promise<void> {
  await ledger.must({ type: 'record_approach', approach: approachIN });
  await ledger.must({ type: 'record_authorisation', authorisation: indiaForJapan }, india);
  await ledger.must(
    {
      type: 'confirm_authorisation',
      registry: 'JP' as never,
      authorisation: indiaForJapan.id,
      version: 1,
    },
    japan,
  );
}
