// Article 6.2 in words for the portal and the back office: Parties by name, purposes, first-transfer
// definitions, NDC kinds and adjustment methods, action types and subtypes, and what a year's
// adjustment status means. Codes stay in links and attributes; people read these.
import type {
  ActionType,
  AdjustmentMethod,
  FirstTransferDefinition,
  NdcKind,
  Purpose,
  PurposeSet,
} from '../core/article6/types.ts';
import { purposeSet } from '../core/article6/types.ts';
import type { YearStatus } from '../core/article6/adjustments.ts';
import { purposePhrase } from '../core/ledger/purpose-words.ts';
import { assertNever } from '../core/shared/assert.ts';
import type { Platform } from '../services/platform.ts';

/** Party names by ISO 3166 alpha-3: Japan and the partner of every partnership with a record. */
export async function partyNames(platform: Platform): Promise<ReadonlyMap<string, string>> {
  const names = new Map<string, string>([['JPN', 'Japan']]);
  for (const p of await platform.partnerships.list()) names.set(p.partner.alpha3, p.partner.name);
  return names;
}

/** A Party by name, or its code when no partnership names it. */
export function partyWord(names: ReadonlyMap<string, string>, code: string): string {
  return names.get(code) ?? code;
}

/** The AEF's words: "NDC", "OIMP" or "NDC and OIMP". */
export function purposeSetWord(set: PurposeSet): string {
  switch (set) {
    case 'ndc':
      return 'NDC';
    case 'oimp':
      return 'OIMP';
    case 'ndc_and_oimp':
      return 'NDC and OIMP';
    default:
      return assertNever(set, 'purpose set');
  }
}

export function purposesWord(purposes: readonly Purpose[]): string {
  return purposeSetWord(purposeSet(purposes));
}

/** When an ITMO authorised for OIMP is first transferred (paragraph 2(b)). */
export function firstTransferWord(definition: FirstTransferDefinition | null): string {
  switch (definition) {
    case null:
      return 'not applicable: for use towards an NDC the first transfer is the first international transfer (under the JCM, the issuance into the acquiring Party\u2019s registry)';
    case 'authorization':
      return 'when the credits are assigned to the authorisation';
    case 'issuance':
      return 'when the credits are issued';
    case 'use_or_cancellation':
      return 'when the credits are used or cancelled';
    default:
      return assertNever(definition, 'first-transfer definition');
  }
}

export function ndcKindWord(kind: NdcKind): string {
  return kind === 'single_year' ? 'single-year NDC' : 'multi-year NDC';
}

/** The corresponding-adjustment method (decision 2/CMA.3, annex, paragraph 7). */
export function methodWord(method: AdjustmentMethod, kind: NdcKind): string {
  switch (method) {
    case 'trajectory':
      return kind === 'single_year'
        ? 'indicative multi-year emissions trajectory: the actual amounts of each year (paragraph 7(a)(i))'
        : 'multi-year emissions trajectory: the actual amounts of each year and the cumulative amount at the end of the period (paragraph 7(b))';
    case 'budget':
      return kind === 'single_year'
        ? 'indicative multi-year emissions budget: the actual amounts of each year (paragraph 7(a)(i))'
        : 'multi-year emissions budget: the actual amounts of each year and the cumulative amount at the end of the period (paragraph 7(b))';
    case 'averaging':
      return 'averaging: the cumulative amount over the NDC period divided by the years elapsed, applied to the NDC year (paragraph 7(a)(ii))';
    default:
      return assertNever(method, 'adjustment method');
  }
}

export function actionTypeWord(type: ActionType): string {
  switch (type) {
    case 'authorization':
      return 'Authorisation';
    case 'first_transfer':
      return 'First transfer';
    case 'transfer':
      return 'Transfer';
    case 'acquisition':
      return 'Acquisition';
    case 'use':
      return 'Use';
    case 'cancellation':
      return 'Cancellation';
    case 'voluntary_cancellation':
      return 'Voluntary cancellation';
    default:
      return assertNever(type, 'action type');
  }
}

/** A retirement purpose or a cancellation kind in words (src/core/ledger/purpose-words.ts). */
export const subtypeWord = purposePhrase;

/** Why a cancellation was made, as the cancellation form offers it. */
export const cancellationKindWords = {
  omge: 'for overall mitigation in global emissions (OMGE), voluntary under Article 6.2',
  voluntary: 'voluntary cancellation',
  other: 'another reason',
} as const;

/** What a year of the adjustment report lacks, or that it is complete. */
export function yearStatusWord(status: YearStatus): string {
  switch (status) {
    case 'balanced':
      return 'balance computed';
    case 'emissions_missing':
      return 'no reported emissions figure on this platform: no balance computed';
    case 'trajectory_missing':
      return 'balance computed; the trajectory has no figure for this year to compare it with';
    default:
      return assertNever(status, 'year status');
  }
}
