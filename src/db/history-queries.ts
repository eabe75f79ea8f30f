// Transaction histories and the public register of retirements, read from `ledger_movements`
// (migration 018: one row per serial range an entry moves or creates, written in the ledger's own
// transaction). Every list is a keyset page in an order one index serves:
// - an account: its movements out (from_account, seq, n) and in (to_account, seq, n), merged;
// - a project: (project, recorded_at, chain, seq, n);
// - a serial: the GiST index on (project, serial range), then ordered by time (a serial's history
//   is the handful of entries that moved the block holding it);
// - the register: partial indexes of migration 020, by folded beneficiary or newest first.
// Rows carry what the public journal shows: the entry's actor is named as the journal names it.
import { sql, type Kysely } from 'kysely';
import { formatBlockId } from '../core/ledger/block-id.ts';
import type { AccountId, ProjectRef } from '../core/shared/ids.ts';
import { pageOf, type KeyPart, type Page } from '../core/shared/page.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import type { Db } from './connect.ts';
import { journalContext, publicNamer } from './public-actors.ts';
import type { Schema } from './schema.ts';

type K = Kysely<Schema>;
const withAggregates = (k: Kysely<Schema>): K => k;

/** One movement of one serial range by one journal entry, as the public sees it. */
export interface Movement {
  readonly chain: string;
  readonly seq: bigint;
  readonly n: number;
  readonly registry: string;
  readonly kind: string;
  readonly block: string;
  readonly project: string;
  readonly vintage: number;
  readonly serialFirst: bigint;
  readonly serialLast: bigint;
  readonly quantity: bigint;
  readonly from: string | null;
  readonly to: string | null;
  readonly recordedAt: string;
  readonly purpose: string | null;
  readonly beneficiary: string | null;
  readonly note: string | null;
  readonly yearOfUse: number | null;
  readonly reason: string | null;
  /** A cancellation's kind (voluntary, OMGE, correction...), and an authorisation's id. */
  readonly cancellationKind: string | null;
  readonly authorisation: string | null;
  /** The entry's actor, named as the public journal names it. */
  readonly actor: string;
  readonly hash: string;
}

/** The keys of the orders of the lists (cursor shapes). */
export const accountKey = ['int', 'int4'] as const;
export const timeKey = ['text', 'text', 'int', 'int4'] as const;
export const beneficiaryKey = ['text', 'text', 'int', 'int4'] as const;

const columns = [
  'm.chain',
  'm.seq',
  'm.n',
  'm.registry_id',
  'm.kind',
  'm.project',
  'm.vintage',
  'm.serial_first',
  'm.serial_last',
  'm.quantity',
  'm.from_account',
  'm.to_account',
  'm.recorded_at',
  'm.purpose',
  'm.beneficiary',
  'm.note',
  'm.year_of_use',
  'm.reason',
  'm.cancellation_kind',
  'm.authorisation',
  'j.actor',
  'j.hash',
  'j.type',
] as const;

function movements(k: K) {
  return k
    .selectFrom('ledger_movements as m')
    .innerJoin('journal as j', (join) =>
      join.onRef('j.chain', '=', 'm.chain').onRef('j.seq', '=', 'm.seq'),
    )
    .select(columns);
}

type Row = Awaited<ReturnType<ReturnType<typeof movements>['execute']>>[number];

async function named(k: K, rows: readonly Row[]): Promise<(Movement & { folded?: string })[]> {
  const name = await publicNamer(
    k as unknown as Kysely<Schema>,
    rows.map((r) => r.actor),
  );
  return rows.map((r) => ({
    chain: r.chain,
    seq: BigInt(r.seq),
    n: r.n,
    registry: r.registry_id,
    kind: r.kind,
    block: formatBlockId({
      project: r.project as ProjectRef,
      vintage: r.vintage,
      serials: { first: BigInt(r.serial_first), last: BigInt(r.serial_last) },
    }),
    project: r.project,
    vintage: r.vintage,
    serialFirst: BigInt(r.serial_first),
    serialLast: BigInt(r.serial_last),
    quantity: BigInt(r.quantity),
    from: r.from_account,
    to: r.to_account,
    recordedAt: r.recorded_at,
    purpose: r.purpose,
    beneficiary: r.beneficiary,
    note: r.note,
    yearOfUse: r.year_of_use,
    reason: r.reason,
    cancellationKind: r.cancellation_kind,
    authorisation: r.authorisation,
    actor: name(r.actor, journalContext(r.chain, r.type)),
    hash: r.hash,
  }));
}

const byTime = (m: Movement): KeyPart[] => [m.recordedAt, m.chain, m.seq, BigInt(m.n)];

export class HistoryQueries {
  constructor(private readonly db: Db) {}

  /** Every movement into or out of an account, oldest first (an account lives in one chain). */
  async account(
    id: AccountId,
    after: readonly KeyPart[] | null,
    limit: number,
  ): Promise<Result<Page<Movement>>> {
    return this.db.read(async (raw) => {
      const k = withAggregates(raw);
      const known = await k
        .selectFrom('accounts')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst();
      if (known === undefined) return reject('account_not_found', `no account ${id}`);
      const side = (column: 'm.from_account' | 'm.to_account') => {
        let q = movements(k).where(column, '=', id);
        if (after !== null)
          q = q.where((eb) =>
            eb(eb.refTuple('m.seq', 'm.n'), '>', eb.tuple(after[0] as bigint, Number(after[1]))),
          );
        return q
          .orderBy('m.seq')
          .orderBy('m.n')
          .limit(limit + 1)
          .execute();
      };
      const [out, into] = await Promise.all([side('m.from_account'), side('m.to_account')]);
      // An authorisation marks credits where they are (from = to = the account): one row, not two.
      const merged = [...out, ...into]
        .sort((a, b) => (a.seq === b.seq ? a.n - b.n : a.seq < b.seq ? -1 : 1))
        .filter((r, i, all) => i === 0 || r.seq !== all[i - 1]?.seq || r.n !== all[i - 1]?.n)
        .slice(0, limit + 1);
      const items = await named(k, merged);
      return ok(pageOf(items, limit, (m) => [m.seq, BigInt(m.n)]));
    });
  }

  /** Every movement of a project's credits in every registry, oldest first. */
  async project(
    project: ProjectRef,
    after: readonly KeyPart[] | null,
    limit: number,
  ): Promise<Page<Movement>> {
    return this.db.read(async (raw) => {
      const k = withAggregates(raw);
      let q = movements(k).where('m.project', '=', project);
      if (after !== null) q = q.where(afterInTime(after));
      const rows = await q
        .orderBy('m.recorded_at')
        .orderBy('m.chain')
        .orderBy('m.seq')
        .orderBy('m.n')
        .limit(limit + 1)
        .execute();
      return pageOf(await named(k, rows), limit, byTime);
    });
  }

  /** Every entry that moved the block holding a serial, from its issuance on, oldest first. */
  async serial(
    project: ProjectRef,
    serial: bigint,
    after: readonly KeyPart[] | null,
    limit: number,
  ): Promise<Page<Movement>> {
    return this.db.read(async (raw) => {
      const k = withAggregates(raw);
      let q = movements(k)
        .where('m.project', '=', project)
        .where(sql<boolean>`int8range(m.serial_first, m.serial_last, '[]') @> ${serial}::int8`);
      if (after !== null) q = q.where(afterInTime(after));
      const rows = await q
        .orderBy('m.recorded_at')
        .orderBy('m.chain')
        .orderBy('m.seq')
        .orderBy('m.n')
        .limit(limit + 1)
        .execute();
      return pageOf(await named(k, rows), limit, byTime);
    });
  }

  /**
   * The public register of retirements. With a beneficiary: those whose beneficiary begins with it,
   * compared after lower() on both sides (the database's own case folding), in the order of the
   * folded name; without: newest first. Each order is one partial index of migration 020.
   */
  async retirements(
    beneficiary: string | null,
    after: readonly KeyPart[] | null,
    limit: number,
  ): Promise<Page<Movement>> {
    return this.db.read(async (raw) => {
      const k = withAggregates(raw);
      if (beneficiary === null) return this.newestRetirements(k, after, limit);
      const folded = sql<string>`(lower(m.beneficiary) COLLATE "C")`;
      const prefix = sql<string>`(lower(${beneficiary}) COLLATE "C")`;
      let q = movements(k)
        .select(folded.as('folded'))
        .where('m.kind', '=', 'retire')
        .where(sql<boolean>`${folded} >= ${prefix}`)
        // U+10FFFF sorts after every other code point in "C" (code point) order, so the range
        // [prefix, prefix || U+10FFFF) is the names that begin with the prefix.
        .where(sql<boolean>`${folded} < ((lower(${beneficiary}) || chr(1114111)) COLLATE "C")`);
      if (after !== null)
        q = q.where(
          sql<boolean>`(${folded}, m.chain, m.seq, m.n) > ((${after[0] as string} COLLATE "C"), ${after[1] as string}, ${after[2] as bigint}::int8, ${Number(after[3])}::int4)`,
        );
      const rows = await q
        .orderBy(folded)
        .orderBy('m.chain')
        .orderBy('m.seq')
        .orderBy('m.n')
        .limit(limit + 1)
        .execute();
      const items = (await named(k, rows)).map((m, i) => ({ ...m, folded: rows[i]?.folded ?? '' }));
      const page = pageOf(items, limit, (m) => [m.folded, m.chain, m.seq, BigInt(m.n)]);
      return { items: page.items.map(({ folded: _, ...m }) => m), next: page.next };
    });
  }

  private async newestRetirements(
    k: K,
    after: readonly KeyPart[] | null,
    limit: number,
  ): Promise<Page<Movement>> {
    let q = movements(k).where('m.kind', '=', 'retire');
    if (after !== null)
      q = q.where((eb) =>
        eb(
          eb.refTuple('m.recorded_at', 'm.chain', 'm.seq', 'm.n'),
          '<',
          eb.tuple(after[0] as string, after[1] as string, after[2] as bigint, Number(after[3])),
        ),
      );
    const rows = await q
      .orderBy('m.recorded_at', 'desc')
      .orderBy('m.chain', 'desc')
      .orderBy('m.seq', 'desc')
      .orderBy('m.n', 'desc')
      .limit(limit + 1)
      .execute();
    return pageOf(await named(k, rows), limit, byTime);
  }
}

/** After a row in time order (recorded_at, chain, seq, n). */
function afterInTime(after: readonly KeyPart[]) {
  return sql<boolean>`(m.recorded_at, m.chain, m.seq, m.n) > (${after[0] as string}, ${after[1] as string}, ${after[2] as bigint}::int8, ${Number(after[3])}::int4)`;
}
