// `npm run demo:split [DIR]` (issue 16): the India-Japan registries on two deployments, two server
// processes on this machine, each with its own embedded database (PGlite folder), Ed25519 key and
// JCM_FEDERATION file. Synthetic demo data, labelled so. What it shows:
//
//  1. Japan's deployment ("jp", hosting JP) records a Joint Committee issuance decision for an
//     Indian project with a line for each registry; India's ("in", hosting IN) opens its accounts.
//     Each side's Joint Committee member records the cooperative approach from the partnership.
//  2. Both servers start; Japan's notifies the decision, India's records it with the same serials.
//  3. Article 6.2 over HTTP, each government on its own deployment: India authorises the credits
//     issued into Japan's registry (forwarded to Japan's deployment, 202), Japan confirms it there;
//     Japan authorises their use, and India's confirmation is forwarded the same way.
//  4. Each registry manager issues their registry's line over HTTP; India's confirms its issuance.
//     The issuance into Japan's registry is India's first transfer: Japan's deployment reports it.
//  5. Both public exports are downloaded into DIR/exports and checked offline, each and against
//     each other (decisions, issuances, first transfers), with the keys pinned, as
//     `jcm verify-export DIR/exports` does.
//
// The servers keep running with --keep (Japan's at the first port printed); otherwise they stop.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDb } from '../src/db/connect.ts';
import { configOf, type FederationFile } from '../src/services/federation-config.ts';
import {
  newDeploymentKeyPair,
  type DeploymentKeyPair,
} from '../src/services/federation-signatures.ts';
import { createPlatform } from '../src/services/platform.ts';
import { checkExportText, outcomeOf } from '../src/services/public-exports.ts';

type Id = 'jp' | 'in';
const ids: readonly Id[] = ['jp', 'in'];
const root = resolve(import.meta.dirname, '..');
const label = '(synthetic demo)';
const decision = 'JC-IN/DEMO/1';
const token = 'demo-split-token';
const admin = { id: 'demo:admin', roles: [{ kind: 'administrator' as const }] };

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const address = probe.address();
  await new Promise((done) => probe.close(done));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function fileOf(
  self: Id,
  urls: Record<Id, string>,
  keys: Record<Id, DeploymentKeyPair>,
): FederationFile {
  const peer: Id = self === 'jp' ? 'in' : 'jp';
  return {
    self,
    registries: [self.toUpperCase()],
    signingKey: { keyId: `${self}-demo`, privateKeyFile: 'key.pem' },
    peers: [
      {
        id: peer,
        url: urls[peer],
        registries: [peer.toUpperCase()],
        keys: [
          {
            keyId: `${peer}-demo`,
            publicKey: keys[peer].publicKey,
            validFrom: '2020-01-01T00:00:00Z',
          },
        ],
      },
    ],
  };
}

/** Opens both registries, this side's accounts, and on Japan's side records the decision. */
async function seed(
  self: Id,
  dir: string,
  file: FederationFile,
  key: DeploymentKeyPair,
): Promise<void> {
  const db = await openDb({ kind: 'pglite', dataDir: join(dir, 'data') });
  const platform = await createPlatform(db, {
    referenceDataDir: join(root, 'data'),
    documentsDir: join(dir, 'data', 'documents'),
    federation: { config: configOf(file, key.privateKey) },
  });
  const run = async (
    name: Parameters<typeof platform.ledger.execute>[0],
    input: object,
    key: string,
  ) => {
    const done = await platform.ledger.execute(name, {
      actor: admin,
      idempotencyKey: `demo-split-${key}`,
      input,
    });
    if (!done.ok) throw new Error(`${name} refused: ${done.error.code} ${done.error.message}`);
  };
  try {
    await run('open_registry', { registry: 'JP', name: `Japan's JCM registry ${label}` }, 'jp');
    await run('open_registry', { registry: 'IN', name: `India's JCM registry ${label}` }, 'in');
    const accounts =
      self === 'jp'
        ? [
            ['government_holding', 'gov-jp', 'Government of Japan'],
            ['holding', 'example-trading-jp', 'Example Trading Co., Ltd.'],
          ]
        : [
            ['government_holding', 'gov-in', 'Government of India'],
            ['holding', 'example-solar-in', 'Example Solar Developer Pvt Ltd'],
          ];
    const approach = await platform.article6Writes.recordApproach({
      actor: {
        id: 'demo:joint-committee',
        roles: [{ kind: 'joint_committee', partnership: 'IN' }],
      },
      idempotencyKey: 'demo-split-approach',
      input: { partnership: 'IN' },
    });
    if (!approach.ok) throw new Error(`the approach refused: ${approach.error.code}`);
    for (const [accountType, holderId, name] of accounts)
      await run(
        'open_account',
        { registry: self.toUpperCase(), accountType, holderId, holderName: `${name} ${label}` },
        `${holderId}`,
      );
    if (self === 'jp') {
      // The Joint Committee's decision: 600 credits to Japan's trading company, 400 to India's developer.
      await run(
        'record_issuance_decision',
        {
          decision,
          project: 'IN001',
          verification: {
            reference: 'DEMO-SPLIT-VERIFICATION-1',
            reductions: [{ vintage: 2027, quantity: '1000' }],
          },
          lines: [
            { registry: 'JP', account: 'JP-000005', vintage: 2027, quantity: '600' },
            { registry: 'IN', account: 'IN-000005', vintage: 2027, quantity: '400' },
          ],
        },
        'decision',
      );
      // Its notification is written to the outbox now; Japan's server sends it when it starts.
      platform.outbox.poke();
      await platform.outbox.idle();
    }
  } finally {
    await platform.close();
  }
}

function serve(dir: string, port: number): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src', 'main.ts'), 'serve'],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        JCM_DATA_DIR: join(dir, 'data'),
        JCM_FEDERATION: join(dir, 'federation.json'),
        JCM_DEV_TOKEN: token,
        JCM_EXPORT_MINUTES: '1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return child;
}

async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  seconds = 180,
): Promise<T> {
  const started = Date.now();
  while (Date.now() - started < seconds * 1000) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((done) => setTimeout(done, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A write over HTTP as `roles`; answers the status (a refusal throws). */
async function post(url: string, path: string, roles: string, key: string, body: object) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'x-jcm-actor': `demo:${roles.replace(/[^a-z]/g, '-')}`,
      'x-jcm-roles': roles,
      'idempotency-key': `demo-split-${key}`,
    },
    body: JSON.stringify(body),
  });
  if (response.status >= 300)
    throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.status;
}

async function issue(url: string, registry: string, line: number): Promise<void> {
  await post(
    url,
    `/api/v1/registries/${registry}/issuances`,
    `registry_manager:${registry}`,
    `issue-${registry}`,
    {
      decision,
      line,
    },
  );
  console.log(`${registry}'s registry manager issued line ${line} of ${decision}`);
}

const authorisation = (id: string, party: string) => ({
  id,
  party,
  approach: 'CA0001',
  date: '2026-06-01',
  registry: 'JP',
  projects: ['IN001'],
  vintageFirst: 2025,
  vintageLast: 2030,
  purposes: ['ndc'],
  authorisedParties: ['JPN'],
  terms: `Use towards the NDC of Japan ${label}`,
});

/** Whether Japan's deployment holds the authorisation, confirmed by `party` when one is named. */
async function heldInJapan(url: string, id: string, confirmedBy?: string): Promise<boolean> {
  const response = await fetch(`${url}/api/v1/article6/authorisations?limit=100`);
  const body = (await response.json()) as {
    items?: { id: string; versions: { confirmedBy: string[] }[] }[];
  };
  const found = body.items?.find((a) => a.id === id);
  return (
    found !== undefined &&
    (confirmedBy === undefined || (found.versions.at(-1)?.confirmedBy ?? []).includes(confirmedBy))
  );
}

/** Each government on its own deployment; the records for Japan's registry end up in Japan's. */
async function authorise(urls: Record<Id, string>): Promise<void> {
  const india = 'government_partner:IN';
  const japan = 'government_japan';
  const sent = await post(
    urls.in,
    '/api/v1/article6/authorisations',
    india,
    'auth-in',
    authorisation('IND-JCM-NDC-001', 'IND'),
  );
  console.log(
    `India's government authorised IND-JCM-NDC-001 on India's deployment (${sent}: forwarded to Japan's)`,
  );
  await until("Japan's deployment to record India's authorisation", async () =>
    (await heldInJapan(urls.jp, 'IND-JCM-NDC-001')) ? true : undefined,
  );
  await post(urls.jp, '/api/v1/article6/registries/JP/confirmations', japan, 'confirm-jp', {
    authorisation: 'IND-JCM-NDC-001',
    version: 1,
  });
  await post(
    urls.jp,
    '/api/v1/article6/authorisations',
    japan,
    'auth-jp',
    authorisation('JPN-JCM-NDC-001', 'JPN'),
  );
  await post(urls.in, '/api/v1/article6/registries/JP/confirmations', india, 'confirm-in', {
    authorisation: 'JPN-JCM-NDC-001',
    version: 1,
  });
  await until("Japan's deployment to record India's confirmation", async () =>
    (await heldInJapan(urls.jp, 'JPN-JCM-NDC-001', 'IND')) ? true : undefined,
  );
  console.log(
    "Japan confirmed India's authorisation; India's confirmation of Japan's reached Japan's deployment",
  );
}

async function main(): Promise<void> {
  const dir = resolve(
    process.argv.slice(2).find((a) => !a.startsWith('--')) ??
      (await mkdtemp(join(tmpdir(), 'jcm-split-demo-'))),
  );
  const keep = process.argv.includes('--keep');
  const ports = { jp: await freePort(), in: await freePort() };
  const urls = { jp: `http://127.0.0.1:${ports.jp}`, in: `http://127.0.0.1:${ports.in}` };
  const keys = { jp: newDeploymentKeyPair(), in: newDeploymentKeyPair() };
  for (const id of ids) {
    const here = join(dir, id);
    await mkdir(here, { recursive: true });
    await writeFile(
      join(here, 'key.pem'),
      keys[id].privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      { mode: 0o600 },
    );
    const file = fileOf(id, urls, keys);
    await writeFile(join(here, 'federation.json'), JSON.stringify(file, null, 2));
    await seed(id, here, file, keys[id]);
  }
  console.log(`two deployments in ${dir}: jp at ${urls.jp}, in at ${urls.in}`);
  const servers = ids.map((id) => serve(join(dir, id), ports[id]));
  try {
    for (const id of ids)
      await until(`${id} to be ready`, async () =>
        (await fetch(`${urls[id]}/ready`)).ok ? true : undefined,
      );
    await until("India's deployment to record the notified decision", async () =>
      (await fetch(`${urls.in}/api/v1/issuance-decisions/${encodeURIComponent(decision)}`)).ok
        ? true
        : undefined,
    );
    console.log(`India's deployment recorded ${decision}, notified by Japan's`);
    await authorise(urls);
    const issuedAt = new Date().toISOString();
    await issue(urls.in, 'IN', 2);
    await issue(urls.jp, 'JP', 1);
    await mkdir(join(dir, 'exports'), { recursive: true });
    for (const id of ids) {
      // Each server remakes its export every minute: wait for one made after the issuances.
      const text = await until(`${id}'s export after the issuances`, async () => {
        const response = await fetch(`${urls[id]}/api/v1/export`);
        const at = response.headers.get('x-jcm-exported-at');
        if (!response.ok || at === null || at <= issuedAt) return undefined;
        const text = await response.text();
        // India's must hold the first transfer Japan's deployment reported.
        return id === 'jp' || text.includes('"record":"first_transfer_received"')
          ? text
          : undefined;
      });
      await writeFile(join(dir, 'exports', `${id}.ndjson`), text);
      console.log(`downloaded ${id}'s public export to ${join(dir, 'exports', `${id}.ndjson`)}`);
    }
    // Offline, as anyone would: the two files and the two public keys, nothing else.
    const pinned = (deployment: string) =>
      deployment === 'jp' || deployment === 'in' ? [keys[deployment].publicKey] : undefined;
    const checks = [];
    for (const id of ids)
      checks.push(
        await checkExportText(createReadStream(join(dir, 'exports', `${id}.ndjson`)), pinned),
      );
    const outcome = outcomeOf(checks);
    for (const e of outcome.exports)
      console.log(
        `${e.header.deployment} hosts ${e.header.registries.join(', ')}: ${e.counts.entries} journal entries, ${e.counts.blocks} blocks, ${e.counts.checkpoints} checkpoints`,
      );
    if (outcome.discrepancies.length === 0) console.log('reconciliation: no discrepancy');
    else {
      for (const d of outcome.discrepancies)
        console.log(`DISCREPANCY ${d.kind} ${d.deployment} ${d.subject}: ${d.message}`);
      process.exitCode = 1;
    }
    console.log(`check again any time: npx tsx src/main.ts verify-export ${join(dir, 'exports')}`);
    if (keep) {
      console.log('servers keep running (Ctrl-C stops them)');
      await new Promise(() => undefined);
    }
  } finally {
    if (!keep) for (const server of servers) server.kill('SIGTERM');
  }
}

await main();
