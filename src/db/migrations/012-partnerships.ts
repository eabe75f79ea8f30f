// Partnerships as records (src/core/partnership/record.ts), loaded from partnerships/*.yaml at start
// (src/db/partnership-store.ts): the bilateral document, the two registries, the rulebook and the
// cooperative approach, with the Joint Committee's members in their own table. The database keeps
// the rules a record must keep: the partner's own registry, one co-chair per side, an approach id
// of CA and four digits, Japan and the partner among the participating Parties.
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE partnerships (
     code text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
     name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
     partner_alpha3 text NOT NULL CHECK (partner_alpha3 ~ '^[A-Z]{3}$'),
     partner_name text NOT NULL,
     document_kind text NOT NULL
       CHECK (document_kind IN ('memorandum_of_cooperation', 'bilateral_document')),
     document_title text NOT NULL,
     signed_on text NOT NULL CHECK (signed_on ~ '^\\d{4}-\\d{2}-\\d{2}$'),
     signed_in text,
     secretariat text NOT NULL,
     japan_registry text NOT NULL CHECK (japan_registry = 'JP'),
     partner_registry text NOT NULL CHECK (partner_registry = code),
     rulebook text CHECK (rulebook ~ '^[A-Z]{2}$'),
     approach_id text CHECK (approach_id ~ '^CA[0-9]{4}$'),
     participating_parties jsonb NOT NULL
       CHECK (jsonb_typeof(participating_parties) = 'array'
              AND participating_parties ? 'JPN'
              AND participating_parties ? partner_alpha3),
     record jsonb NOT NULL)`,
  `CREATE TABLE partnership_members (
     partnership text NOT NULL REFERENCES partnerships(code) ON DELETE CASCADE,
     position int4 NOT NULL CHECK (position >= 1),
     name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
     side text NOT NULL CHECK (side IN ('japan', 'partner')),
     role text NOT NULL CHECK (role IN ('co_chair', 'member')),
     affiliation text NOT NULL,
     PRIMARY KEY (partnership, position))`,
  // At most one co-chair per side; the loader refuses a record without both (a deferred check
  // would be the only way to say "exactly one" here, and the load replaces every row at once).
  `CREATE UNIQUE INDEX partnership_members_one_co_chair_per_side
     ON partnership_members (partnership, side) WHERE role = 'co_chair'`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
