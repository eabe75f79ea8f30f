// Organisations and the Joint Committee's TPE designations on the one pipeline: an idempotency key
// on every registration, the organisation's row and the adopted decision the designation carries out
// locked while its designations are decided, and duplicates refused with a stable code (and by the
// database's own constraints).
import {
  decideDesignation,
  decideOrganisation,
  type DesignationDecided,
  type NewOrganisation,
} from '../core/cycle/organisations.ts';
import { ok, reject } from '../core/shared/result.ts';
import {
  designationState,
  insertDesignations,
  insertOrganisation,
  markDecisionCarriedOut,
  organisationExists,
} from '../db/organisation-store.ts';
import { designationTerms } from './cycle-input.ts';
import { designationSchema, organisationSchema, type DesignationInput } from './cycle-schemas.ts';
import { parseInput } from './parse-input.ts';
import type { WriteEnvelope, WriteFamily, WritePipeline, Outcome } from './write-pipeline.ts';

const registration: WriteFamily<NewOrganisation, boolean, NewOrganisation, { id: string }> = {
  name: 'organisation',
  keyRequired: true,
  parse: async (input) => parseInput(organisationSchema, input),
  load: (tx, parsed) => organisationExists(tx, parsed.id),
  decide: (exists, parsed, actor) => decideOrganisation(exists, parsed, actor),
  persist: async (tx, organisation, _parsed, _actor, ctx) => {
    if (!(await insertOrganisation(tx, organisation, ctx.now)))
      return reject('organisation_already_exists', `organisation ${organisation.id} exists`);
    return ok({
      answer: { id: organisation.id },
      outbox: [{ topic: 'organisation.registered', payload: organisation }],
    });
  },
};

const designation: WriteFamily<
  DesignationInput,
  Awaited<ReturnType<typeof designationState>>,
  DesignationDecided,
  { designations: number }
> = {
  name: 'tpe_designation',
  keyRequired: true,
  parse: async (input) => parseInput(designationSchema, input),
  load: (tx, parsed) =>
    designationState(tx, parsed.organisation, parsed.partnership, parsed.decision),
  // The terms are compared with the decision's, so that nothing the request adds is recorded.
  decide: (state, parsed, actor) =>
    decideDesignation(state, parsed, designationTerms(parsed), actor),
  persist: async (tx, { designations, decision }, parsed) => {
    await insertDesignations(tx, designations, {
      accreditation: parsed.accreditation,
      decision: decision.id,
    });
    await markDecisionCarriedOut(tx, decision);
    return ok({
      answer: { designations: designations.length },
      outbox: [{ topic: 'tpe.designated', payload: { ...parsed } }],
    });
  },
};

export class Organisations {
  constructor(private readonly pipeline: WritePipeline) {}

  /** Registers an organisation (administrators and secretariats). */
  register(envelope: WriteEnvelope): Promise<Outcome<{ id: string }>> {
    return this.pipeline.run(registration, envelope);
  }

  /** Records a TPE designation of the Joint Committee of a partnership. */
  designate(envelope: WriteEnvelope): Promise<Outcome<{ designations: number }>> {
    return this.pipeline.run(designation, envelope);
  }
}
