// A TOTP code opens one session: each user keeps the time step of the last code it accepted, and a
// login accepts only a later step (src/core/accounts/decide.ts; the update only moves it forward).
// A 30-second step fits int4 until the year 4011.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE users ADD COLUMN totp_step int4 CHECK (totp_step >= 0)`.execute(db);
}
