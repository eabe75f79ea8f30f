// The rest of the cycle (issue 13): the Joint Committee may reject an issuance request, which then
// ends `rejected`, and a registered project may be in `reassessment_review` while a re-assessment of
// its reference emissions (form 3.3) awaits a decision. The check of each machine's states
// (migration 007) is replaced by one with these states.
import { sql, type Kysely } from 'kysely';

/** The states of each machine of src/core/cycle/definition.ts (a test keeps the two equal). */
export const cycleStates: Readonly<Record<string, readonly string[]>> = {
  pin: ['submitted', 'no_objection', 'objection', 'withdrawn'],
  methodology: [
    'completeness_check',
    'public_input',
    'returned',
    'jc_consideration',
    'approved',
    'not_approved',
  ],
  project: [
    'public_input',
    'validation',
    'validated',
    'validation_negative',
    'registration_completeness',
    'registration_revision',
    'jc_registration',
    'registered',
    'change_review',
    'reassessment_review',
    'renewal_review',
    'withdrawn',
  ],
  monitoring: ['verification', 'verified', 'not_verified'],
  issuance: [
    'issuance_completeness',
    'issuance_revision',
    'jc_issuance',
    'governments_notified',
    'issued',
    'rejected',
    'withdrawn',
  ],
  decision: ['proposed', 'adopted', 'withdrawn'],
};

const stateCheck = Object.entries(cycleStates)
  .map(
    ([machine, states]) =>
      `(machine = '${machine}' AND state IN (${states.map((s) => `'${s}'`).join(',')}))`,
  )
  .join(' OR ');

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE cycle_items DROP CONSTRAINT cycle_items_state_of_machine`.execute(db);
  await sql
    .raw(
      `ALTER TABLE cycle_items ADD CONSTRAINT cycle_items_state_of_machine CHECK (${stateCheck})`,
    )
    .execute(db);
}
