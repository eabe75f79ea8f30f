// Read side of Article 6.2: cooperative approaches and their versions, authorisations with their
// versions, confirmations and covered credits, finalised periods (the lists a page at a time, in
// article6-lists.ts), a Party's actions in a year (a page at a time), a registry's ITMO holdings as
// serial ranges, the ITMO status of a credit, and which journal entries exist (the AEF's
// traceability check). Inputs are parsed by the caller.
import { sql } from 'kysely';
import type { Action, Authorisation } from '../core/article6/types.ts';
import { readEnvelope } from '../core/ledger/journal.ts';
import { entryKey, type EntryRef } from '../core/ledger/types.ts';
import { assert } from '../core/shared/assert.ts';
import type { ChainId, ProjectRef, RegistryId } from '../core/shared/ids.ts';
import type { Page, PageRequest } from '../core/shared/page.ts';
import type { Result } from '../core/shared/result.ts';
import {
  approachesPage,
  approachVersion,
  authorisationById,
  authorisationsPage,
  coveredProjects,
  finalisationsPage,
  oimpAuthorisations,
  partyAuthorisations,
  partyFinalisations,
  type ApproachVersion,
  type AuthorisationFilter,
  type AuthorisationWithVersions,
  type StoredFinalisation,
} from './article6-lists.ts';
import { actionFromRow, itmoFromRow } from './article6-rows.ts';
import type { Db } from './connect.ts';

export type {
  ApproachVersion,
  AuthorisationVersion,
  AuthorisationWithVersions,
  StoredFinalisation,
} from './article6-lists.ts';

/** Actions per page of a Party's year, at most. */
export const actionsPageSizeMax = 1000;
/** ITMO holding ranges per page, at most. */
export const holdingsPageSizeMax = 1000;
/** Journal entries asked about in one call, at most. */
export const entriesPerLookupMax = 10_000;

/** An action with its place among its entry's actions: (chain, seq, n) is the key pages follow. */
export type StoredAction = Action & { readonly n: number };

export interface ActionCursor {
  readonly chain: string;
  readonly seq: bigint;
  readonly n: number;
}

export interface HoldingRange {
  readonly approach: string;
  readonly authorisation: string;
  readonly registry: RegistryId;
  readonly firstParty: string;
  readonly firstTransferred: boolean;
  readonly project: ProjectRef;
  readonly vintage: number;
  readonly serialFirst: bigint;
  readonly serialLast: bigint;
  readonly quantity: bigint;
}

export interface ItmoStatus {
  readonly project: ProjectRef;
  readonly vintage: number;
  readonly serialFirst: bigint;
  readonly serialLast: bigint;
  readonly registry: RegistryId;
  readonly account: string;
  readonly accountType: string;
  /** Null for credits no authorisation covers. */
  readonly itmo: {
    readonly approach: string;
    readonly authorisation: string;
    readonly firstParty: string;
    readonly firstTransferred: boolean;
  } | null;
  /** The entry that put the credits in their account. */
  readonly entry: {
    readonly chain: string;
    readonly seq: bigint;
    readonly type: string;
    readonly recordedAt: string;
  };
  /** What the retirement or cancellation entry says; null for credits still held. */
  readonly disposal: {
    readonly purpose: string | null;
    readonly beneficiary: string | null;
    readonly reason: string | null;
    readonly yearOfUse: number | null;
    readonly cancellationKind: string | null;
  } | null;
}

export class Article6Queries {
  constructor(private readonly db: Db) {}

  /** The latest version of each cooperative approach, by partnership, a page at a time. */
  approaches(request: PageRequest = {}): Promise<Result<Page<ApproachVersion>>> {
    return approachesPage(this.db, request);
  }

  /**
   * The latest version of every cooperative approach, by partnership: for the computations that
   * need each of them (a Party's NDC, an ITMO's identifier), not a list to show. There is at most
   * one per partnership (migration 015's primary key), so the read is bounded by the reference
   * data.
   */
  latestApproaches(): Promise<ApproachVersion[]> {
    return this.db.read(async (k) => {
      const rows = await k
        .selectFrom('article6_approaches')
        .select(['record', 'chain', 'seq'])
        .distinctOn('partnership')
        .orderBy('partnership')
        .orderBy('version', 'desc')
        .execute();
      return rows.map(approachVersion);
    });
  }

  /** Every version of a partnership's approach, oldest first. */
  approachHistory(partnership: RegistryId): Promise<ApproachVersion[]> {
    return this.db.read(async (k) => {
      const rows = await k
        .selectFrom('article6_approaches')
        .select(['record', 'chain', 'seq'])
        .where('partnership', '=', partnership)
        .orderBy('version')
        .execute();
      return rows.map(approachVersion);
    });
  }

  /**
   * Authorisations with every version, confirmations and credits covered, by id, a page at a time.
   */
  authorisations(
    filter: AuthorisationFilter = {},
    request: PageRequest = {},
  ): Promise<Result<Page<AuthorisationWithVersions>>> {
    return authorisationsPage(this.db, filter, request);
  }

  /** One authorisation with every version, or null. */
  authorisation(id: string): Promise<AuthorisationWithVersions | null> {
    return authorisationById(this.db, id);
  }

  /** Every authorisation of one Party, by id (its AEF names them all). */
  partyAuthorisations(party: string): Promise<AuthorisationWithVersions[]> {
    return partyAuthorisations(this.db, party);
  }

  /** The version in force of the authorisations for OIMP (a form's choices), bounded. */
  oimpAuthorisations(): Promise<Authorisation[]> {
    return oimpAuthorisations(this.db);
  }

  /** The projects the authorisations under these approaches cover, by reference. */
  coveredProjects(approaches: readonly string[]): Promise<string[]> {
    return coveredProjects(this.db, approaches);
  }

  /** Finalised periods by Party and first year, all or one Party's, a page at a time. */
  finalisations(
    filter: { readonly party?: string | undefined } = {},
    request: PageRequest = {},
  ): Promise<Result<Page<StoredFinalisation>>> {
    return finalisationsPage(this.db, filter, request);
  }

  /** Every finalised period of one Party (at most one a year), by first year. */
  partyFinalisations(party: string): Promise<StoredFinalisation[]> {
    return partyFinalisations(this.db, party);
  }

  /**
   * A Party's actions dated in a calendar year, in entry order (chain, seq, n), `limit` at a time
   * (at most `actionsPageSizeMax`) after `after`; `next` is the cursor of the following page.
   */
  partyActions(
    party: string,
    year: number,
    page: { readonly limit: number; readonly after?: ActionCursor },
  ): Promise<{ actions: StoredAction[]; next: ActionCursor | null }> {
    assert(Number.isInteger(year) && year >= 1000 && year <= 9999, `year ${year}`);
    const limit = Math.min(Math.max(1, Math.trunc(page.limit)), actionsPageSizeMax);
    return this.db.read(async (k) => {
      let query = k
        .selectFrom('article6_actions')
        .selectAll()
        .where('party', '=', party)
        .where(sql<boolean>`left(action_date, 4) = ${String(year)}`)
        .orderBy('chain')
        .orderBy('seq')
        .orderBy('n')
        .limit(limit + 1);
      const after = page.after;
      if (after !== undefined)
        query = query.where(
          sql<boolean>`(chain, seq, n) > (${after.chain}::text, ${after.seq}::int8, ${after.n}::int4)`,
        );
      const rows = await query.execute();
      const shown = rows.slice(0, limit);
      const last = shown.at(-1);
      return {
        actions: shown.map((r) => ({ ...actionFromRow(r), n: r.n })),
        next:
          rows.length > limit && last !== undefined
            ? { chain: last.chain, seq: last.seq, n: last.n }
            : null,
      };
    });
  }

  /**
   * A registry's ITMO holdings: the credits it holds with ITMO attributes, outside its retirement and
   * cancellation accounts, as ranges of consecutive serials sharing approach, authorisation, first
   * transferring Party, first-transfer status, project and vintage, whatever holding account they
   * sit in. Ordered by project and first serial, `limit` at a time after `after`.
   */
  itmoHoldings(
    registry: RegistryId,
    page: { readonly limit: number; readonly after?: { project: string; serialFirst: bigint } },
  ): Promise<{ ranges: HoldingRange[]; next: { project: string; serialFirst: bigint } | null }> {
    const limit = Math.min(Math.max(1, Math.trunc(page.limit)), holdingsPageSizeMax);
    const after = page.after ?? { project: '', serialFirst: 0n };
    return this.db.read(async (k) => {
      // Islands of consecutive serials: a block starts a range unless the previous block of the same
      // attributes ends just before it.
      const result = await sql<{
        approach: string;
        authorisation: string;
        first_party: string;
        first_transferred: boolean;
        project: string;
        vintage: number;
        serial_first: bigint;
        serial_last: bigint;
        quantity: bigint;
      }>`
        WITH held AS (
          SELECT b.itmo_approach, b.itmo_authorisation, b.itmo_first_party, b.itmo_first_transferred,
                 b.project, b.vintage, b.serial_first, b.serial_last,
                 CASE WHEN lag(b.serial_last) OVER w = b.serial_first - 1 THEN 0 ELSE 1 END AS starts
          FROM blocks b JOIN accounts a ON a.id = b.account_id
          WHERE b.registry_id = ${registry} AND b.itmo_approach IS NOT NULL
            AND a.type NOT IN ('retirement', 'cancellation')
          WINDOW w AS (PARTITION BY b.itmo_approach, b.itmo_authorisation, b.itmo_first_party,
                       b.itmo_first_transferred, b.project, b.vintage ORDER BY b.serial_first)),
        islands AS (
          SELECT *, sum(starts) OVER (PARTITION BY itmo_approach, itmo_authorisation, itmo_first_party,
                   itmo_first_transferred, project, vintage ORDER BY serial_first) AS island
          FROM held)
        SELECT itmo_approach AS approach, itmo_authorisation AS authorisation, itmo_first_party AS first_party,
               itmo_first_transferred AS first_transferred, project, vintage,
               min(serial_first) AS serial_first, max(serial_last) AS serial_last,
               sum(serial_last - serial_first + 1)::int8 AS quantity
        FROM islands
        GROUP BY itmo_approach, itmo_authorisation, itmo_first_party, itmo_first_transferred, project, vintage, island
        HAVING (project, min(serial_first)) > (${after.project}::text, ${after.serialFirst}::int8)
        ORDER BY project, min(serial_first)
        LIMIT ${limit + 1}`.execute(k);
      const shown = result.rows.slice(0, limit);
      const last = shown.at(-1);
      return {
        ranges: shown.map((r) => ({
          approach: r.approach,
          authorisation: r.authorisation,
          registry,
          firstParty: r.first_party,
          firstTransferred: r.first_transferred,
          project: r.project as ProjectRef,
          vintage: r.vintage,
          serialFirst: r.serial_first,
          serialLast: r.serial_last,
          quantity: r.quantity,
        })),
        next:
          result.rows.length > limit && last !== undefined
            ? { project: last.project, serialFirst: last.serial_first }
            : null,
      };
    });
  }

  /** The ITMO status of the credit with this serial, or null when no block holds it. */
  itmoStatus(project: ProjectRef, serial: bigint): Promise<ItmoStatus | null> {
    return this.db.read(async (k) => {
      const row = await k
        .selectFrom('blocks')
        .innerJoin('accounts', 'accounts.id', 'blocks.account_id')
        .innerJoin('journal', (j) =>
          j
            .onRef('journal.chain', '=', 'blocks.entry_chain')
            .onRef('journal.seq', '=', 'blocks.entry_seq'),
        )
        .selectAll('blocks')
        .select([
          'accounts.type as account_type',
          'journal.type as entry_type',
          'journal.recorded_at',
          'journal.entry',
        ])
        .where('blocks.project', '=', project)
        .where(sql<boolean>`blocks.serials @> ${serial}::int8`)
        .executeTakeFirst();
      if (row === undefined) return null;
      const itmo = itmoFromRow(row);
      const disposed = row.account_type === 'retirement' || row.account_type === 'cancellation';
      return {
        project: row.project as ProjectRef,
        vintage: row.vintage,
        serialFirst: row.serial_first,
        serialLast: row.serial_last,
        registry: row.registry_id as RegistryId,
        account: row.account_id,
        accountType: row.account_type,
        itmo: itmo ?? null,
        entry: {
          chain: row.entry_chain,
          seq: row.entry_seq,
          type: row.entry_type,
          recordedAt: row.recorded_at,
        },
        disposal: disposed ? disposalOf(row.entry) : null,
      };
    });
  }

  /** Which of these journal entries exist, as `entryKey`s (at most `entriesPerLookupMax` asked). */
  existingEntries(entries: readonly EntryRef[]): Promise<Set<string>> {
    assert(entries.length <= entriesPerLookupMax, `${entries.length} entries asked at once`);
    if (entries.length === 0) return Promise.resolve(new Set());
    return this.db.read(async (k) => {
      const result = await sql<{ chain: string; seq: bigint }>`
        SELECT j.chain, j.seq FROM journal j
        JOIN unnest(${entries.map((e) => e.chain)}::text[], ${entries.map((e) => String(e.seq))}::int8[]) AS e (chain, seq)
          ON j.chain = e.chain AND j.seq = e.seq`.execute(k);
      return new Set(result.rows.map((r) => entryKey({ chain: r.chain as ChainId, seq: r.seq })));
    });
  }
}

/** What a retirement or cancellation entry says about the credits it disposed of. */
function disposalOf(text: string): NonNullable<ItmoStatus['disposal']> {
  const event = readEnvelope(text).event;
  assert(
    event.type === 'credits_moved',
    `credits were retired or cancelled by a ${event.type} entry`,
  );
  return {
    purpose: event.purpose ?? null,
    beneficiary: event.beneficiary ?? null,
    reason: event.reason ?? null,
    yearOfUse: event.yearOfUse ?? null,
    cancellationKind: event.cancellationKind ?? null,
  };
}
