// Loads the partnership records (partnerships/*.yaml, read by src/formats/partnership-file.ts) into
// the partnerships tables at start, replacing what was there in one transaction when the files
// changed, the way the reference data is loaded: the hash of the files is kept as the comment of the
// partnerships table. And reads them back: the list and one partnership with its Joint Committee.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { JointCommitteeMember, Partnership } from '../core/partnership/record.ts';
import type { Db } from './connect.ts';

/** Raise it when the load itself changes (a column), so that every database reloads. */
const loaderVersion = 1;

export function partnershipFilesHash(files: readonly { name: string; text: string }[]): string {
  const hash = createHash('sha256').update(`partnerships ${loaderVersion}\0`);
  for (const file of files) hash.update(`${file.name}\0${file.text}\0`);
  return hash.digest('hex');
}

async function loadedHash(db: Db): Promise<string | null> {
  const { rows } = await db.read((k) =>
    sql<{
      hash: string | null;
    }>`SELECT obj_description('partnerships'::regclass, 'pg_class') AS hash`.execute(k),
  );
  return rows[0]?.hash ?? null;
}

/** Loads the records when their files differ from those last loaded; says whether it loaded. */
export async function loadPartnershipsIfChanged(
  db: Db,
  records: readonly Partnership[],
  hash: string,
): Promise<boolean> {
  if ((await loadedHash(db)) === hash) return false;
  return db.transaction(async (trx) => {
    // Two processes starting at once on PostgreSQL: the second waits for the first's load and then
    // finds the hash stored, rather than inserting the same rows again.
    await sql`LOCK TABLE partnerships IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
    const { rows } = await sql<{
      hash: string | null;
    }>`SELECT obj_description('partnerships'::regclass, 'pg_class') AS hash`.execute(trx);
    if (rows[0]?.hash === hash) return false;
    await trx.deleteFrom('partnership_members').execute();
    await trx.deleteFrom('partnerships').execute();
    for (const p of records) {
      await trx
        .insertInto('partnerships')
        .values({
          code: p.code,
          name: p.name,
          partner_alpha3: p.partner.alpha3,
          partner_name: p.partner.name,
          document_kind: p.bilateral_document.kind,
          document_title: p.bilateral_document.title,
          signed_on: p.bilateral_document.signed_on,
          signed_in: p.bilateral_document.signed_in,
          secretariat: p.secretariat.name,
          japan_registry: p.registries.japan.id,
          partner_registry: p.registries.partner.id,
          rulebook: p.rulebook,
          approach_id: p.cooperative_approach.approach_id,
          participating_parties: JSON.stringify(p.cooperative_approach.participating_parties),
          record: JSON.stringify(p),
        })
        .execute();
      await trx
        .insertInto('partnership_members')
        .values(
          p.joint_committee.members.map((m, i) => ({
            partnership: p.code,
            position: i + 1,
            name: m.name,
            side: m.side,
            role: m.role,
            affiliation: m.affiliation,
          })),
        )
        .execute();
    }
    await sql`COMMENT ON TABLE partnerships IS ${sql.lit(hash)}`.execute(trx);
    return true;
  });
}

/** A partnership as served: its stored record, with the Joint Committee as the members table has it. */
export type PartnershipRecord = Partnership;

export class PartnershipQueries {
  constructor(private readonly db: Db) {}

  /** Every partnership with a record, by the date of its bilateral document. */
  async list(): Promise<PartnershipRecord[]> {
    const [rows, members] = await this.db.read((k) =>
      Promise.all([
        k.selectFrom('partnerships').select(['code', 'record']).orderBy('signed_on').execute(),
        k.selectFrom('partnership_members').selectAll().orderBy('position').execute(),
      ]),
    );
    return rows.map((r) =>
      withMembers(
        r.record,
        members.filter((m) => m.partnership === r.code),
      ),
    );
  }

  async get(code: string): Promise<PartnershipRecord | null> {
    const [row, members] = await this.db.read((k) =>
      Promise.all([
        k
          .selectFrom('partnerships')
          .select(['code', 'record'])
          .where('code', '=', code)
          .executeTakeFirst(),
        k
          .selectFrom('partnership_members')
          .selectAll()
          .where('partnership', '=', code)
          .orderBy('position')
          .execute(),
      ]),
    );
    return row === undefined ? null : withMembers(row.record, members);
  }
}

function withMembers(
  record: unknown,
  rows: readonly { name: string; side: string; role: string; affiliation: string }[],
): PartnershipRecord {
  const stored = (typeof record === 'string' ? JSON.parse(record) : record) as Partnership;
  const members = rows.map(
    (m) =>
      ({
        name: m.name,
        side: m.side,
        role: m.role,
        affiliation: m.affiliation,
      }) as JointCommitteeMember,
  );
  return { ...stored, joint_committee: { ...stored.joint_committee, members } };
}
