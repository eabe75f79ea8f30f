// After the demo: India's authorisation of credits in Japan's registry (IND-JCM-NDC-001) names its
// projects, so a test that issues another India project's credits into Japan's registry first records
// a new version adding it, and Japan confirms it (Article 6.2: no issuance there without it).
import { actorWithRoles } from '../../src/core/ledger/actor.ts';
import type { Platform } from '../../src/services/platform.ts';

export async function authoriseForJapan(platform: Platform, project: string): Promise<void> {
  const current = await platform.article6.queries.authorisation('IND-JCM-NDC-001');
  const last = current?.versions.at(-1)?.authorisation;
  if (last === undefined) throw new Error('the demo authorised nothing for Japan');
  const recorded = await platform.article6Writes.recordAuthorisation({
    actor: actorWithRoles('gov-in', 'government_partner:IN'),
    idempotencyKey: `test-a6-${project}`,
    input: {
      id: last.id,
      party: last.party,
      approach: last.approach,
      date: last.date,
      registry: last.registry,
      projects: [...last.projects, project],
      vintageFirst: last.vintageFirst,
      vintageLast: last.vintageLast,
      purposes: last.purposes,
      authorisedParties: last.authorisedParties,
    },
  });
  if (!recorded.ok) throw new Error(`authorisation: ${recorded.error.code}`);
  const confirmed = await platform.article6Writes.confirmAuthorisation('JP', {
    actor: actorWithRoles('gov-jp', 'government_japan'),
    idempotencyKey: `test-a6-confirm-${project}`,
    input: { authorisation: last.id, version: last.version + 1 },
  });
  if (!confirmed.ok) throw new Error(`confirmation: ${confirmed.error.code}`);
}
