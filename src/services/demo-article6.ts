// The India demo's Article 6.2 steps, synthetic and labelled like the rest of it: the Joint Committee
// records the cooperative approach from the partnership's record; India authorises the credits issued
// into Japan's registry for use towards Japan's NDC (MoC paragraph 8) and Japan confirms; Japan
// authorises their use on its side and India confirms. After the issuances (each a first transfer
// from India and Japan's acquisition), Japan uses credits towards its NDC and cancels some for overall
// mitigation of its own accord; India authorises part of its own credits for CORSIA (first transfer
// at their use), assigns them, and the authorised entity uses some of them.
import { demoActors as who, label } from './demo-data.ts';
import type { DemoRun } from './demo-run.ts';
import type { Recorded } from './article6.ts';
import type { Committed } from './ledger-service.ts';
import type { Result } from '../core/shared/result.ts';
import type { WriteEnvelope } from './write-pipeline.ts';
import type { Actor } from '../core/ledger/actor.ts';

/** The year the demo's Article 6.2 figures fall in. */
export const demoArticle6Year = 2026;

const terms = `Authorisation recorded for the platform's demo ${label}.`;

async function a6(
  run: DemoRun,
  actor: Actor,
  what: string,
  input: unknown,
  call: (envelope: WriteEnvelope) => Promise<Result<Committed | Recorded>>,
): Promise<void> {
  const result = await call({ actor, idempotencyKey: run.key(), input });
  if (!result.ok) run.refused(what, result.error);
  if (result.value.replayed !== true) run.counts.ledger += 1;
}

/** Before the first issuance: the approach, both Parties' NDC authorisations, their confirmations. */
export async function authoriseForJapan(run: DemoRun): Promise<void> {
  const writes = run.platform.article6Writes;
  await a6(run, who.jointCommittee, 'record the approach', { partnership: 'IN' }, (e) =>
    writes.recordApproach(e),
  );
  const common = {
    approach: 'CA0001',
    date: '2026-06-01',
    registry: 'JP',
    projects: ['IN001'],
    vintageFirst: 2025,
    vintageLast: 2030,
    purposes: ['ndc'],
    authorisedParties: ['JPN'],
    authorisedEntities: [{ organisation: 'example-trading-jp', identifier: 'DEMO-JP-0001' }],
    terms,
  };
  await a6(
    run,
    who.india,
    "India's authorisation",
    { ...common, id: 'IND-JCM-NDC-001', party: 'IND' },
    (e) => writes.recordAuthorisation(e),
  );
  await a6(
    run,
    who.japan,
    "Japan's confirmation",
    { authorisation: 'IND-JCM-NDC-001', version: 1 },
    (e) => writes.confirmAuthorisation('JP', e),
  );
  await a6(
    run,
    who.japan,
    "Japan's authorisation",
    { ...common, id: 'JPN-JCM-NDC-001', party: 'JPN' },
    (e) => writes.recordAuthorisation(e),
  );
  await a6(
    run,
    who.india,
    "India's confirmation",
    { authorisation: 'JPN-JCM-NDC-001', version: 1 },
    (e) => writes.confirmAuthorisation('JP', e),
  );
}

/** After the issuances: Japan's use and voluntary cancellation; India's CORSIA authorisation and use. */
export async function useAndAuthoriseForCorsia(run: DemoRun): Promise<void> {
  await run.ledger(
    'retire',
    {
      from: 'JP-000004',
      selection: { quantity: '300' },
      purpose: 'ndc_use',
      beneficiary: `Government of Japan ${label}`,
      note: "Use towards Japan's NDC",
      yearOfUse: demoArticle6Year,
    },
    who.managerJp,
  );
  await run.ledger(
    'cancel',
    {
      from: 'JP-000004',
      selection: { quantity: '20' },
      reason: 'Voluntary cancellation for overall mitigation in global emissions',
      cancellationKind: 'omge',
    },
    who.managerJp,
  );
  const writes = run.platform.article6Writes;
  await a6(
    run,
    who.india,
    "India's CORSIA authorisation",
    {
      id: 'IND-JCM-OIMP-001',
      party: 'IND',
      approach: 'CA0001',
      date: '2026-11-20',
      registry: 'IN',
      projects: ['IN001'],
      vintageFirst: 2025,
      vintageLast: 2026,
      quantityCap: '200',
      purposes: ['oimp'],
      oimp: 'CORSIA',
      firstTransferDefinition: 'use_or_cancellation',
      authorisedParties: ['IND'],
      authorisedEntities: [{ organisation: 'example-solar-in', identifier: 'DEMO-IN-0001' }],
      terms,
    },
    (e) => writes.recordAuthorisation(e),
  );
  await a6(
    run,
    who.japan,
    "Japan's confirmation of the CORSIA authorisation",
    { authorisation: 'IND-JCM-OIMP-001', version: 1 },
    (e) => writes.confirmAuthorisation('IN', e),
  );
  await a6(
    run,
    who.india,
    'assign credits to the CORSIA authorisation',
    { authorisation: 'IND-JCM-OIMP-001', from: 'IN-000005', selection: { quantity: '150' } },
    (e) => writes.authoriseUnits(e),
  );
  await run.ledger(
    'retire',
    {
      from: 'IN-000005',
      selection: { quantity: '40' },
      purpose: 'oimp',
      beneficiary: `Example Airline (CORSIA first phase) ${label}`,
      note: 'CORSIA offsetting',
    },
    who.solarRegistry,
  );
}
