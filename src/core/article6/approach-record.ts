// The cooperative approach as the ledger records it, built from the partnership's record
// (partnerships/*.yaml): its id, the Parties, the Party registry id of each registry, each Party's
// NDC, and the initial report's information. The data comes from the stored record, never a request.
import type { Partnership } from '../partnership/record.ts';
import { japanRegistryId, type RegistryId } from '../shared/ids.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import type { CooperativeApproach, Ndc, YearQuantity } from './types.ts';

export function approachFromPartnership(
  p: Partnership,
  confirmationRequired: boolean,
): Result<Omit<CooperativeApproach, 'version'>> {
  const ca = p.cooperative_approach;
  const info = ca.article6;
  if (ca.approach_id === null || info === undefined)
    return reject(
      'article6_approach_not_found',
      `the ${p.code} partnership's record holds no cooperative approach with Article 6.2 information`,
    );
  const parties = new Map<string, string>([
    [japanRegistryId, 'JPN'],
    [p.registries.partner.id, p.partner.alpha3],
  ]);
  const registries = [...parties].map(([registry, party]) => ({
    registry: registry as RegistryId,
    party,
    partyRegistryId: info.party_registry_ids[registry] ?? `${party}01`,
  }));
  return ok({
    id: ca.approach_id,
    partnership: p.code as RegistryId,
    parties: [...ca.participating_parties],
    registries,
    ndcs: info.ndcs.map((n): Ndc => ({
      party: n.party,
      kind: n.kind,
      firstYear: n.first_year,
      lastYear: n.last_year,
      targetYear: n.target_year,
      metric: n.metric,
      method: n.method,
      trajectory: figures(n.trajectory),
      budget: n.budget === null ? null : BigInt(n.budget),
      emissions: figures(n.emissions),
    })),
    confirmationRequired,
    description: info.description,
    environmentalIntegrity: info.environmental_integrity,
    sustainableDevelopment: info.sustainable_development,
  });
}

function figures(list: readonly { year: number; quantity: string }[]): YearQuantity[] {
  return list.map((f) => ({ year: f.year, quantity: BigInt(f.quantity) }));
}
