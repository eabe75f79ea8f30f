// The history index (migration 018, table ledger_movements): one movement per serial range a journal
// entry creates, moves or marks, derived from the entry's event alone (no state), never entered by
// hand. The writer stores them with the entry, in the same transaction; the audit derives them again
// from the journal and compares. The same rows feed the annual transaction summary (movement_totals).
//
// Kinds: 'issue' (credits_issued; the line's reserve part is a second 'issue' row into the reserve
// account), 'transfer', 'retire', 'cancel', 'reserve', 'release', 'reverse' (credits_moved, by its
// movement kind) and 'authorise' (units_authorised: the credits stay in their account, so from and to
// are both that account). Every other event moves no credits and has no movement.
import type { LedgerEvent } from './events.ts';
import type { EntryRef, MovementKind } from './types.ts';

export const movementKinds = [
  'issue',
  'transfer',
  'retire',
  'cancel',
  'reserve',
  'release',
  'reverse',
  'authorise',
] as const;
export type LedgerMovementKind = (typeof movementKinds)[number];

const kindOfMovement: Record<MovementKind, LedgerMovementKind> = {
  transfer: 'transfer',
  retirement: 'retire',
  cancellation: 'cancel',
  reservation: 'reserve',
  release: 'release',
  reversal: 'reverse',
};

export interface LedgerMovement {
  readonly chain: string;
  readonly seq: bigint;
  /** 0-based order within the entry. */
  readonly n: number;
  readonly registry: string;
  readonly kind: LedgerMovementKind;
  readonly project: string;
  readonly vintage: number;
  readonly first: bigint;
  readonly last: bigint;
  readonly quantity: bigint;
  readonly from: string | null;
  readonly to: string | null;
  /** The entry's recorded_at (ISO 8601 UTC). */
  readonly recordedAt: string;
  readonly purpose: string | null;
  readonly beneficiary: string | null;
  readonly note: string | null;
  readonly yearOfUse: number | null;
  readonly reason: string | null;
  readonly cancellationKind: string | null;
  /** The authorisation an 'authorise' movement assigned the credits to, or the issuance's. */
  readonly authorisation: string | null;
}

/** The registry an account lives in: the first two letters of its id (accounts' CHECK, migration 001). */
export function registryOfAccount(account: string): string {
  return account.slice(0, 2);
}

type Details = Pick<
  LedgerMovement,
  'purpose' | 'beneficiary' | 'note' | 'yearOfUse' | 'reason' | 'cancellationKind' | 'authorisation'
>;

const noDetails: Details = {
  purpose: null,
  beneficiary: null,
  note: null,
  yearOfUse: null,
  reason: null,
  cancellationKind: null,
  authorisation: null,
};

interface Range {
  readonly project: string;
  readonly vintage: number;
  readonly first: bigint;
  readonly last: bigint;
  readonly from: string | null;
  readonly to: string | null;
}

/** The movements of one journal entry, in order (n = 0, 1, ...). */
export function deriveMovements(
  event: LedgerEvent,
  entry: EntryRef,
  recordedAt: string,
): LedgerMovement[] {
  const found = rangesOf(event);
  if (found === null) return [];
  const { kind, registry, ranges, details } = found;
  return ranges.map((r, n) => ({
    chain: entry.chain,
    seq: entry.seq,
    n,
    registry,
    kind,
    project: r.project,
    vintage: r.vintage,
    first: r.first,
    last: r.last,
    quantity: r.last - r.first + 1n,
    from: r.from,
    to: r.to,
    recordedAt,
    ...details,
  }));
}

function rangesOf(event: LedgerEvent): {
  kind: LedgerMovementKind;
  registry: string;
  ranges: Range[];
  details: Details;
} | null {
  switch (event.type) {
    case 'credits_issued': {
      const reserve = event.reserve ?? 0n;
      const split = event.serials.last - reserve;
      const at = { project: event.project, vintage: event.vintage, from: null };
      const ranges: Range[] = [];
      if (split >= event.serials.first)
        ranges.push({ ...at, first: event.serials.first, last: split, to: event.account });
      if (reserve > 0n && event.reserveAccount !== undefined)
        ranges.push({
          ...at,
          first: split + 1n,
          last: event.serials.last,
          to: event.reserveAccount,
        });
      return {
        kind: 'issue',
        registry: event.registry,
        ranges,
        details: { ...noDetails, authorisation: event.itmo?.authorisation ?? null },
      };
    }
    case 'credits_moved':
      return {
        kind: kindOfMovement[event.movement],
        registry: registryOfAccount(event.from),
        ranges: event.pieces.map((p) => ({
          project: p.project,
          vintage: p.vintage,
          first: p.serials.first,
          last: p.serials.last,
          from: event.from,
          to: event.to,
        })),
        details: {
          ...noDetails,
          purpose: event.purpose ?? null,
          beneficiary: event.beneficiary ?? null,
          note: event.note ?? null,
          yearOfUse: event.yearOfUse ?? null,
          reason: event.reason ?? null,
          cancellationKind: event.cancellationKind ?? null,
        },
      };
    case 'units_authorised':
      return {
        kind: 'authorise',
        registry: registryOfAccount(event.account),
        ranges: event.pieces.map((p) => ({
          project: p.project,
          vintage: p.vintage,
          first: p.serials.first,
          last: p.serials.last,
          from: event.account,
          to: event.account,
        })),
        details: { ...noDetails, authorisation: event.authorisation },
      };
    default:
      return null;
  }
}

/** The year (UTC) of an entry's recorded_at: the annual summary's year. */
export function yearOf(recordedAt: string): number {
  return Number(recordedAt.slice(0, 4));
}
