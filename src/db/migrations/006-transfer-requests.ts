// Transfers out of government accounts: requested by one person, approved (or rejected) by another.
// The database refuses an approval by the requester, whatever the code does.
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE transfer_requests (
     id text PRIMARY KEY,
     registry text NOT NULL,
     from_account text NOT NULL,
     input jsonb NOT NULL,
     requested_by text NOT NULL,
     requested_at timestamptz NOT NULL,
     status text NOT NULL CHECK (status IN ('pending','approved','rejected')),
     decided_by text,
     decided_at timestamptz,
     entry_seq int8,
     CHECK ((status = 'pending') = (decided_by IS NULL)),
     CHECK (decided_by IS NULL OR decided_by <> requested_by))`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
