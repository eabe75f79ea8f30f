// Helpers to drive a platform in tests: commands with fresh idempotency keys, and a standard opening
// (JP and IN registries, accounts, one decision) that tests build on.
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../src/core/ledger/actor.ts';
import type { CommandInput, CommandName } from '../../src/services/ledger-schemas.ts';
import { commandSchemas } from '../../src/services/ledger-schemas.ts';
import type { Platform } from '../../src/services/platform.ts';
import type { TestPlatform } from './db.ts';

export const admin: Actor = { id: 'test-admin', roles: [{ kind: 'administrator' }] };
/** The operator on the server (`jcm admin create`, `jcm user add`): an administrator. */
export const operator: Actor = { id: 'cli:operator', roles: [{ kind: 'administrator' }] };

export async function run(
  platform: Platform,
  name: CommandName,
  input: Record<string, unknown>,
  actor: Actor = admin,
  key: string = randomUUID(),
) {
  return platform.ledger.execute(name, {
    actor,
    idempotencyKey: key,
    input: commandSchemas[name].parse(input) as CommandInput,
  });
}

export async function mustRun(
  platform: Platform,
  name: CommandName,
  input: Record<string, unknown>,
  actor: Actor = admin,
) {
  const result = await run(platform, name, input, actor);
  if (!result.ok) throw new Error(`${name} refused: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/**
 * JP registry (JP-000004 holding "acme", JP-000005 government, JP-000006 holding "beta") and IN
 * registry (IN-000004 holding); decision D1 for IN001: 2027 lines of 100 (JP-000004) and 50
 * (IN-000004), both issued.
 */
export async function standardOpening(platform: Platform): Promise<void> {
  await mustRun(platform, 'open_registry', { registry: 'JP', name: "Japan's registry" });
  await mustRun(platform, 'open_registry', { registry: 'IN', name: "India's registry" });
  await mustRun(platform, 'open_account', {
    registry: 'JP',
    accountType: 'holding',
    holderId: 'acme',
    holderName: 'Acme',
  });
  await mustRun(platform, 'open_account', {
    registry: 'JP',
    accountType: 'government_holding',
    holderId: 'gov-jp',
    holderName: 'Government of Japan',
  });
  await mustRun(platform, 'open_account', {
    registry: 'JP',
    accountType: 'holding',
    holderId: 'beta',
    holderName: 'Beta',
  });
  await mustRun(platform, 'open_account', {
    registry: 'IN',
    accountType: 'holding',
    holderId: 'dev',
    holderName: 'Developer',
  });
  await mustRun(platform, 'record_issuance_decision', {
    decision: 'D1',
    project: 'IN001',
    verification: { reference: 'V1', reductions: [{ vintage: 2027, quantity: '150' }] },
    lines: [
      { registry: 'JP', account: 'JP-000004', vintage: 2027, quantity: '100' },
      { registry: 'IN', account: 'IN-000004', vintage: 2027, quantity: '50' },
    ],
  });
  await mustRun(platform, 'issue', { registry: 'JP', decision: 'D1', line: 1 });
  await mustRun(platform, 'issue', { registry: 'IN', decision: 'D1', line: 2 });
}

/** Every table the ledger writes, as text, to prove a refused command changed nothing. */
export async function snapshot(platform: TestPlatform): Promise<string> {
  const tables = [
    'chains',
    'journal',
    'idempotency',
    'registries',
    'accounts',
    'decisions',
    'decision_lines',
    'issuances',
    'blocks',
    'reversals',
  ] as const;
  const parts: string[] = [];
  for (const table of tables) {
    const rows = await platform.db.read((k) => k.selectFrom(table).selectAll().execute());
    parts.push(
      JSON.stringify(
        rows
          .map((r) =>
            JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
          )
          .sort(),
      ),
    );
  }
  return parts.join('\n');
}

/** Japan's and India's registries, with their system accounts JP-000001..3 and IN-000001..3. */
export async function openJapanAndIndia(platform: Platform): Promise<void> {
  await mustRun(platform, 'open_registry', { registry: 'JP', name: "Japan's registry" });
  await mustRun(platform, 'open_registry', { registry: 'IN', name: "India's registry" });
}

/** Records decision `decision` for IN001 (vintage 2027, one line into `account`) and issues it. */
export async function issueOneLine(
  platform: Platform,
  decision: string,
  account: string,
  quantity: string,
): Promise<void> {
  await mustRun(platform, 'record_issuance_decision', {
    decision,
    project: 'IN001',
    verification: { reference: `V-${decision}`, reductions: [{ vintage: 2027, quantity }] },
    lines: [{ registry: account.slice(0, 2), account, vintage: 2027, quantity }],
  });
  await mustRun(platform, 'issue', { registry: account.slice(0, 2), decision, line: 1 });
}
