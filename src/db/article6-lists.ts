// Article 6.2 lists a page at a time (issue 15): the cooperative approaches (latest version, by
// partnership), the authorisations with every version, confirmations and credits covered (by id;
// all of them or one Party's) and the finalised periods (by Party and first year); and the reads by
// key the pages around them need: one authorisation, a Party's authorisations for its AEF, the OIMP
// authorisations a form offers, the projects the authorisations of some approaches cover.
import { sql, type Kysely } from 'kysely';
import type { Authorisation, CooperativeApproach, Finalisation } from '../core/article6/types.ts';
import type { EntryRef } from '../core/ledger/types.ts';
import type { ChainId } from '../core/shared/ids.ts';
import {
  afterKey,
  mapPage,
  pageLimit,
  pageOf,
  pageSizeMax,
  type Page,
  type PageRequest,
} from '../core/shared/page.ts';
import { ok, type Result } from '../core/shared/result.ts';
import { approachFromRecord, authorisationFromRecord } from './article6-rows.ts';
import type { Db } from './connect.ts';
import { keyAfter } from './page-keys.ts';
import type { Schema } from './schema.ts';

export interface ApproachVersion {
  readonly approach: CooperativeApproach;
  readonly entry: EntryRef;
}

export interface AuthorisationVersion {
  readonly authorisation: Authorisation;
  readonly entry: EntryRef;
  /** The Parties that confirmed this version, in alphabetical order. */
  readonly confirmedBy: readonly string[];
}

export interface AuthorisationWithVersions {
  readonly id: string;
  /** Oldest first; the last is in force. */
  readonly versions: readonly AuthorisationVersion[];
  readonly covered: bigint;
}

export type StoredFinalisation = Finalisation & { readonly entry: EntryRef };

/** OIMP authorisations a form offers to choose from, at most. */
export const oimpChoicesMax = pageSizeMax;

/** The latest version of each cooperative approach, by partnership, a page at a time. */
export async function approachesPage(
  db: Db,
  request: PageRequest,
): Promise<Result<Page<ApproachVersion>>> {
  const after = afterKey(request, ['text']);
  if (!after.ok) return after;
  const limit = pageLimit(request);
  // The primary key (partnership, version) serves both the DISTINCT ON and the page's order.
  const rows = await db.read((k) =>
    k
      .selectFrom('article6_approaches')
      .select(['partnership', 'record', 'chain', 'seq'])
      .distinctOn('partnership')
      .where(keyAfter(['partnership'], after.value))
      .orderBy('partnership')
      .orderBy('version', 'desc')
      .limit(limit + 1)
      .execute(),
  );
  return ok(
    mapPage(
      pageOf(rows, limit, (r) => [r.partnership]),
      approachVersion,
    ),
  );
}

/**
 * Which authorisations a page lists: one Party's, and from an id on (a link to one) for the first.
 */
export interface AuthorisationFilter {
  readonly party?: string | undefined;
  /** Without a cursor, the page starts at this id (inclusive). */
  readonly from?: string | undefined;
}

/** Authorisations by id with every version, all of them or one Party's, a page at a time. */
export async function authorisationsPage(
  db: Db,
  filter: AuthorisationFilter,
  request: PageRequest,
): Promise<Result<Page<AuthorisationWithVersions>>> {
  const after = afterKey(request, ['text']);
  if (!after.ok) return after;
  const limit = pageLimit(request);
  const party = filter.party;
  const from = after.value === null ? filter.from : undefined;
  const items = await db.read(async (k) => {
    // The page's ids first (the primary key (id, version) gives them in order, or the Party's
    // index), then the versions, confirmations and credits of those ids only.
    let ids = k
      .selectFrom('article6_authorisations')
      .select('id')
      .distinct()
      .where(keyAfter(['id'], after.value))
      .orderBy('id')
      .limit(limit + 1);
    if (party !== undefined) ids = ids.where('party', '=', party);
    if (from !== undefined) ids = ids.where('id', '>=', from);
    const page = (await ids.execute()).map((r) => r.id);
    return withVersions(k, page, party);
  });
  return ok(pageOf(items, limit, (a) => [a.id]));
}

/** One authorisation with every version, or null when there is none of this id. */
export function authorisationById(db: Db, id: string): Promise<AuthorisationWithVersions | null> {
  return db.read(async (k) => (await withVersions(k, [id]))[0] ?? null);
}

/**
 * Every authorisation of one Party with every version, by id: the input of its AEF, which names
 * them all (a Party's records are few: the ledger's writer loads every one of them for each batch).
 */
export function partyAuthorisations(db: Db, party: string): Promise<AuthorisationWithVersions[]> {
  return db.read(async (k) => {
    const ids = await k
      .selectFrom('article6_authorisations')
      .select('id')
      .distinct()
      .where('party', '=', party)
      .orderBy('id')
      .execute();
    return withVersions(
      k,
      ids.map((r) => r.id),
      party,
    );
  });
}

/** The version in force of authorisations for OIMP, by id, at most `oimpChoicesMax`. */
export function oimpAuthorisations(db: Db): Promise<Authorisation[]> {
  return db.read(async (k) => {
    const result = await sql<{ record: string }>`
      SELECT record FROM (
        SELECT DISTINCT ON (id) id, record FROM article6_authorisations ORDER BY id, version DESC
      ) latest
      WHERE record::jsonb -> 'purposes' @> '["oimp"]'::jsonb
      ORDER BY id
      LIMIT ${oimpChoicesMax}`.execute(k);
    return result.rows.map((r) => authorisationFromRecord(r.record));
  });
}

/** The projects (by reference) any version of an authorisation under these approaches covers. */
export function coveredProjects(db: Db, approaches: readonly string[]): Promise<string[]> {
  if (approaches.length === 0) return Promise.resolve([]);
  return db.read(async (k) => {
    const result = await sql<{ project: string }>`
      SELECT DISTINCT p.project FROM article6_authorisations a,
        jsonb_array_elements_text(a.record::jsonb -> 'projects') AS p (project)
      WHERE a.record::jsonb ->> 'approach' = ANY(${[...approaches]}::text[])
      ORDER BY p.project`.execute(k);
    return result.rows.map((r) => r.project);
  });
}

/** Finalised periods by Party and first year, all Parties' or one's, a page at a time. */
export async function finalisationsPage(
  db: Db,
  filter: { readonly party?: string | undefined },
  request: PageRequest,
): Promise<Result<Page<StoredFinalisation>>> {
  const after = afterKey(request, ['text', 'int4']);
  if (!after.ok) return after;
  const limit = pageLimit(request);
  const rows = await db.read((k) => {
    let query = k
      .selectFrom('article6_finalisations')
      .selectAll()
      .where(keyAfter(['party', 'first_year'], after.value))
      .orderBy('party')
      .orderBy('first_year')
      .limit(limit + 1);
    if (filter.party !== undefined) query = query.where('party', '=', filter.party);
    return query.execute();
  });
  return ok(
    mapPage(
      pageOf(rows, limit, (r) => [r.party, BigInt(r.first_year)]),
      finalisationOf,
    ),
  );
}

/**
 * Every finalised period of one Party, by first year: at most one per year from 2013 to 2100, since
 * a Party's periods never overlap (the exclusion constraint of migration 015).
 */
export function partyFinalisations(db: Db, party: string): Promise<StoredFinalisation[]> {
  return db.read(async (k) =>
    (
      await k
        .selectFrom('article6_finalisations')
        .selectAll()
        .where('party', '=', party)
        .orderBy('first_year')
        .execute()
    ).map(finalisationOf),
  );
}

/**
 * The authorisations of these ids (in this order) with their versions, confirmations and credits.
 */
async function withVersions(
  k: Kysely<Schema>,
  ids: readonly string[],
  party?: string,
): Promise<AuthorisationWithVersions[]> {
  if (ids.length === 0) return [];
  let versions = k
    .selectFrom('article6_authorisations')
    .select(['id', 'version', 'record', 'chain', 'seq'])
    .where('id', 'in', [...ids])
    .orderBy('id')
    .orderBy('version');
  if (party !== undefined) versions = versions.where('party', '=', party);
  const rows = await versions.execute();
  const confirmations = await k
    .selectFrom('article6_confirmations')
    .select(['id', 'version', 'party'])
    .where('id', 'in', [...ids])
    .orderBy('party')
    .execute();
  const covered = await k
    .selectFrom('article6_authorisation_covered')
    .select(['id', 'quantity'])
    .where('id', 'in', [...ids])
    .execute();
  const confirmedBy = new Map<string, string[]>();
  for (const c of confirmations) {
    const key = `${c.id}#${c.version}`;
    confirmedBy.set(key, [...(confirmedBy.get(key) ?? []), c.party]);
  }
  const coveredOf = new Map(covered.map((c) => [c.id, c.quantity]));
  const versionsOf = new Map<string, AuthorisationVersion[]>();
  for (const r of rows) {
    const found = versionsOf.get(r.id) ?? [];
    found.push({
      authorisation: authorisationFromRecord(r.record),
      entry: { chain: r.chain as ChainId, seq: r.seq },
      confirmedBy: confirmedBy.get(`${r.id}#${r.version}`) ?? [],
    });
    versionsOf.set(r.id, found);
  }
  return ids.flatMap((id) => {
    const found = versionsOf.get(id);
    return found === undefined ? [] : [{ id, versions: found, covered: coveredOf.get(id) ?? 0n }];
  });
}

export function approachVersion(row: {
  record: string;
  chain: string;
  seq: bigint;
}): ApproachVersion {
  return {
    approach: approachFromRecord(row.record),
    entry: { chain: row.chain as ChainId, seq: row.seq },
  };
}

function finalisationOf(r: Schema['article6_finalisations']): StoredFinalisation {
  return {
    party: r.party,
    firstYear: r.first_year,
    lastYear: r.last_year,
    date: r.finalised_on,
    entry: { chain: r.chain as ChainId, seq: r.seq },
  };
}
