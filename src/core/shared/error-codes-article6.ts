// The stable error codes of Article 6.2 accounting (docs/article6.md), spread into error-codes.ts.

export const article6ErrorCodes = {
  article6_approach_not_found: 'No cooperative approach with this id is recorded.',
  article6_approach_information_missing:
    'A cooperative approach states its description, environmental integrity and sustainable development (the initial report, paragraph 18).',
  article6_approach_id_changed:
    "A new version of a partnership's cooperative approach keeps its id, Parties, registries and confirmation rule, and an id belongs to one partnership.",
  article6_party_not_in_approach: 'The Party does not take part in the cooperative approach.',
  article6_registry_not_in_approach: "The registry is not one of the approach's registries.",
  article6_project_not_in_approach:
    "An authorisation names at least one project, all of the approach's partnership.",
  article6_vintage_range_invalid: 'The vintages are not a range of years within 2013-2100.',
  article6_authorisation_period_invalid: 'The authorisation ends before it starts.',
  article6_authorisation_date_in_future: 'The date of the authorisation has not come yet.',
  article6_authorisation_date_before_previous:
    'A new version of an authorisation is dated before the version it replaces (the AEF names, for each action, the latest version dated on or before it).',
  article6_oimp_name_mismatch:
    'An authorisation for other international mitigation purposes names them (e.g. CORSIA), and only such an authorisation does (decision 2/CMA.3, annex, paragraph 1(f)).',
  article6_first_transfer_definition_missing:
    'An OIMP authorisation states what its first transfer is: the authorisation, the issuance, or the use or cancellation (paragraph 2(b)).',
  article6_first_transfer_definition_without_oimp:
    'Only an OIMP authorisation chooses a first-transfer definition; for NDC use the first transfer is the international transfer itself (paragraph 2(a)).',
  article6_authorised_party_not_in_approach:
    'An authorisation names the Parties it authorises, all of them Parties to the approach.',
  article6_ndc_purpose_in_own_registry:
    "The host Party's credits in its own registry count towards its own NDC without an authorisation; it authorises them for OIMP, or for another Party's NDC in that Party's registry.",
  article6_registry_party_not_authorised:
    "An NDC authorisation of credits in a registry names that registry's Party among the authorised Parties.",
  article6_authorisation_party_changed:
    'A new version of an authorisation is made by the same Party for credits in the same registry.',
  article6_authorisation_cap_below_covered:
    'A new version cannot cap the authorisation below the credits it already covers.',
  article6_authorisation_not_found: 'No authorisation with this id in this registry.',
  article6_authorisation_version_not_current:
    'Only the version of an authorisation in force is confirmed.',
  article6_authorisation_already_confirmed: 'This Party has confirmed this version already.',
  article6_confirmation_by_authorising_party:
    'The Party that made an authorisation does not confirm it; another Party of the approach does.',
  article6_issuance_not_authorised:
    "Credits of a project under a cooperative approach are issued into Japan's registry only under the host Party's authorisation for use towards an NDC (MoC paragraph 8).",
  article6_vintage_not_authorised: "The authorisation does not cover the credits' vintage.",
  article6_project_not_authorised: "The authorisation does not cover the credits' project.",
  article6_authorisation_not_confirmed:
    'The authorisation is not yet confirmed by every Party the partnership asks (India: both governments).',
  article6_authorisation_expired: "The action falls outside the authorisation's timeframe.",
  article6_authorisation_cap_exceeded:
    'The action would take the authorisation past its quantity cap.',
  article6_purpose_not_authorised:
    "The credits' authorisation does not authorise this purpose (NDC use or OIMP).",
  article6_party_not_authorised:
    "The credits' authorisation does not authorise this Party to use them towards its NDC.",
  article6_entity_not_authorised:
    "The account holder is not among the entities the credits' authorisation authorises.",
  article6_year_of_use_required:
    'A use of ITMOs towards an NDC states the calendar year of use (paragraph 8(b)).',
  article6_year_of_use_before_vintage:
    'Credits cannot be used for a year before the year their mitigation occurred.',
  article6_year_outside_ndc_period: "The year lies outside the Party's NDC implementation period.",
  article6_period_finalised:
    "The Party has finalised the year's additions and subtractions (paragraph 12): nothing that changes them is accepted.",
  article6_period_already_finalised:
    'The Party has already finalised a period overlapping these years.',
  article6_units_already_authorised: 'The credits are ITMOs under another authorisation already.',
  article6_already_first_transferred:
    'The credits have been first transferred already: a credit is first transferred once.',
  article6_authorisation_covers_at_issuance:
    'Credits under this authorisation become ITMOs as they are issued (NDC use, or OIMP first transferred at issuance); they are not assigned afterwards.',
  article6_account_not_in_authorised_registry:
    'The account is not in the registry whose credits the authorisation covers.',
  article6_authorisation_narrows_covered:
    'Once an authorisation covers credits, a new version keeps the vintages, projects and purposes of the version in force.',
} as const;
