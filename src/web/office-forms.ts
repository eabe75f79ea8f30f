// The parts of the project-cycle forms and how a posted form becomes the action's envelope: project
// data (the fields of the idea note and the PDD), allocation lines, the decision an action carries
// out, findings, verified reductions and the documents. The envelope then goes through the same
// validation and services as the API, so a wrong field gets the same stable code there and here.
import { html, raw } from 'hono/html';
import { documentTypes, type DocumentType, type TransitionRule } from '../core/cycle/definition.ts';
import { mediaTypeOfFileName } from '../core/cycle/document-file.ts';
import { extraDocuments, holderKinds, rulesInForce } from '../core/cycle/rulebook.ts';
import { dateOfClock } from '../core/shared/civil-date.ts';
import type { ProjectData } from '../services/cycle-schemas.ts';
import type { Platform } from '../services/platform.ts';
import { table, type Html } from './layout.ts';
import { field, fields, type OfficeForm } from './office-session.ts';

export const programmes = [
  ['private_sector_jcm', 'Private-sector JCM'],
  ['moej_model_project', 'MOEJ model project (financing programme)'],
  ['meti_nedo_demonstration', 'METI/NEDO demonstration'],
  ['adb_jfjcm', 'ADB Japan Fund for the JCM'],
  ['f_gas', 'Fluorinated gases'],
  ['redd_plus', 'REDD+'],
] as const;
const gases = ['CO2', 'CH4', 'N2O', 'HFCs', 'PFCs', 'SF6', 'NF3'] as const;

const label = (text: string) => text.replaceAll('_', ' ');
const list = (value: string | undefined) =>
  (value ?? '')
    .split(/[\s,]+/)
    .map((v) => v.trim())
    .filter((v) => v !== '');
/** A number from a text field; anything else stays text, so that validation names the field. */
const numberOf = (value: string | undefined) =>
  value === undefined || !Number.isFinite(Number(value)) ? value : Number(value);

export interface FormChoices {
  readonly methodologies: readonly { id: string; version: string; title: string }[];
  readonly tpes: readonly string[];
}

export async function formChoices(platform: Platform): Promise<FormChoices> {
  const designations = await platform.cycleQueries.designations();
  return {
    methodologies: platform.methodologies
      .list()
      .map((m) => ({ id: m.id, version: m.version, title: m.title })),
    tpes: [...new Set(designations.map((d) => d.organisation_id))],
  };
}

/** The project data of an idea note or a PDD, prefilled with what the item already says. */
export function projectFields(id: string, choices: FormChoices, data?: Partial<ProjectData>): Html {
  const input = (name: string, text: string, value: unknown, extra = '') =>
    html`<label for="${id}-${name}"
      >${text}<input
        id="${id}-${name}"
        name="p_${name}"
        value="${value === undefined ? '' : String(value)}"
        ${raw(extra)}
    /></label>`;
  const methodology =
    data?.methodology === undefined ? '' : `${data.methodology.id}@${data.methodology.version}`;
  return html`<fieldset>
    <legend>Project</legend>
    ${input('title', 'Title', data?.title)} ${input('location', 'Location', data?.location)}
    ${input('latitude', 'Latitude (decimal degrees)', data?.latitude)}
    ${input('longitude', 'Longitude (decimal degrees)', data?.longitude)}
    <label for="${id}-programme"
      >Programme<select id="${id}-programme" name="p_programme">
        ${programmes.map(([value, text]) => html`<option value="${value}" ${value === data?.programme ? 'selected' : ''}>${text}</option>`)}
      </select></label
    >
    ${input('participantsJapan', 'Japanese participants (organisation ids, comma-separated)', data?.participantsJapan?.join(', '))}
    ${input('participantsPartner', "Partner country's participants (organisation ids)", data?.participantsPartner?.join(', '))}
    ${input('focalPoint', 'Focal point (organisation id)', data?.focalPoint)}
    ${input('sectoralScopes', 'Sectoral scopes (numbers, comma-separated)', data?.sectoralScopes?.join(', '))}
    <fieldset>
      <legend>Greenhouse gases</legend>
      ${gases.map((g) => html`<label for="${id}-gas-${g}"><input type="checkbox" id="${id}-gas-${g}" name="p_gases" value="${g}" ${data?.greenhouseGases?.includes(g) === true ? 'checked' : ''} />${g}</label> `)}
    </fieldset>
    <label for="${id}-methodology"
      >Methodology<select id="${id}-methodology" name="p_methodology">
        ${choices.methodologies.map((m) => html`<option value="${m.id}@${m.version}" ${`${m.id}@${m.version}` === methodology ? 'selected' : ''}>${m.id} v${m.version} ${m.title}</option>`)}
      </select></label
    >
    ${input('activity', "Number on the partner's list of Article 6.2 activities (if it has one)", data?.activity)}
    <label for="${id}-tpe"
      >Third-party entity<select id="${id}-tpe" name="p_tpe">
        ${choices.tpes.map((t) => html`<option ${t === data?.tpe ? 'selected' : ''}>${t}</option>`)}
      </select></label
    >
    ${input('creditingStart', 'Crediting period from', data?.creditingPeriod?.start, 'type="date"')}
    ${input('creditingEnd', 'Crediting period until', data?.creditingPeriod?.end, 'type="date"')}
    ${input('injectionStart', 'CCS or CCUS only: injection from', data?.storage?.injectionStart, 'type="date"')}
    ${input('injectionEnd', 'CCS or CCUS only: injection until', data?.storage?.injectionEnd, 'type="date"')}
    ${input('terminationEnd', 'CCS or CCUS only: termination period until', data?.storage?.terminationEnd, 'type="date"')}
    ${input('expected', 'Expected reductions per year (tCO2e)', data?.expectedReductionsPerYear, 'inputmode="numeric"')}
    <label for="${id}-coBenefits"
      >Co-benefits<textarea id="${id}-coBenefits" name="p_coBenefits">
${data?.coBenefits ?? ''}</textarea>
    </label>
  </fieldset>`;
}

/** The project data as the envelope wants it (the service's schema checks every field). */
export function projectFrom(form: OfficeForm): Record<string, unknown> {
  const [methodologyId, version] = (field(form, 'p_methodology') ?? '@').split('@');
  const activity = field(form, 'p_activity');
  return {
    title: field(form, 'p_title'),
    location: field(form, 'p_location'),
    latitude: numberOf(field(form, 'p_latitude')),
    longitude: numberOf(field(form, 'p_longitude')),
    programme: field(form, 'p_programme'),
    participantsJapan: list(field(form, 'p_participantsJapan')),
    participantsPartner: list(field(form, 'p_participantsPartner')),
    focalPoint: field(form, 'p_focalPoint'),
    sectoralScopes: list(field(form, 'p_sectoralScopes')).map(Number),
    greenhouseGases: fields(form, 'p_gases'),
    methodology: { id: methodologyId, version },
    ...(activity === undefined ? {} : { activity }),
    tpe: field(form, 'p_tpe'),
    creditingPeriod: { start: field(form, 'p_creditingStart'), end: field(form, 'p_creditingEnd') },
    ...storageFrom(form),
    expectedReductionsPerYear: field(form, 'p_expected'),
    coBenefits: field(form, 'p_coBenefits') ?? '',
  };
}

/** A CCS or CCUS project's periods, when the form gives any of them (the service checks them). */
function storageFrom(form: OfficeForm): { storage?: Record<string, string | undefined> } {
  const storage = {
    injectionStart: field(form, 'p_injectionStart'),
    injectionEnd: field(form, 'p_injectionEnd'),
    terminationEnd: field(form, 'p_terminationEnd'),
  };
  return Object.values(storage).every((v) => v === undefined) ? {} : { storage };
}

export interface AllocationLine {
  readonly holder: string;
  readonly registry: string;
  readonly account: string;
  readonly vintage: number | string;
  readonly quantity: string;
}

/** Allocation lines as a table of fields, prefilled; three spare rows for more lines. */
export function allocationFields(id: string, lines: readonly AllocationLine[]): Html {
  const rows = [...lines, ...Array.from({ length: 3 }, () => undefined)];
  const input = (name: string, text: string, i: number, size: number, value: string) =>
    html`<input
      name="a_${name}_${i}"
      aria-label="${text} of line ${i + 1}"
      size="${size}"
      value="${value}"
      ${name === 'vintage' || name === 'quantity' ? raw('inputmode="numeric"') : ''}
    />`;
  return html`<fieldset>
    <legend>Allocation lines (rows left empty are ignored)</legend>
    ${table(
      ['Holder', 'Registry', 'Account', 'Vintage', 'Quantity (tCO2e)'],
      rows.map((line, i) => [
        html`<select
          name="a_holder_${i}"
          aria-label="Holder of line ${i + 1}"
          id="${id}-holder-${i}"
        >
          ${holderKinds.map((h) => html`<option value="${h}" ${h === line?.holder ? 'selected' : ''}>${label(h)}</option>`)}
        </select>`,
        input('registry', 'Registry', i, 3, line?.registry ?? ''),
        input('account', 'Account', i, 10, line?.account ?? ''),
        input('vintage', 'Vintage', i, 5, line === undefined ? '' : String(line.vintage)),
        input('quantity', 'Quantity', i, 10, line?.quantity ?? ''),
      ]),
    )}
  </fieldset>`;
}

/** The filled allocation rows, or undefined when the form has none. */
export function allocationFrom(form: OfficeForm): Record<string, unknown>[] | undefined {
  const lines = [];
  for (let i = 0; `a_holder_${i}` in form; i += 1) {
    const account = field(form, `a_account_${i}`);
    const quantity = field(form, `a_quantity_${i}`);
    if (account === undefined && quantity === undefined) continue;
    lines.push({
      holder: field(form, `a_holder_${i}`),
      registry: field(form, `a_registry_${i}`)?.toUpperCase(),
      account: account?.toUpperCase(),
      vintage: numberOf(field(form, `a_vintage_${i}`)),
      quantity,
    });
  }
  return lines.length === 0 ? undefined : lines;
}

/**
 * The documents an action needs, with the rulebook's extra ones, as file fields; a document already
 * on the item's file is optional (a new upload is a new version).
 */
export function documentFields(
  id: string,
  needed: { required: readonly DocumentType[]; optional: readonly DocumentType[] },
  onFile: ReadonlySet<string>,
): Html {
  const optional = new Set<DocumentType>(needed.optional);
  return html`${[...needed.required, ...needed.optional].map((d) => {
    const note = onFile.has(d)
      ? ' (on file; a new upload replaces it)'
      : optional.has(d)
        ? ' (where the rulebook of the partnership or programme asks for it)'
        : '';
    return html`<label for="${id}-${d}"
        >${documentTypes[d]}${note}<input
          id="${id}-${d}"
          name="doc_${d}"
          type="file"
          ${onFile.has(d) || optional.has(d) ? '' : 'required'} /></label
      ><label for="${id}-${d}-full"
        >Its confidential full version, if the file above is the public one (optional; seen only by
        the TPE and the Joint Committee)<input id="${id}-${d}-full" name="docfull_${d}" type="file"
      /></label>`;
  })}`;
}

/**
 * The documents of a rule and those the rulebook in force adds for the action; before the item has a
 * partnership, the extras any rulebook in force adds (optional fields: the service says which one).
 */
export function neededDocuments(
  platform: Platform,
  rule: TransitionRule,
  partnership: string | null,
  programme: string | null,
): { required: DocumentType[]; optional: DocumentType[] } {
  const today = dateOfClock(platform.clock());
  if (partnership !== null) {
    const rules = rulesInForce(platform.rulebooks, partnership, programme, today);
    return {
      required: [...new Set([...rule.documents, ...extraDocuments(rules, rule.action)])],
      optional: [],
    };
  }
  const extras = platform.rulebooks.flatMap((book) => {
    const scope = book.scope;
    const rules =
      'partnership' in scope
        ? rulesInForce(platform.rulebooks, scope.partnership, null, today)
        : rulesInForce([book], '', scope.programme, today);
    return extraDocuments(rules, rule.action);
  });
  return {
    required: [...rule.documents],
    optional: [...new Set(extras)].filter((d) => !rule.documents.includes(d)),
  };
}

/** The uploaded documents as the envelope carries them (base64). */
export async function documentsFrom(form: OfficeForm): Promise<Record<string, string>[]> {
  const documents = [];
  for (const [key, value] of Object.entries(form)) {
    const file = Array.isArray(value) ? value[0] : value;
    if (!key.startsWith('doc_') || !(file instanceof File) || file.size === 0) continue;
    const full = form[`docfull_${key.slice(4)}`];
    const fullFile = Array.isArray(full) ? full[0] : full;
    documents.push({
      ...(fullFile instanceof File && fullFile.size > 0
        ? { fullContent: Buffer.from(await fullFile.arrayBuffer()).toString('base64') }
        : {}),
      type: key.slice(4),
      fileName: file.name.slice(0, 200) || 'document',
      // Browsers guess a type from the name, and some send none: the name decides where they fail.
      mediaType: mediaTypeOfFileName(file.name) ?? (file.type || 'application/octet-stream'),
      content: Buffer.from(await file.arrayBuffer()).toString('base64'),
    });
  }
  return documents;
}

/** Verified reductions typed as one `vintage=tonnes` per line. */
function verifiedFrom(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split(/\r?\n/)
      .filter((l) => l.includes('='))
      .map((l) => l.split('=').map((p) => p.trim()) as [string, string]),
  );
}

/** The envelope of an action from its form: only the parts the form carries. */
export async function envelopeFrom(
  form: OfficeForm,
  target: { item?: string; parent?: string },
): Promise<Record<string, unknown>> {
  const text = (name: string) => field(form, name);
  const findingKind = text('finding_kind');
  const findingId = text('finding');
  const subjectAction = text('subject_action');
  const parts: Record<string, unknown> = {
    ...target,
    documents: await documentsFrom(form),
    note: text('note') ?? '',
    comments: text('comments')
      ?.split(/[\s,]+/)
      .filter(Boolean),
    partnership: text('partnership'),
    decision: text('decision'),
    method: text('method'),
    // Every form with project fields has the programme select.
    project: 'p_programme' in form ? projectFrom(form) : undefined,
    allocation: allocationFrom(form),
    verified: text('verified') === undefined ? undefined : verifiedFrom(text('verified') ?? ''),
    creditingPeriod:
      text('renewal_start') === undefined
        ? undefined
        : { start: text('renewal_start'), end: text('renewal_end') },
    finding:
      findingKind !== undefined
        ? { kind: findingKind, text: text('finding_text') }
        : findingId === undefined
          ? undefined
          : text('answer') === undefined
            ? { id: findingId }
            : { id: findingId, answer: text('answer') },
    subject:
      subjectAction === undefined || target.parent === undefined
        ? undefined
        : { item: target.parent, action: subjectAction, text: text('subject_text') },
  };
  return Object.fromEntries(Object.entries(parts).filter(([, v]) => v !== undefined));
}
