// Article 6.2 in the database, two more guards: a credit is authorised once and first transferred once
// (exclusions over each project's serial ranges of those actions, the database's copy of the core's
// rule), and a registry's actions by date have an index (the AEF's holdings at 31 December read them).
import { sql, type Kysely } from 'kysely';

const statements = [
  `ALTER TABLE article6_actions ADD CONSTRAINT article6_first_transfer_once
     EXCLUDE USING gist (project WITH =, int8range(serial_first, serial_last, '[]') WITH &&)
     WHERE (type = 'first_transfer')`,
  `ALTER TABLE article6_actions ADD CONSTRAINT article6_authorization_once
     EXCLUDE USING gist (project WITH =, int8range(serial_first, serial_last, '[]') WITH &&)
     WHERE (type = 'authorization')`,
  `CREATE INDEX article6_actions_by_registry ON article6_actions (registry_id, action_date)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
