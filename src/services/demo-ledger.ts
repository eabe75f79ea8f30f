// A small, clearly synthetic ledger so that a newcomer's first `npm start` shows living registries:
// Japan's and India's registries, a few accounts, one issuance decision split across both
// registries, a transfer and a retirement. Fixed idempotency keys make it safe to run twice.
import type { Actor } from '../core/ledger/actor.ts';
import type { CommandInput, CommandName } from './ledger-schemas.ts';
import type { Platform } from './platform.ts';

export const demoActor: Actor = { id: 'demo-seed', roles: [{ kind: 'administrator' }] };
const label = '(synthetic demo data)';

export async function seedDemoLedger(platform: Platform): Promise<number> {
  const steps: [CommandName, CommandInput][] = [
    ['open_registry', { registry: 'JP', name: "Japan's JCM registry" }],
    ['open_registry', { registry: 'IN', name: "India's JCM registry" }],
    [
      'open_account',
      {
        registry: 'JP',
        accountType: 'government_holding',
        holderId: 'gov-jp',
        holderName: `Government of Japan ${label}`,
      },
    ],
    [
      'open_account',
      {
        registry: 'JP',
        accountType: 'holding',
        holderId: 'demo-trading',
        holderName: `Example Trading Co., Ltd. ${label}`,
      },
    ],
    [
      'open_account',
      {
        registry: 'IN',
        accountType: 'government_holding',
        holderId: 'gov-in',
        holderName: `Government of India ${label}`,
      },
    ],
    [
      'open_account',
      {
        registry: 'IN',
        accountType: 'holding',
        holderId: 'demo-solar',
        holderName: `Example Solar Developer Pvt Ltd ${label}`,
      },
    ],
    [
      'record_issuance_decision',
      {
        decision: 'DEMO-JC-IN-2028-001',
        project: 'IN001',
        verification: {
          reference: 'DEMO-VR-IN001-01',
          reductions: [
            { vintage: 2027, quantity: '12000' },
            { vintage: 2028, quantity: '8000' },
          ],
        },
        lines: [
          { registry: 'JP', account: 'JP-000004', vintage: 2027, quantity: '6000' },
          { registry: 'IN', account: 'IN-000004', vintage: 2027, quantity: '4000' },
          { registry: 'JP', account: 'JP-000005', vintage: 2027, quantity: '2000' },
          { registry: 'JP', account: 'JP-000005', vintage: 2028, quantity: '8000' },
        ],
      },
    ],
    ['issue', { registry: 'JP', decision: 'DEMO-JC-IN-2028-001', line: 1 }],
    ['issue', { registry: 'IN', decision: 'DEMO-JC-IN-2028-001', line: 2 }],
    ['issue', { registry: 'JP', decision: 'DEMO-JC-IN-2028-001', line: 3 }],
    ['issue', { registry: 'JP', decision: 'DEMO-JC-IN-2028-001', line: 4 }],
    [
      'transfer',
      {
        from: 'JP-000005',
        to: 'JP-000004',
        selection: { quantity: '1500', project: 'IN001', vintage: 2028 },
      },
    ],
    [
      'retire',
      {
        from: 'JP-000005',
        selection: { quantity: '500' },
        purpose: 'gx_ets_compliance',
        beneficiary: `Example Trading Co., Ltd. ${label}`,
        note: 'GX-ETS compliance, fiscal year 2028',
      },
    ],
  ];
  let applied = 0;
  for (const [index, [name, input]] of steps.entries()) {
    const result = await platform.ledger.execute(
      name,
      input as never,
      demoActor,
      `demo-ledger-${index + 1}`,
    );
    if (!result.ok)
      throw new Error(
        `demo step ${index + 1} (${name}) was refused: ${result.error.code}: ${result.error.message}`,
      );
    if (!result.value.replayed) applied++;
  }
  return applied;
}
