// Items of the project cycle placed straight into the database in any state of their machine, with
// the facts around them that let each action's guards hold (registered organisations, a designated
// TPE, an adopted and confirmed decision, a verified monitoring period): the table-driven and
// model-based cycle tests start every action from here.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TransitionRule } from '../../src/core/cycle/definition.ts';
import type { ItemData } from '../../src/core/cycle/items.ts';
import { actorWithRoles } from '../../src/core/ledger/actor.ts';
import type { Db } from '../../src/db/connect.ts';
import { DocumentStore } from '../../src/db/document-store.ts';
import { sha256OfBytes } from '../../src/db/sha256.ts';
import type { Platform } from '../../src/services/platform.ts';
import { mustRun } from './scenario.ts';

export const partnership = 'IN';

/**
 * A methodology proposal's methodology file: the catalogue's IN_AM001 as a draft, with another
 * title (or whatever `change` does to its text).
 */
export function methodologyFileText(change: (text: string) => string = (t) => t): string {
  const text = readFileSync(join(import.meta.dirname, '../../methodologies/IN_AM001.yaml'), 'utf8')
    .replace('status: illustrative', 'status: draft')
    // A proposal names the entry of India's Article 6.2 list it serves (IN_AM001 serves none).
    .replace(
      'eligible_activities: { IN: [] }',
      "eligible_activities: { IN: [{ activity: '1', credits: 'The electricity the project delivers.' }] }",
    )
    .replace(/^title: .*$/m, 'title: Proposed solar PV methodology');
  return change(text);
}

/** The methodology file as a document of the envelope. */
export function methodologyFileDocument(text = methodologyFileText()) {
  return {
    type: 'methodology_file',
    fileName: 'proposal.yaml',
    mediaType: 'application/yaml',
    content: Buffer.from(text).toString('base64'),
  };
}
export const participants = { japan: 'sunrise-jp', partner: 'surya-in' } as const;
export const tpe = 'verita';

export const projectData = {
  title: 'Solar with storage for a textile park (synthetic test data)',
  location: 'Surat, Gujarat',
  latitude: 21.17,
  longitude: 72.83,
  programme: 'private_sector_jcm' as const,
  participantsJapan: [participants.japan],
  participantsPartner: [participants.partner],
  focalPoint: participants.japan,
  sectoralScopes: [1],
  greenhouseGases: ['CO2' as const],
  methodology: { id: 'IN_AM009', version: '1.0' },
  activity: '1',
  tpe,
  creditingPeriod: { start: '2028-01-01', end: '2037-12-31' },
  expectedReductionsPerYear: '9000',
  coBenefits: '',
};

export const allocation = [
  {
    holder: 'participant_japan',
    registry: 'JP',
    account: 'JP-000004',
    vintage: 2028,
    quantity: '60',
  },
  {
    holder: 'participant_partner',
    registry: 'IN',
    account: 'IN-000004',
    vintage: 2028,
    quantity: '40',
  },
] as const;

const calculation = {
  methodology: { id: 'IN_AM009', version: '1.0' },
  credits: '100',
  vintages: [{ vintage: 2028, credits: '100' }],
};

/** A day long past the clock's start: public input has ended, deadlines are open. */
const pastDay = '2027-01-01';

interface Placed {
  readonly id: string;
  /** The fixtures' partnership (India) unless named. */
  readonly partnership?: string;
  readonly machine: string;
  readonly state: string;
  readonly parent?: string | null;
  readonly reference?: string | null;
  readonly data?: ItemData | Record<string, unknown>;
  readonly dueDate?: string | null;
}

/** The terms of a TPE designation, as a Joint Committee decides them and the designation repeats. */
export interface DesignationTerms {
  readonly sectoralScopes: readonly number[];
  readonly functions: readonly ('validation' | 'verification')[];
  readonly validFrom: string;
  readonly validUntil: string;
}

/**
 * A Joint Committee decision to designate a TPE on these terms, proposed by the secretariat and
 * adopted (no government confirms a designation), through the platform; returns its id.
 */
export async function designationDecision(
  platform: Pick<Platform, 'cycle'>,
  organisation: string,
  terms: DesignationTerms,
  of = partnership,
): Promise<string> {
  const key = `${organisation}-${of}-${terms.sectoralScopes.join('.')}-${terms.validFrom}`;
  const proposed = await platform.cycle.act('propose_decision', {
    actor: actorWithRoles('sec', `secretariat:${of}`),
    idempotencyKey: `propose-designation-${key}`,
    input: {
      subject: { item: organisation, action: 'designate_tpe', text: `Designates ${organisation}.` },
      partnership: of,
      designation: terms,
      documents: [
        {
          type: 'decision_text',
          fileName: 'decision.pdf',
          mediaType: 'application/pdf',
          content: Buffer.from(`%PDF designation of ${organisation}`).toString('base64'),
        },
      ],
    },
  });
  if (!proposed.ok) throw new Error(`${proposed.error.code}: ${proposed.error.message}`);
  const adopted = await platform.cycle.act('adopt_decision', {
    actor: actorWithRoles('jc', `joint_committee:${of}`),
    idempotencyKey: `adopt-designation-${key}`,
    input: { item: proposed.value.item },
  });
  if (!adopted.ok) throw new Error(`${adopted.error.code}: ${adopted.error.message}`);
  return proposed.value.item;
}

/**
 * Registers the fixtures' participants and TPE (and any others named), through the platform, and
 * designates the TPE for the partnership's scope 1, both functions, 2028 to 2030, on a Joint
 * Committee decision.
 */
export async function registerOrganisations(
  platform: Pick<Platform, 'organisations' | 'cycle'>,
  others: readonly (readonly [
    id: string,
    kind: 'project_participant' | 'third_party_entity',
  ])[] = [],
): Promise<void> {
  const admin = actorWithRoles('admin', 'administrator');
  for (const [id, kind, country] of [
    [participants.japan, 'project_participant', 'JP'],
    [participants.partner, 'project_participant', 'IN'],
    [tpe, 'third_party_entity', 'JP'],
    ...others.map(([id, kind]) => [id, kind, 'JP'] as const),
  ] as const) {
    const done = await platform.organisations.register({
      actor: admin,
      idempotencyKey: `org-${id}`,
      input: { id, name: id, kind, country },
    });
    if (!done.ok) throw new Error(done.error.message);
  }
  const terms = {
    sectoralScopes: [1],
    functions: ['validation', 'verification'],
    validFrom: '2028-01-01',
    validUntil: '2030-12-31',
  } as const;
  const decision = await designationDecision(platform, tpe, terms);
  const designated = await platform.organisations.designate({
    actor: actorWithRoles('jc', `joint_committee:${partnership}`),
    idempotencyKey: `designate-${tpe}`,
    input: { organisation: tpe, partnership, ...terms, accreditation: 'iso_14065', decision },
  });
  if (!designated.ok) throw new Error(designated.error.message);
}

/**
 * Opens Japan's and India's registries with the accounts the fixtures' allocation names: the
 * Japanese participant's holding account JP-000004 and the Indian participant's IN-000004 (the
 * allocation's holders are derived from these accounts), then the governments' holding accounts
 * JP-000005 and IN-000005.
 */
export async function openAllocationAccounts(platform: Platform): Promise<void> {
  await mustRun(platform, 'open_registry', { registry: 'JP', name: "Japan's registry" });
  await mustRun(platform, 'open_registry', { registry: 'IN', name: "India's registry" });
  for (const [registry, accountType, holderId] of [
    ['JP', 'holding', participants.japan],
    ['IN', 'holding', participants.partner],
    ['JP', 'government_holding', 'gov-jp'],
    ['IN', 'government_holding', 'gov-in'],
  ] as const)
    await mustRun(platform, 'open_account', {
      registry,
      accountType,
      holderId,
      holderName: holderId,
    });
}

export class CycleFixtures {
  private n = 0;

  constructor(
    private readonly db: Db,
    private readonly at: string,
    private readonly documentsDir = join(tmpdir(), 'jcm-test-documents'),
  ) {}

  /** A new id with a prefix, unique in this database. */
  id(prefix: string): string {
    this.n += 1;
    return `${prefix}-T${String(this.n).padStart(4, '0')}`;
  }

  async place(item: Placed): Promise<string> {
    await this.db.transaction((trx) =>
      trx
        .insertInto('cycle_items')
        .values({
          id: item.id,
          machine: item.machine,
          partnership: item.partnership ?? partnership,
          parent_id: item.parent ?? null,
          state: item.state,
          reference: item.reference ?? null,
          data: JSON.stringify(item.data ?? {}),
          due_date: item.dueDate ?? null,
          due_role: item.dueDate === undefined || item.dueDate === null ? null : 'secretariat',
          due_step: item.dueDate === undefined || item.dueDate === null ? null : 'public input',
          version: 1,
          created_at: this.at,
          updated_at: this.at,
        })
        .execute(),
    );
    return item.id;
  }

  /**
   * A project in a state, with the data that state has (allocation, proposed change...); of another
   * partnership, or with other project data, when asked.
   */
  async project(
    state: string,
    of: { readonly partnership?: string; readonly data?: Record<string, unknown> } = {},
  ): Promise<string> {
    const id = this.id('PRJ');
    const registered = [
      'registered',
      'change_review',
      'reassessment_review',
      'renewal_review',
      'withdrawn',
    ].includes(state);
    return this.place({
      id,
      machine: 'project',
      state,
      ...(of.partnership === undefined ? {} : { partnership: of.partnership }),
      reference: registered ? `${of.partnership ?? partnership}${String(500 + this.n)}` : null,
      dueDate: state === 'public_input' ? pastDay : null,
      data: {
        project: { ...projectData, ...of.data },
        projectVersion: 1,
        allocation,
        ...(state === 'change_review'
          ? { proposedChange: { ...projectData, title: 'Changed' } }
          : {}),
        ...(state === 'reassessment_review'
          ? { proposedChange: { ...projectData, expectedReductionsPerYear: '8500' } }
          : {}),
        ...(state === 'renewal_review'
          ? { proposedCreditingPeriod: { start: '2038-01-01', end: '2047-12-31' } }
          : {}),
      },
    });
  }

  async monitoring(state: string, project?: string): Promise<string> {
    const parent = project ?? (await this.project('registered'));
    return this.place({
      id: this.id('MP'),
      machine: 'monitoring',
      state,
      parent,
      data: {
        calculation,
        ...(state === 'verified' ? { verified: { '2028': '100' } } : {}),
      },
    });
  }

  async issuance(state: string): Promise<string> {
    const project = await this.project('registered');
    const monitoring = await this.monitoring('verified', project);
    const id = this.id('IR');
    await this.place({
      id,
      machine: 'issuance',
      state,
      parent: project,
      data: { monitoring, allocation, verified: { '2028': '100' } },
    });
    await this.db.transaction((trx) =>
      trx
        .updateTable('cycle_items')
        .set({ data: JSON.stringify({ calculation, verified: { '2028': '100' }, usedBy: id }) })
        .where('id', '=', monitoring)
        .execute(),
    );
    return id;
  }

  async methodology(state: string): Promise<string> {
    const id = await this.place({
      id: this.id('PM'),
      machine: 'methodology',
      state,
      dueDate: state === 'public_input' ? pastDay : null,
      data: {
        proposers: [participants.japan],
        ...(state === 'approved' ? { version: '1.0', catalogueId: 'IN_AM901' } : {}),
      },
    });
    // Its methodology file, filed with the proposal (an approval adopts it).
    const bytes = new TextEncoder().encode(methodologyFileText());
    await new DocumentStore(this.documentsDir).put(bytes);
    await this.db.transaction((trx) =>
      trx
        .insertInto('cycle_documents')
        .values({
          item_id: id,
          type: 'methodology_file',
          version: 1,
          file_name: 'proposal.yaml',
          media_type: 'application/yaml',
          public_sha256: sha256OfBytes(bytes),
          full_sha256: null,
          bytes: BigInt(bytes.byteLength),
          uploaded_by: 'fixture',
          uploaded_at: this.at,
        })
        .execute(),
    );
    return id;
  }

  async pin(state: string): Promise<string> {
    return this.place({
      id: this.id('PIN'),
      machine: 'pin',
      state,
      data: { project: projectData, projectVersion: 1 },
    });
  }

  /** A Joint Committee decision about an item's action, in a state, confirmed by both governments. */
  async decision(subject: string, action: string, state = 'adopted'): Promise<string> {
    return this.place({
      id: this.id('JC'),
      machine: 'decision',
      state,
      parent: subject,
      data: {
        // Proposed on the subject as placed (version 1).
        subject: {
          item: subject,
          action,
          text: `The Joint Committee decides to ${action}.`,
          version: 1,
        },
        confirmations: { government_japan: this.at, government_partner: this.at },
        ...(state === 'adopted' ? { adoptedAt: this.at, method: 'meeting' } : {}),
      },
    });
  }

  /** The item an existing-item rule acts on, in the rule's state. */
  async itemFor(rule: TransitionRule): Promise<string> {
    const state = rule.from ?? '';
    switch (rule.machine) {
      case 'project':
        return this.project(state);
      case 'monitoring':
        return this.monitoring(state);
      case 'issuance':
        return this.issuance(state);
      case 'methodology':
        return this.methodology(state);
      case 'pin':
        return this.pin(state);
      case 'decision':
        return this.decision(await this.project('jc_registration'), 'register_project', state);
    }
  }
}
