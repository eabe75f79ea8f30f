// Synthetic demo data as a stored fact: an organisation is marked synthetic by the demo loader or an
// administrator (never by a participant). A project is synthetic when one of its participants is, and
// its credits (blocks of its reference) with it; the portal never counts them in a headline.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE organisations ADD COLUMN synthetic boolean NOT NULL DEFAULT false`.execute(
    db,
  );
}
