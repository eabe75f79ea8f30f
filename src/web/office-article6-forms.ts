// The back office's Article 6.2 forms: recording an authorisation (or a new version of one, the form
// filled with the version in force), assigning credits to an OIMP authorisation and finalising a
// period; and how each posted form becomes the service's input. Nothing is checked here that the
// service's schema checks: a wrong field gets the same stable code as through the API.
import { html } from 'hono/html';
import type { Authorisation, CooperativeApproach } from '../core/article6/types.ts';
import { partyWord } from './article6-words.ts';
import { registryName, type Html } from './layout.ts';
import {
  actionPanel,
  field,
  fields,
  type OfficeForm,
  type OfficeSession,
} from './office-session.ts';

/** A number from a text field; anything else stays text, so that validation names the field. */
const numberOf = (value: string | undefined) =>
  value === undefined || !/^-?\d{1,6}$/.test(value) ? value : Number(value);
const list = (value: string | undefined) =>
  (value ?? '')
    .split(/[\s,]+/)
    .map((v) => v.trim())
    .filter((v) => v !== '');

/** Authorised entities, one a line: the organisation's platform id, then its identification number. */
function entitiesFrom(text: string | undefined): { organisation: string; identifier: string }[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [organisation = '', ...rest] = line.split(/[\s,;]+/);
      return { organisation, identifier: rest.join(' ') };
    });
}

/** The input of `recordAuthorisation` from the form. */
export function authorisationFrom(form: OfficeForm): Record<string, unknown> {
  const optional = (name: string) => field(form, name) ?? null;
  return {
    id: field(form, 'id'),
    party: field(form, 'party'),
    approach: field(form, 'approach'),
    date: field(form, 'date'),
    registry: field(form, 'registry'),
    projects: list(field(form, 'projects')),
    vintageFirst: numberOf(field(form, 'vintageFirst')),
    vintageLast: numberOf(field(form, 'vintageLast')),
    quantityCap: optional('quantityCap'),
    validFrom: optional('validFrom'),
    validUntil: optional('validUntil'),
    purposes: fields(form, 'purposes'),
    oimp: optional('oimp'),
    firstTransferDefinition: optional('firstTransferDefinition'),
    authorisedParties: fields(form, 'authorisedParties'),
    authorisedEntities: entitiesFrom(field(form, 'authorisedEntities')),
    terms: field(form, 'terms') ?? '',
  };
}

export function assignmentFrom(form: OfficeForm): Record<string, unknown> {
  const project = field(form, 'project');
  const vintage = field(form, 'vintage');
  return {
    authorisation: field(form, 'authorisation'),
    from: field(form, 'from')?.toUpperCase(),
    selection: {
      quantity: field(form, 'quantity') ?? '',
      ...(project === undefined ? {} : { project }),
      ...(vintage === undefined ? {} : { vintage }),
    },
  };
}

export function finalisationFrom(form: OfficeForm): Record<string, unknown> {
  return {
    party: field(form, 'party'),
    firstYear: numberOf(field(form, 'firstYear')),
    lastYear: numberOf(field(form, 'lastYear')),
  };
}

export interface Article6Choices {
  readonly approaches: readonly CooperativeApproach[];
  readonly names: ReadonlyMap<string, string>;
}

const selected = (on: boolean) => (on ? html` selected` : '');
const checked = (on: boolean) => (on ? html` checked` : '');

function choiceFields(choices: Article6Choices, a: Authorisation | undefined): Html {
  const parties = [...new Set(choices.approaches.flatMap((x) => x.parties))];
  const registries = [
    ...new Set(choices.approaches.flatMap((x) => x.registries.map((r) => r.registry))),
  ];
  return html`<label for="a6-party"
      >Authorising Party<select id="a6-party" name="party">
        ${parties.map((p) => html`<option value="${p}" ${selected(a?.party === p)}>${partyWord(choices.names, p)}</option>`)}
      </select></label
    >
    <label for="a6-approach"
      >Cooperative approach<select id="a6-approach" name="approach">
        ${choices.approaches.map((x) => html`<option value="${x.id}" ${selected(a?.approach === x.id)}>${x.id}</option>`)}
      </select></label
    >
    <label for="a6-registry"
      >Credits in<select id="a6-registry" name="registry">
        ${registries.map((r) => html`<option value="${r}" ${selected(a?.registry === r)}>${registryName(r)}</option>`)}
      </select></label
    >
    <fieldset>
      <legend>Purposes</legend>
      <label for="a6-ndc"
        ><input
          type="checkbox"
          id="a6-ndc"
          name="purposes"
          value="ndc"
          ${checked(a?.purposes.includes('ndc') ?? true)}
        />NDC</label
      >
      <label for="a6-oimp"
        ><input
          type="checkbox"
          id="a6-oimp"
          name="purposes"
          value="oimp"
          ${checked(a?.purposes.includes('oimp') ?? false)}
        />OIMP</label
      >
    </fieldset>
    <fieldset>
      <legend>Authorised Parties</legend>
      ${parties.map((p) => html`<label for="a6-ap-${p}"><input type="checkbox" id="a6-ap-${p}" name="authorisedParties" value="${p}" ${checked(a?.authorisedParties.includes(p) ?? false)} />${partyWord(choices.names, p)}</label> `)}
    </fieldset>`;
}

function firstTransferField(a: Authorisation | undefined): Html {
  const options: [string, string][] = [
    ['', 'not applicable (NDC only)'],
    ['authorization', 'when the credits are assigned to the authorisation'],
    ['issuance', 'when the credits are issued'],
    ['use_or_cancellation', 'when the credits are used or cancelled'],
  ];
  return html`<label for="a6-ftd"
    >First transfer, for OIMP<select id="a6-ftd" name="firstTransferDefinition">
      ${options.map(([v, t]) => html`<option value="${v}" ${selected((a?.firstTransferDefinition ?? '') === v)}>${t}</option>`)}
    </select></label
  >`;
}

/** The authorisation form, filled with the version in force when it records a new version. */
export function authorisationPanel(
  session: OfficeSession,
  choices: Article6Choices,
  current?: Authorisation,
): Html | '' {
  const a = current;
  const input = (name: string, label: string, value: unknown, extra = html``) =>
    html`<label for="a6-${name}"
      >${label}<input
        id="a6-${name}"
        name="${name}"
        value="${value === undefined || value === null ? '' : String(value)}"
        ${extra}
    /></label>`;
  const title =
    a === undefined ? 'Record an authorisation' : `Record version ${a.version + 1} of ${a.id}`;
  return actionPanel(
    session,
    '/office/article6/authorise',
    title,
    html`<p>
        The same id records a new version; the earlier versions stay. Your government must be the
        authorising Party's.
      </p>
      ${input('id', 'Authorisation id', a?.id, html` required`)}
      ${input('date', 'Date of the authorisation', a?.date, html` type="date" required`)}
      ${choiceFields(choices, a)}
      ${input('projects', 'Projects (references, comma-separated)', a?.projects.join(', '), html` required`)}
      ${input('vintageFirst', 'First vintage', a?.vintageFirst, html` inputmode="numeric" required`)}
      ${input('vintageLast', 'Last vintage', a?.vintageLast, html` inputmode="numeric" required`)}
      ${input('quantityCap', 'Cap on the credits (optional)', a?.quantityCap, html` inputmode="numeric"`)}
      ${input('validFrom', 'May be acted on from (optional)', a?.validFrom, html` type="date"`)}
      ${input('validUntil', 'May be acted on until (optional)', a?.validUntil, html` type="date"`)}
      ${input('oimp', 'OIMP named, for example CORSIA (OIMP only)', a?.oimp)}
      ${firstTransferField(a)}
      <label for="a6-entities"
        >Authorised entities: one a line, the organisation's platform id then its identification
        number<textarea id="a6-entities" name="authorisedEntities">
${(a?.authorisedEntities ?? []).map((e) => `${e.organisation} ${e.identifier}`).join('\n')}</textarea>
      </label>
      <label for="a6-terms"
        >Terms<textarea id="a6-terms" name="terms">${a?.terms ?? ''}</textarea>
      </label>
      <button type="submit">${title}</button>`,
  );
}

export function assignmentPanel(session: OfficeSession, oimp: readonly Authorisation[]): Html | '' {
  return actionPanel(
    session,
    '/office/article6/assign',
    'Assign credits to an OIMP authorisation',
    html`<p>
        Credits held in the authorising Party's registry come under the authorisation; they are
        first transferred now if the authorisation says so, else at the event it names.
      </p>
      <label for="as-authorisation"
        >Authorisation<select id="as-authorisation" name="authorisation">
          ${oimp.map((a) => html`<option value="${a.id}">${a.id} (${a.oimp ?? 'OIMP'})</option>`)}
        </select></label
      >
      <label for="as-from">From account<input id="as-from" name="from" required /></label>
      <label for="as-quantity"
        >Credits<input id="as-quantity" name="quantity" inputmode="numeric" required
      /></label>
      <label for="as-project"
        >Project reference (optional)<input id="as-project" name="project"
      /></label>
      <label for="as-vintage"
        >Vintage (optional)<input id="as-vintage" name="vintage" inputmode="numeric"
      /></label>
      <button type="submit">Assign the credits</button>`,
  );
}

export function finalisationPanel(session: OfficeSession, choices: Article6Choices): Html | '' {
  const parties = [...new Set(choices.approaches.flatMap((x) => x.parties))];
  return actionPanel(
    session,
    '/office/article6/finalise',
    'Finalise a period',
    html`<p>
        The additions and subtractions of these years never change afterwards (decision 2/CMA.3,
        annex, paragraph 12): a later first transfer of their vintages or use for them is refused.
      </p>
      <label for="fi-party"
        >Party<select id="fi-party" name="party">
          ${parties.map((p) => html`<option value="${p}">${partyWord(choices.names, p)}</option>`)}
        </select></label
      >
      <label for="fi-first"
        >First year<input id="fi-first" name="firstYear" inputmode="numeric" required
      /></label>
      <label for="fi-last"
        >Last year<input id="fi-last" name="lastYear" inputmode="numeric" required
      /></label>
      <button type="submit">Finalise the period</button>`,
  );
}
