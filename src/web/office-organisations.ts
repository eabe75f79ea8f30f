// The organisations page of the back office: administrators and secretariats register
// organisations, and the Joint Committee designates third-party entities (TPEs) for its partnership.
import { html } from 'hono/html';
import { organisationKinds } from '../core/cycle/organisations.ts';
import type { Platform } from '../services/platform.ts';
import { page, table, type Html } from './layout.ts';
import type { AdminForm, AdminPage } from './office-admin.ts';
import {
  actionPanel,
  field,
  fields,
  hasRole,
  mayPost,
  officeEnvelope,
  officeNav,
  type OfficeSession,
} from './office-session.ts';

function registerOrganisationPanel(session: OfficeSession): Html | '' {
  return actionPanel(
    session,
    `/office/organisations/add`,
    `Register an organisation`,
    html`<label for="org-id"
        >Id (lower-case letters, digits and -)<input id="org-id" name="id" required
      /></label>
      <label for="org-name">Name<input id="org-name" name="name" required /></label>
      <label for="org-kind"
        >Kind<select id="org-kind" name="kind">
          ${organisationKinds.map((k) => html`<option value="${k}">${k.replaceAll('_', ' ')}</option>`)}
        </select></label
      >
      <label for="org-country"
        >Country (two letters)<input id="org-country" name="country" required maxlength="2"
      /></label>
      ${
        hasRole(session.actor, 'administrator')
          ? html`<label for="org-synthetic"
              ><input id="org-synthetic" type="checkbox" name="synthetic" value="yes" />Synthetic
              demo data (kept out of the portal's headlines)</label
            >`
          : ''
      }
      <button type="submit">Register</button>`,
  );
}

/** The functions a designation covers: validation, verification or both. */
function tpeFunctionsFieldset(): Html {
  return html`<fieldset>
    <legend>Functions</legend>
    <label for="tpe-validation"
      ><input
        id="tpe-validation"
        type="checkbox"
        name="functions"
        value="validation"
        checked
      />validation</label
    >
    <label for="tpe-verification"
      ><input
        id="tpe-verification"
        type="checkbox"
        name="functions"
        value="verification"
        checked
      />verification</label
    >
  </fieldset>`;
}

/** A TPE designation, for the partnerships whose Joint Committee the user sits on. */
function designateTpePanel(session: OfficeSession): Html | '' {
  const jc = session.actor.roles.flatMap((r) =>
    r.kind === 'joint_committee' ? [r.partnership] : [],
  );
  return actionPanel(
    session,
    `/office/organisations/designate`,
    `Designate a third-party entity`,
    html`<label for="tpe-org"
        >Organisation id<input id="tpe-org" name="organisation" required
      /></label>
      <label for="tpe-partnership"
        >Partnership<select id="tpe-partnership" name="partnership">
          ${jc.map((p) => html`<option>${p}</option>`)}
        </select></label
      >
      <label for="tpe-scopes"
        >Sectoral scopes (numbers, comma-separated)<input id="tpe-scopes" name="scopes" required
      /></label>
      ${tpeFunctionsFieldset()}
      <label for="tpe-accreditation"
        >Accreditation<select id="tpe-accreditation" name="accreditation">
          <option value="iso_14065">ISO 14065</option>
          <option value="cdm_operational_entity">CDM operational entity</option>
        </select></label
      >
      <label for="tpe-from"
        >Valid from<input id="tpe-from" name="validFrom" type="date" required
      /></label>
      <label for="tpe-until"
        >Valid until<input id="tpe-until" name="validUntil" type="date" required
      /></label>
      <label for="tpe-decision"
        >Adopted Joint Committee decision to designate it<input
          id="tpe-decision"
          name="decision"
          required
      /></label>
      <button type="submit">Designate</button>`,
  );
}

async function organisationsPage(platform: Platform, session: OfficeSession, message: Html | null) {
  const [organisations, designations] = await Promise.all([
    platform.cycleQueries.organisations(),
    platform.cycleQueries.designations(),
  ]);
  return page(
    'Organisations and third-party entities',
    '/office',
    html`${officeNav(session)} ${message ?? ''}
      <h2>Organisations</h2>
      ${table(
        ['Id', 'Name', 'Kind', 'Country', 'Synthetic demo data'],
        organisations.map((o) => [
          o.id,
          o.name,
          o.kind.replaceAll('_', ' '),
          o.country,
          o.synthetic ? 'yes' : 'no',
        ]),
      )}
      <h2>TPE designations</h2>
      ${table(
        ['TPE', 'Partnership', 'Scope', 'Function', 'Valid'],
        designations.map((d) => [
          d.organisation_id,
          d.partnership,
          String(d.sectoral_scope),
          d.function,
          `${d.valid_from} to ${d.valid_until}`,
        ]),
      )}
      ${registerOrganisationPanel(session)} ${designateTpePanel(session)}`,
  );
}

const registerOrganisation: AdminForm = async (platform, posted) => {
  const { form } = posted;
  const result = await platform.organisations.register(
    officeEnvelope(posted, {
      id: field(form, 'id') ?? '',
      name: field(form, 'name') ?? '',
      kind: field(form, 'kind') ?? '',
      country: (field(form, 'country') ?? '').toUpperCase(),
      // Only an administrator may set it; the decision refuses anyone else who sends it.
      synthetic: field(form, 'synthetic') === 'yes',
    }),
  );
  return { result, done: `Registered ${field(form, 'id') ?? ''}.` };
};

const designateTpe: AdminForm = async (platform, posted) => {
  const { form } = posted;
  const decision = field(form, 'decision');
  const result = await platform.organisations.designate(
    officeEnvelope(posted, {
      organisation: field(form, 'organisation') ?? '',
      partnership: field(form, 'partnership') ?? '',
      sectoralScopes: (field(form, 'scopes') ?? '')
        .split(/[\s,]+/)
        .filter(Boolean)
        .map(Number),
      functions: fields(form, 'functions') as never,
      accreditation: (field(form, 'accreditation') ?? '') as never,
      validFrom: field(form, 'validFrom') ?? '',
      validUntil: field(form, 'validUntil') ?? '',
      ...(decision === undefined ? {} : { decision }),
    }),
  );
  return { result, done: `Designated ${field(form, 'organisation') ?? ''}.` };
};

export const organisationsAdminPage: AdminPage = {
  render: organisationsPage,
  may: (s) => mayPost(s, '/office/organisations/add', '/office/organisations/designate'),
  forms: { add: registerOrganisation, designate: designateTpe },
};
