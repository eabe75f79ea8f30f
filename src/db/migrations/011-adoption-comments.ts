// Issue 13, the rest of the cycle: the catalogue entries the Joint Committees adopt through the cycle
// (each with its proposal, its decision and the methodology file as adopted), the public comments of
// the public input periods with their moderation, and the reads of confidential full versions.
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE methodology_entries (
     id text NOT NULL CHECK (id ~ '^[A-Z]{2}_AM[0-9]{3,}$'),
     version text NOT NULL CHECK (version ~ '^[0-9]+\\.[0-9]+$'),
     partnership text NOT NULL CHECK (partnership ~ '^[A-Z]{2}$'),
     item_id text NOT NULL REFERENCES cycle_items(id),
     decision_id text NOT NULL REFERENCES cycle_items(id),
     file text NOT NULL,
     file_sha256 text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
     adopted_at timestamptz NOT NULL,
     PRIMARY KEY (id, version),
     UNIQUE (decision_id))`,
  `CREATE TABLE public_comments (
     id bigserial PRIMARY KEY,
     item_id text NOT NULL REFERENCES cycle_items(id),
     name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
     affiliation text NOT NULL CHECK (length(affiliation) <= 200),
     text text NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
     state text NOT NULL CHECK (state IN ('submitted','published','rejected')),
     submitted_at timestamptz NOT NULL,
     moderated_by text,
     moderated_at timestamptz,
     CHECK ((state = 'submitted') = (moderated_at IS NULL)))`,
  `CREATE INDEX public_comments_item ON public_comments (item_id, id)`,
  `CREATE TABLE document_reads (
     id bigserial PRIMARY KEY,
     item_id text NOT NULL REFERENCES cycle_items(id),
     full_sha256 text NOT NULL CHECK (full_sha256 ~ '^[0-9a-f]{64}$'),
     actor text NOT NULL,
     role text NOT NULL,
     at timestamptz NOT NULL)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
