// What an authorisation must say to be recorded (decision 2/CMA.3, annex, paragraphs 2(b) and 18;
// decision 6/CMA.4, annex, the authorizations table): it covers projects of the approach's
// partnership and credits of one of its registries, a vintage range, purposes as a set with the OIMP
// named and its first-transfer definition when OIMP is among them, and Parties of the approach.
import { projectCountry } from '../shared/ids.ts';
import { ok, reject, type Result } from '../shared/result.ts';
import { yearMax, yearMin, type Authorisation, type CooperativeApproach } from './types.ts';

export function checkAuthorisationContent(
  approach: CooperativeApproach,
  input: Omit<Authorisation, 'version'>,
  recordedAt: string,
): Result<true> {
  const registryParty = approach.registries.find((r) => r.registry === input.registry)?.party;
  if (registryParty === undefined)
    return reject(
      'article6_registry_not_in_approach',
      `registry ${input.registry} is not one of ${approach.id}'s`,
    );
  const foreign = input.projects.find((p) => projectCountry(p) !== approach.partnership);
  if (input.projects.length === 0 || foreign !== undefined)
    return reject(
      'article6_project_not_in_approach',
      foreign === undefined
        ? 'an authorisation names at least one project'
        : `${foreign} is not a project of the ${approach.partnership} partnership`,
    );
  if (
    input.vintageFirst > input.vintageLast ||
    input.vintageFirst < yearMin ||
    input.vintageLast > yearMax
  )
    return reject(
      'article6_vintage_range_invalid',
      `vintages ${input.vintageFirst}-${input.vintageLast} are not a range within ${yearMin}-${yearMax}`,
    );
  if (input.validFrom !== null && input.validUntil !== null && input.validFrom > input.validUntil)
    return reject(
      'article6_authorisation_period_invalid',
      `the authorisation ends (${input.validUntil}) before it starts (${input.validFrom})`,
    );
  if (input.date > recordedAt.slice(0, 10))
    return reject('article6_authorisation_date_in_future', `${input.date} has not come yet`);
  return checkPurposes(approach, input, registryParty);
}

function checkPurposes(
  approach: CooperativeApproach,
  input: Omit<Authorisation, 'version'>,
  registryParty: string,
): Result<true> {
  const oimp = input.purposes.includes('oimp');
  if (oimp !== (input.oimp !== null))
    return reject(
      'article6_oimp_name_mismatch',
      oimp
        ? 'an authorisation for other international mitigation purposes names them (e.g. CORSIA)'
        : 'an OIMP is named but OIMP is not among the purposes',
    );
  if (oimp && input.firstTransferDefinition === null)
    return reject(
      'article6_first_transfer_definition_missing',
      'an OIMP authorisation states what its first transfer is: authorization, issuance, or use or cancellation',
    );
  if (!oimp && input.firstTransferDefinition !== null)
    return reject(
      'article6_first_transfer_definition_without_oimp',
      'only an OIMP authorisation chooses its first-transfer definition; for NDC use it is the transfer itself',
    );
  const stranger = input.authorisedParties.find((p) => !approach.parties.includes(p));
  if (input.authorisedParties.length === 0 || stranger !== undefined)
    return reject(
      'article6_authorised_party_not_in_approach',
      stranger === undefined
        ? 'an authorisation names the Parties it authorises'
        : `${stranger} is not a Party to ${approach.id}`,
    );
  const host = approach.registries.find((r) => r.registry === approach.partnership)?.party;
  // Whoever authorises: credits in the host's own registry are not for another Party's NDC there.
  if (input.purposes.includes('ndc') && registryParty === host)
    return reject(
      'article6_ndc_purpose_in_own_registry',
      `credits in ${host}'s own registry count towards its own NDC without an authorisation; authorise them for OIMP, or for another Party's NDC in that Party's registry`,
    );
  if (input.purposes.includes('ndc') && !input.authorisedParties.includes(registryParty))
    return reject(
      'article6_registry_party_not_authorised',
      `credits in ${input.registry}'s registry are used towards ${registryParty}'s NDC, which the authorisation does not name`,
    );
  return ok(true);
}
