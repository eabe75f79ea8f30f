// The registry's lists a page at a time (lane H1): accounts of a registry, blocks of an account, a
// journal and the issuance decisions, each in the order of a unique key backed by an index, with
// the cursor holding the key of the last row served (src/core/shared/page.ts).
import { sql } from 'kysely';
import { readEnvelope, type JournalEnvelope } from '../core/ledger/journal.ts';
import { parseAccountId, parseRegistryId } from '../core/shared/ids.ts';
import {
  afterKey,
  pageLimit,
  pageOf,
  type KeyPart,
  type Page,
  type PageRequest,
} from '../core/shared/page.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import type { Db } from './connect.ts';
import { accountFromRow, blockFromRow } from './ledger-rows.ts';
import { describeBlock } from './ledger-queries.ts';
import { keyAfter } from './page-keys.ts';
import { publicEnvelope, publicNamer } from './public-actors.ts';

/** Accounts of a registry by id (index accounts_by_registry), each with its balance. */
export async function accountsPage(db: Db, registryRaw: string, request: PageRequest) {
  const registry = parseRegistryId(registryRaw);
  if (!registry.ok) return registry;
  const after = afterKey(request, ['text']);
  if (!after.ok) return after;
  const limit = pageLimit(request);
  return db.read(async (k) => {
    const exists = await k
      .selectFrom('registries')
      .select('id')
      .where('id', '=', registry.value)
      .executeTakeFirst();
    if (exists === undefined) return reject('registry_not_found', `no registry ${registry.value}`);
    const rows = await k
      .selectFrom('accounts')
      .selectAll()
      .where('registry_id', '=', registry.value)
      .where(keyAfter(['id'], after.value))
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    const page = pageOf(rows, limit, (r) => [r.id]);
    const ids = page.items.map((r) => r.id);
    // The balance of the page's accounts only, from migration 018's account_holdings (a row per
    // project and vintage held), not a scan of blocks: an account of 100,000 blocks costs a few rows.
    const sums =
      ids.length === 0
        ? []
        : await k
            .selectFrom('account_holdings')
            .select('account_id')
            .select(sql<bigint>`sum(quantity)::int8`.as('balance'))
            .where('account_id', 'in', ids)
            .groupBy('account_id')
            .execute();
    const balance = new Map(sums.map((s) => [s.account_id, s.balance]));
    return ok({
      items: page.items.map((r) => ({ ...accountFromRow(r), balance: balance.get(r.id) ?? 0n })),
      next: page.next,
    });
  });
}

/** Blocks of an account by project, vintage and first serial (index blocks_by_account). */
export async function blocksPage(db: Db, idRaw: string, request: PageRequest) {
  const id = parseAccountId(idRaw);
  if (!id.ok) return id;
  const after = afterKey(request, ['text', 'int', 'int']);
  if (!after.ok) return after;
  const limit = pageLimit(request);
  const rows = await db.read((k) =>
    k
      .selectFrom('blocks')
      .selectAll()
      .where('account_id', '=', id.value)
      .where(keyAfter(['project', 'vintage', 'serial_first'], after.value))
      .orderBy('project')
      .orderBy('vintage')
      .orderBy('serial_first')
      .limit(limit + 1)
      .execute(),
  );
  const page = pageOf(rows, limit, (r) => [r.project, BigInt(r.vintage), r.serial_first]);
  return ok({ items: page.items.map((r) => describeBlock(blockFromRow(r))), next: page.next });
}

/**
 * Journal entries as the public sees them (each actor by role and organisation, never a person), by
 * sequence number. `after` is a cursor or, for the links made before cursors, a sequence number.
 */
export async function journalPage(db: Db, chain: string, request: PageRequest) {
  const legacy = request.after !== undefined && /^\d{1,18}$/.test(request.after);
  const after: Result<KeyPart[] | null> = legacy
    ? ok([BigInt(request.after ?? '0')])
    : afterKey(request, ['int']);
  if (!after.ok) return after;
  const limit = pageLimit(request);
  return db.read(async (k) => {
    const rows = await k
      .selectFrom('journal')
      .select(['seq', 'hash', 'prev_hash', 'entry'])
      .where('chain', '=', chain)
      .where(keyAfter(['seq'], after.value))
      .orderBy('seq')
      .limit(limit + 1)
      .execute();
    const page = pageOf(rows, limit, (r) => [r.seq]);
    const envelopes = page.items.map((r) => readEnvelope(r.entry));
    const name = await publicNamer(
      k,
      envelopes.map((e) => e.actor),
    );
    const entries: Page<ReturnType<typeof publicEnvelope> & { hash: string; prevHash: string }> = {
      items: page.items.map((r, i) => ({
        ...publicEnvelope(envelopes[i] as JournalEnvelope, name),
        hash: r.hash,
        prevHash: r.prev_hash,
      })),
      next: page.next,
    };
    return ok(entries);
  });
}

/** Issuance decisions by project and first serial (unique by the decisions' exclusion constraint). */
export async function decisionsPage(db: Db, request: PageRequest) {
  const after = afterKey(request, ['text', 'int']);
  if (!after.ok) return after;
  const limit = pageLimit(request);
  const rows = await db.read((k) =>
    k
      .selectFrom('decisions')
      .select([
        'id',
        'project',
        'serial_first as serialFirst',
        'serial_last as serialLast',
        'verification_reference as verificationReference',
      ])
      .where(keyAfter(['project', 'serial_first'], after.value))
      .orderBy('project')
      .orderBy('serial_first')
      .limit(limit + 1)
      .execute(),
  );
  return ok(pageOf(rows, limit, (r) => [r.project, r.serialFirst]));
}
