// The scene of the issuance browser tests: the demo on a fresh data folder, a user per role (API
// tokens for the machine clients, authenticator codes for those who log in), then, through the API,
// a third monitoring period of the demo project, its verification, an issuance request, the
// secretariat's completeness check and a proposed Joint Committee decision about it that both
// governments confirm. The test takes it from there in the browser.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jcmOn } from './browser.ts';
import { serveReady, type Server } from './server.ts';

export interface IssuanceScene {
  readonly server: Server;
  readonly base: string;
  readonly totp: Readonly<Record<string, string>>;
  readonly monitoring: string;
  readonly issuance: string;
  readonly decision: string;
  /** The credits the monitoring period's calculation gives (vintage 2026). */
  readonly credits: bigint;
  readonly vintages: readonly number[];
}

const doc = (type: string) => ({
  type,
  fileName: `${type}.txt`,
  mediaType: 'text/plain',
  content: Buffer.from(`${type} (browser test)`).toString('base64'),
});

/** Sets the scene up to a decision (`decide_issuance` or `reject_issuance`) awaiting adoption. */
export async function issuanceBeforeTheJointCommittee(
  password: string,
  decides: { readonly action: 'decide_issuance' | 'reject_issuance'; readonly text: string },
): Promise<IssuanceScene> {
  const dataDir = mkdtempSync(join(tmpdir(), 'jcm-issuance-data-'));
  const jcm = (...args: string[]) => jcmOn(dataDir, { JCM_PASSWORD: password }, ...args);
  const users = {
    participant: 'project_participant:example-trading-jp',
    tpe: 'third_party_entity:example-verification',
    secretariat: 'secretariat:IN',
    japan: 'government_japan',
    india: 'government_partner:IN',
    jc: 'joint_committee:IN',
    registry: 'registry_manager:JP',
  };
  const tokens: Record<string, string> = {};
  const totp: Record<string, string> = {};
  for (const [key, roles] of Object.entries(users)) {
    const email = `${key}@jcm.example`;
    totp[key] = jcm('user', 'add', email, '--name', key, '--roles', roles).totpUri ?? '';
    if (key !== 'jc' && key !== 'registry') tokens[key] = jcm('token', 'create', email).token ?? '';
  }
  const { server, base } = await serveReady({ JCM_DATA_DIR: dataDir });
  const act = async (who: string, action: string, body: Record<string, unknown>) => {
    const response = await fetch(`${base}/api/v1/cycle/actions/${action}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${tokens[who] ?? ''}`,
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as { item: string };
    if (response.status !== 201) throw new Error(`${action}: ${JSON.stringify(json)}`);
    return json.item;
  };

  const monitoring = await act('participant', 'submit_monitoring_report', {
    parent: 'IN-PRJ001',
    monitoring: {
      monitoring_points: ['PV-ARRAY-A', 'PV-ARRAY-B'],
      periods: [{ id: 'MP3', start: '2026-10-01', end: '2026-10-31' }],
      fixed: {},
      monitored: { MP3: { 'PV-ARRAY-A': { EG_i: '1000' }, 'PV-ARRAY-B': { EG_i: '1000' } } },
    },
    documents: [doc('monitoring_report'), doc('monitoring_spreadsheet')],
  });
  const item = (await (await fetch(`${base}/api/v1/cycle/items/${monitoring}`)).json()) as {
    data: { calculation: { vintages: { vintage: number; credits: string }[] } };
  };
  const vintages = item.data.calculation.vintages;
  const credits = BigInt(vintages[0]?.credits ?? '0');
  await act('tpe', 'issue_verification', {
    item: monitoring,
    verified: { '2026': String(credits) },
    documents: [doc('verification_report')],
  });
  const japan = credits / 10n;
  const issuance = await act('participant', 'request_issuance', {
    parent: monitoring,
    allocation: [
      {
        holder: 'government_japan',
        registry: 'JP',
        account: 'JP-000004',
        vintage: 2026,
        quantity: String(japan),
      },
      {
        holder: 'participant_japan',
        registry: 'JP',
        account: 'JP-000005',
        vintage: 2026,
        quantity: String(credits - japan),
      },
    ],
    documents: [
      doc('issuance_request'),
      doc('credit_allocation'),
      doc('monitoring_report'),
      doc('verification_report'),
    ],
  });
  await act('secretariat', 'accept_complete', { item: issuance });
  const decision = await act('secretariat', 'propose_decision', {
    parent: issuance,
    subject: { item: issuance, action: decides.action, text: decides.text },
    documents: [doc('decision_text')],
  });
  await act('japan', 'confirm_decision', { item: decision });
  await act('india', 'confirm_decision', { item: decision });
  return {
    server,
    base,
    totp,
    monitoring,
    issuance,
    decision,
    credits,
    vintages: vintages.map((v) => v.vintage),
  };
}
