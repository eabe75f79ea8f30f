// Kysely's view of the tables of double counting across mechanisms (migration 016), apart from
// schema.ts so that each file stays within its length; Schema extends this interface.
import type { Generated } from 'kysely';

export interface DoubleCountingTables {
  /** A project's registrations in other mechanisms (migration 016): the current version. */
  external_registrations: {
    id: Generated<bigint>;
    project_id: string;
    version: number;
    created_at: string;
    updated_at: string;
  };
  /** Every version of a registration elsewhere, append-only (migration 016). */
  external_registration_versions: {
    registration_id: bigint;
    version: number;
    mechanism: string;
    mechanism_name: string | null;
    identifier: string;
    activity: string;
    crediting_start: string;
    crediting_end: string;
    status: string;
    cancelled_start: string | null;
    cancelled_end: string | null;
    cancellation_reference: string | null;
    evidence: string;
    evidence_document: string | null;
    recorded_by: string;
    recorded_role: string;
    recorded_organisation: string | null;
    recorded_at: string;
  };
  /** Possible duplicates found when a project asks for registration (migration 016). */
  duplicate_flags: {
    id: Generated<bigint>;
    project_id: string;
    other_project_id: string;
    /** jsonb: the grounds (core/cycle/double-counting.ts). */
    grounds: unknown;
    raised_at: string;
    state: string;
    reason: string | null;
    concluded_by: string | null;
    concluded_at: string | null;
  };
}
