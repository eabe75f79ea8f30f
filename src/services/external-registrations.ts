// Double counting across mechanisms on the one pipeline: a project's registrations in other
// mechanisms recorded, and changed as new versions, by its participants or the secretariat of its
// partnership (the project and its participants read under lock in the write's transaction, never
// from the request); the public list with every version; and the secretariat's conclusion on each
// possible duplicate a registration request flagged (core/cycle/double-counting.ts).
import { z } from 'zod';
import {
  decideConclusion,
  type Conclusion,
  type StoredFlag,
} from '../core/cycle/double-counting.ts';
import {
  checkRegistrationFields,
  decideRecording,
  externalRegistrationLimits as limits,
  mechanismName,
  type ExternalRegistrationFields,
  type RecordedProject,
  type RecordingDecision,
  type StoredRegistration,
} from '../core/cycle/external-registrations.ts';
import type { Actor } from '../core/ledger/actor.ts';
import { describeRole } from '../core/ledger/public-actor.ts';
import { civilDateText as isoDate } from '../core/shared/date-schema.ts';
import { hasControlCharacter } from '../core/shared/control-characters.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import type { Db } from '../db/connect.ts';
import {
  concludeFlag,
  flagsOfProject,
  lockFlag,
  type FlagView,
} from '../db/double-counting-store.ts';
import {
  currentRegistrations,
  insertRecording,
  lockRecordedProject,
  registrationHistory,
  type RegistrationVersionView,
} from '../db/external-registration-store.ts';
import { parseInput } from './parse-input.ts';
import type { Outcome, WriteEnvelope, WriteFamily, WritePipeline } from './write-pipeline.ts';

const projectRef = z.string().regex(/^[A-Za-z0-9_-]{3,64}$/, 'a project id or reference');
const serialId = z.string().regex(/^[1-9][0-9]{0,17}$/, 'an id');
const period = z.object({ start: isoDate, end: isoDate }).strict();
/** One line of text, trimmed and bounded. */
const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((t) => !/[\r\n\t]/.test(t), 'one line');

/**
 * Parts the platform sets itself: who recorded, when, under which organisation, the project's
 * participants, the version. A request may carry them; they are ignored, never trusted.
 */
export const setByPlatform = [
  'recordedBy',
  'recordedAt',
  'recordedRole',
  'recordedOrganisation',
  'organisation',
  'participants',
  'participantsJapan',
  'participantsPartner',
  'version',
  'history',
] as const;
const ignored = Object.fromEntries(
  setByPlatform.map((k) => [k, z.unknown().optional().describe('set by the platform; ignored')]),
) as Record<(typeof setByPlatform)[number], z.ZodOptional<z.ZodUnknown>>;

const fieldShape = {
  /** Checked against the list by the core (external_registration_mechanism_unknown). */
  mechanism: z.string().trim().min(1).max(40),
  mechanismName: line(limits.mechanismName).optional(),
  /** Checked against its pattern by the core (external_registration_identifier_malformed). */
  identifier: z.string().trim().min(1).max(limits.identifier),
  activity: line(limits.activity),
  creditingPeriod: period,
  status: z.enum(['active', 'cancelled']),
  cancellation: z
    .object({ period, reference: z.string().trim().min(1).max(limits.reference) })
    .strict()
    .optional(),
  evidence: z
    .object({
      text: z.string().trim().min(1).max(limits.evidence),
      document: z.string().trim().min(1).max(limits.document).optional(),
    })
    .strict(),
  ...ignored,
};

/** A registration elsewhere of a project, as the API, the CLI and the back office send it. */
export const recordSchema = z.object({ project: projectRef, ...fieldShape }).strict();
/** The next version of one: the same parts, and the registration it changes. */
export const versionSchema = z
  .object({ project: projectRef, registration: serialId, ...fieldShape })
  .strict();

/** The secretariat's conclusion on a possible duplicate (the flag is named by the route). */
export const conclusionFields = z
  .object({
    conclusion: z.enum(['not_duplicate', 'duplicate']),
    /** Why: required to conclude that it is not a duplicate. */
    reason: z.string().trim().min(1).max(2000).optional(),
  })
  .strict();
export const conclusionSchema = conclusionFields
  .extend({ flag: serialId })
  .refine(
    (c) => c.conclusion === 'duplicate' || c.reason !== undefined,
    'reason: say why it is not a duplicate',
  );

interface ParsedRecord {
  readonly ref: string;
  readonly registration: string | null;
  readonly fields: ExternalRegistrationFields;
}

function parseRecord(raw: unknown, version: boolean): Result<ParsedRecord> {
  const parsed = version ? parseInput(versionSchema, raw) : parseInput(recordSchema, raw);
  if (!parsed.ok) return parsed;
  const { project, ...rest } = parsed.value;
  const fields = checkRegistrationFields(rest);
  if (!fields.ok) return fields;
  const registration =
    'registration' in rest && typeof rest.registration === 'string' ? rest.registration : null;
  return ok({ ref: project, registration, fields: fields.value });
}

interface Loaded {
  readonly project: RecordedProject | null;
  readonly existing: readonly StoredRegistration[];
}

export interface Recorded {
  readonly id: string;
  readonly project: string;
  readonly version: number;
}

const recording = (
  version: boolean,
): WriteFamily<ParsedRecord, Loaded, RecordingDecision, Recorded> => ({
  name: version ? 'external_registration_version' : 'external_registration',
  keyRequired: true,
  parse: async (input) => parseRecord(input, version),
  load: async (tx, parsed) => {
    const project = await lockRecordedProject(tx, parsed.ref);
    return {
      project,
      existing: project === null ? [] : await currentRegistrations(tx, project.id),
    };
  },
  decide: (loaded, parsed, actor) =>
    decideRecording(
      loaded.project,
      parsed.ref,
      loaded.existing,
      parsed.registration,
      parsed.fields,
      actor,
    ),
  persist: async (tx, decision, _parsed, actor, ctx) => {
    const id = await insertRecording(tx, decision, actor, ctx.now);
    const answer = { id, project: decision.project, version: decision.version };
    return ok({ answer, outbox: [{ topic: 'external_registration.recorded', payload: answer }] });
  },
});

type ParsedConclusion = z.output<typeof conclusionSchema>;

const conclusion: WriteFamily<
  ParsedConclusion,
  StoredFlag | null,
  { readonly flag: StoredFlag; readonly conclusion: Conclusion },
  { id: string; project: string; state: string }
> = {
  name: 'duplicate_conclusion',
  keyRequired: true,
  parse: async (input) => {
    const parsed = parseInput(conclusionSchema, input);
    if (parsed.ok && hasControlCharacter(parsed.value.reason ?? ''))
      return reject('control_character_refused', 'the reason holds a control character');
    return parsed;
  },
  load: (tx, parsed) => lockFlag(tx, BigInt(parsed.flag)),
  decide: (flag, parsed, actor) => {
    const decided = decideConclusion(flag, parsed.flag, actor);
    return decided.ok
      ? ok({
          flag: decided.value,
          conclusion: { conclusion: parsed.conclusion, reason: parsed.reason ?? null },
        })
      : decided;
  },
  persist: async (tx, { flag, conclusion: c }, _parsed, actor, ctx) => {
    await concludeFlag(tx, BigInt(flag.id), c, actor.id, ctx.now);
    const answer = { id: flag.id, project: flag.project, state: c.conclusion };
    return ok({ answer, outbox: [{ topic: 'duplicate_flag.concluded', payload: answer }] });
  },
};

/** A version of a registration elsewhere as the public reads it: who recorded it, in words. */
export type PublicVersion = Omit<
  RegistrationVersionView,
  'recordedRole' | 'recordedOrganisation' | 'recordedOrganisationName'
> & { readonly recordedBy: string; readonly mechanismWords: string };

export interface PublicRegistration extends PublicVersion {
  readonly id: string;
  readonly project: string;
  readonly history: readonly PublicVersion[];
}

function publicVersion(v: RegistrationVersionView, partnership: string): PublicVersion {
  const { recordedRole, recordedOrganisation, recordedOrganisationName, ...rest } = v;
  const recordedBy =
    recordedRole === 'project_participant' && recordedOrganisation !== null
      ? describeRole(
          { kind: 'project_participant', organisation: recordedOrganisation },
          recordedOrganisationName,
        )
      : describeRole({ kind: 'secretariat', partnership }, null);
  return { ...rest, mechanismWords: mechanismName(v), recordedBy };
}

export class ExternalRegistrations {
  constructor(
    private readonly pipeline: WritePipeline,
    private readonly db: Db,
  ) {}

  /** Records a registration elsewhere of a project (`input`: recordSchema). */
  record(envelope: WriteEnvelope): Promise<Outcome<Recorded>> {
    return this.pipeline.run(recording(false), envelope);
  }

  /** Records the next version of a registration elsewhere (`input`: versionSchema). */
  newVersion(envelope: WriteEnvelope): Promise<Outcome<Recorded>> {
    return this.pipeline.run(recording(true), envelope);
  }

  /** The registrations elsewhere of a project (by id or reference), each with every version. */
  async list(ref: string): Promise<Result<PublicRegistration[]>> {
    const found = await registrationHistory(this.db, ref);
    if (found === null) return reject('cycle_item_not_found', `no project ${ref}`);
    return ok(
      found.registrations.map((r) => ({
        ...publicVersion(r, found.partnership),
        id: r.id,
        project: r.project,
        history: r.history.map((v) => publicVersion(v, found.partnership)),
      })),
    );
  }

  /** The secretariat concludes on a possible duplicate (`input`: conclusionSchema). */
  conclude(
    envelope: WriteEnvelope,
  ): Promise<Outcome<{ id: string; project: string; state: string }>> {
    return this.pipeline.run(conclusion, envelope);
  }

  /**
   * The possible duplicates flagged on a project, for the secretariat and the Joint Committee of its
   * partnership (anyone else reads none).
   */
  async flags(actor: Actor, project: string): Promise<FlagView[]> {
    const partnerships = new Set(
      actor.roles.flatMap((r) =>
        r.kind === 'secretariat' || r.kind === 'joint_committee' ? [r.partnership] : [],
      ),
    );
    return (await flagsOfProject(this.db, project)).filter((f) => partnerships.has(f.partnership));
  }
}
