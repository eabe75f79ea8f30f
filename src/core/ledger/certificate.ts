// The facts a certificate states about one journal entry (issue 15), derived purely from the entry:
// only an issuance (credits_issued) or a retirement (credits_moved, movement retirement) has one.
// The blocks are named by their block ids (block-id.ts); the quantities are bigint.
import { ok, reject, type Result } from '../shared/result.ts';
import { formatBlockId } from './block-id.ts';
import type { JournalEnvelope } from './journal.ts';
import type { ProjectRef } from '../shared/ids.ts';

export type CertificateKind = 'issuance' | 'retirement';

export interface CertifiedBlock {
  readonly blockId: string;
  readonly project: string;
  readonly vintage: number;
  readonly serialFirst: bigint;
  readonly serialLast: bigint;
  readonly quantity: bigint;
  /** The account the block went into. */
  readonly account: string;
}

export interface CertificateFacts {
  readonly kind: CertificateKind;
  readonly chain: string;
  readonly seq: bigint;
  readonly recordedAt: string;
  readonly blocks: readonly CertifiedBlock[];
  readonly quantity: bigint;
  /** Issuance: the account issued into; retirement: the account the credits were retired from. */
  readonly account: string;
  readonly purpose?: string;
  readonly beneficiary?: string;
  readonly note?: string;
  readonly decision?: string;
}

/** A chain (`JP`, `IN`, `JC-IN`) and a sequence number as a URL gives them, checked. */
export function parseCertificateRef(
  chainRaw: string,
  seqRaw: string,
): Result<{ readonly chain: string; readonly seq: bigint }> {
  if (!/^(JC-)?[A-Z]{2}$/.test(chainRaw) || !/^[1-9]\d{0,17}$/.test(seqRaw))
    return reject(
      'certificate_reference_malformed',
      `"${chainRaw.slice(0, 10)}/${seqRaw.slice(0, 20)}" is not a chain and entry number like JP/42`,
    );
  return ok({ chain: chainRaw, seq: BigInt(seqRaw) });
}

function block(
  project: string,
  vintage: number,
  first: bigint,
  last: bigint,
  account: string,
): CertifiedBlock {
  if (first > last) throw new Error('certificate: a block with first > last');
  return {
    blockId: formatBlockId({ project: project as ProjectRef, vintage, serials: { first, last } }),
    project,
    vintage,
    serialFirst: first,
    serialLast: last,
    quantity: last - first + 1n,
    account,
  };
}

/** The certificate of an entry, or why the entry has none. */
export function certificateFacts(envelope: JournalEnvelope): Result<CertificateFacts> {
  const event = envelope.event;
  const base = { chain: envelope.chain, seq: envelope.seq, recordedAt: envelope.recordedAt };
  if (event.type === 'credits_issued') {
    const reserve = event.reserve ?? 0n;
    const { first, last } = event.serials;
    const blocks = [
      ...(last - reserve >= first
        ? [block(event.project, event.vintage, first, last - reserve, event.account)]
        : []),
      ...(reserve > 0n && event.reserveAccount !== undefined
        ? [block(event.project, event.vintage, last - reserve + 1n, last, event.reserveAccount)]
        : []),
    ];
    const quantity = blocks.reduce((sum, b) => sum + b.quantity, 0n);
    if (quantity !== last - first + 1n) throw new Error('certificate: issued blocks do not add up');
    return ok({
      ...base,
      kind: 'issuance',
      blocks,
      quantity,
      account: event.account,
      decision: event.decision,
    });
  }
  if (event.type === 'credits_moved' && event.movement === 'retirement') {
    const blocks = event.pieces.map((p) =>
      block(p.project, p.vintage, p.serials.first, p.serials.last, event.to),
    );
    const quantity = blocks.reduce((sum, b) => sum + b.quantity, 0n);
    if (quantity !== event.quantity) throw new Error('certificate: retired blocks do not add up');
    return ok({
      ...base,
      kind: 'retirement',
      blocks,
      quantity,
      account: event.from,
      ...(event.purpose === undefined ? {} : { purpose: event.purpose }),
      ...(event.beneficiary === undefined ? {} : { beneficiary: event.beneficiary }),
      ...(event.note === undefined ? {} : { note: event.note }),
    });
  }
  return reject(
    'certificate_entry_not_certifiable',
    `entry ${envelope.chain}#${envelope.seq} is a ${event.type === 'credits_moved' ? event.movement : event.type}: only issuances and retirements have certificates`,
  );
}
