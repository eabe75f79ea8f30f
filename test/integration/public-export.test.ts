// The public export and its checks (issue 16, points 3 and 4), on PGlite and PostgreSQL: the export a
// deployment serves at GET /api/v1/export and writes with `jcm export`; `jcm verify-export` finds
// nothing in an honest one and finds each kind of tampering (a block changed in SQL behind the
// journal, a line of the file changed, a cut file, a forged checkpoint, a key not pinned); and
// `jcm reconcile --peer` compares two linked deployments over HTTP (test/support/two-deployments.ts),
// clean once each issued its own line of a notified decision, and reporting a decision recorded
// after the peer's export was made. A line issued by the deployment that does not host its registry
// cannot be written any more (`registry_hosted_elsewhere`); test/unit/federation/reconcile.test.ts
// finds it in exports built by hand.
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { exportLine } from '../../src/services/export-wire.ts';
import type { Platform } from '../../src/services/platform.ts';
import { signingDeployment } from '../support/checkpoints.ts';
import { runCli } from '../support/cli.ts';
import { freshPlatform, testDbKind, type TestDb, type TestPlatform } from '../support/db.ts';
import { admin, mustRun, standardOpening } from '../support/scenario.ts';
import {
  closeDeployments,
  exchange,
  splitDecision,
  twoDeployments,
} from '../support/two-deployments.ts';

let dir: string;
let jp: { platform: TestPlatform; testDb: TestDb };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jcm-export-test-'));
  // `jp` hosting JP and IN, with a signing key and no peers: one deployment's export.
  jp = await freshPlatform({ federation: { config: signingDeployment() } });
  await standardOpening(jp.platform);
  await mustRun(jp.platform, 'retire', {
    from: 'JP-000004',
    selection: { quantity: '10' },
    purpose: 'voluntary_offsetting',
    beneficiary: 'Acme',
  });
  await mustRun(jp.platform, 'transfer', {
    from: 'JP-000004',
    to: 'JP-000006',
    selection: { quantity: '5' },
  });
  const signed = await jp.platform.checkpoints.publishAll(admin);
  if (!signed.ok) throw new Error(signed.error.code);
});
afterAll(async () => {
  await jp.testDb.drop();
  await rm(dir, { recursive: true, force: true });
});

/** The CLI on a platform the test keeps open. */
const cli = (platform: Platform, ...args: string[]) =>
  runCli({ openPlatform: async () => ({ ...platform, close: async () => undefined }) }, ...args);

async function verify(...args: string[]) {
  const run = await runCli({}, '--json', 'verify-export', ...args);
  const body = JSON.parse(run.out) as {
    exports: {
      deployment: string;
      entries: string;
      checkpoints: number;
      totalsCompared: number;
      keys: string;
    }[];
    discrepancies: { kind: string; subject: string }[];
  };
  return { ...run, body, kinds: [...new Set(body.discrepancies.map((d) => d.kind))].sort() };
}

/** The export file's lines with `change` applied to the first line matching `pattern`. */
async function altered(source: string, pattern: RegExp, change: (line: string) => string) {
  const lines = (await readFile(source, 'utf8')).split('\n');
  const at = lines.findIndex((l) => pattern.test(l));
  if (at < 0) throw new Error(`no line matches ${pattern}`);
  const changed = change(lines[at] as string);
  if (changed === lines[at]) throw new Error(`the change to ${pattern} changed nothing`);
  lines[at] = changed;
  return lines.join('\n');
}

/**
 * The export with a copy of the first line matching `pattern` (changed by `change`) put before it,
 * and its end record counting the copy: a file whose counts add up.
 */
async function repeated(
  source: string,
  pattern: RegExp,
  section: 'decisions' | 'blocks' | 'totals',
  change: (line: string) => string = (l) => l,
) {
  const lines = (await readFile(source, 'utf8')).split('\n');
  const at = lines.findIndex((l) => pattern.test(l));
  if (at < 0) throw new Error(`no line matches ${pattern}`);
  lines.splice(at, 0, change(lines[at] as string));
  const end = lines.findIndex((l) => l.includes('"record":"end"'));
  lines[end] = (lines[end] as string).replace(
    new RegExp(`"${section}":"(\\d+)"`),
    (_, n: string) => `"${section}":"${Number(n) + 1}"`,
  );
  return lines.join('\n');
}

describe(`the public export on ${testDbKind}`, () => {
  const file = () => join(dir, 'jp.ndjson');

  it('is served once made, and an honest export verifies offline with no discrepancy', async () => {
    const app = createApp(jp.platform, { devToken: null });
    const before = await app.request('/api/v1/export');
    expect([before.status, before.headers.get('retry-after')]).toEqual([503, '30']);
    expect(((await before.json()) as { code: string }).code).toBe('export_not_ready');
    await jp.platform.exports.make();
    const served = await app.request('/api/v1/export');
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toContain('application/x-ndjson');
    await writeFile(join(dir, 'served.ndjson'), await served.text());
    const written = await cli(jp.platform, 'export', '--out', file());
    expect(written.exitCode).toBe(0);
    for (const path of [file(), join(dir, 'served.ndjson')]) {
      const run = await verify(path);
      expect([run.exitCode, run.body.discrepancies]).toEqual([0, []]);
      // Two checkpoints (JP and IN), both compared with the replay: nothing written after them.
      expect(run.body.exports).toMatchObject([
        { deployment: 'jp', checkpoints: 2, totalsCompared: 2 },
      ]);
    }
    const human = await runCli({}, 'verify-export', file());
    expect(human.out).toContain('no discrepancy');
    await rm(join(dir, 'served.ndjson'));
  });

  it('finds a block changed in SQL behind the journal, and its total', async () => {
    // The account a block is in, changed with the database's guards off (as an intruder would).
    await jp.testDb.db.transaction(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await sql`UPDATE blocks SET account_id = 'JP-000005' WHERE account_id = 'JP-000004'`.execute(
        trx,
      );
    });
    await cli(jp.platform, 'export', '--out', join(dir, 'tampered.ndjson'));
    const run = await verify(join(dir, 'tampered.ndjson'));
    expect(run.exitCode).toBe(1);
    expect(run.kinds).toContain('block_differs_from_journal');
    await jp.testDb.db.transaction(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await sql`UPDATE blocks SET account_id = 'JP-000004' WHERE account_id = 'JP-000005'`.execute(
        trx,
      );
    });
    await rm(join(dir, 'tampered.ndjson'));
    expect((await verify(file())).exitCode).toBe(0);
  });

  it('finds each kind of change to the file', async () => {
    const cases: [string, RegExp, (line: string) => string, string][] = [
      [
        'a block moved',
        /"account":"JP-000004".*"record":"block"/,
        (l) => l.replace('"account":"JP-000004"', '"account":"JP-000005"'),
        'block_differs_from_journal',
      ],
      [
        'a total raised',
        /"record":"total"/,
        (l) => l.replace(/"quantity":"(\d+)"/, '"quantity":"999"'),
        'total_differs_from_journal',
      ],
      [
        'an entry relinked',
        /"record":"entry".*"seq":"2"/,
        (l) => l.replace(/"prevHash":"[0-9a-f]{64}"/, `"prevHash":"${'1'.repeat(64)}"`),
        'journal_link_broken',
      ],
      [
        'a checkpoint signature forged',
        /"record":"checkpoint"/,
        (l) => l.replace(/"signature":"[A-Za-z0-9+/]{10}/, '"signature":"AAAAAAAAAA'),
        'checkpoint_signature_invalid',
      ],
      ['the end cut off', /"record":"end"/, () => '', 'export_truncated'],
      [
        'a line of garbage',
        /"record":"total"/,
        () => '{"record":"total","x":1}',
        'export_malformed',
      ],
    ];
    for (const [what, pattern, change, kind] of cases) {
      const path = join(dir, 'changed.ndjson');
      await writeFile(path, await altered(file(), pattern, change));
      const run = await verify(path);
      expect([what, run.exitCode, run.kinds.includes(kind)]).toEqual([what, 1, true]);
    }
    // A record listed twice, its counts adding up: a reader of the file would count it twice, or
    // read the first of two totals when the check kept the second.
    const copies: [string, RegExp, 'decisions' | 'blocks' | 'totals', (l: string) => string][] = [
      [
        'a total listed twice, the first raised',
        /"record":"total"/,
        'totals',
        (l) => l.replace(/"quantity":"(\d+)"/, '"quantity":"999"'),
      ],
      ['a block listed twice', /"record":"block"/, 'blocks', (l) => l],
      ['a decision listed twice', /"record":"decision"/, 'decisions', (l) => l],
    ];
    for (const [what, pattern, section, change] of copies) {
      const path = join(dir, 'changed.ndjson');
      await writeFile(path, await repeated(file(), pattern, section, change));
      const run = await verify(path);
      expect([what, run.exitCode, run.kinds.includes('export_record_repeated')]).toEqual([
        what,
        1,
        true,
      ]);
    }
    await rm(join(dir, 'changed.ndjson'));
  });

  it('checks checkpoints against a pinned key, and refuses a malformed --key', async () => {
    const other = generateKeyPairSync('ed25519').publicKey;
    const otherText = other.export({ type: 'spki', format: 'der' }).toString('base64');
    const wrong = await verify(file(), '--key', `jp=${otherText}`);
    expect([wrong.exitCode, wrong.kinds]).toEqual([1, ['checkpoint_key_not_trusted']]);
    const right = await verify(file(), '--key', `jp=${jp.platform.federation?.config.publicKey}`);
    expect([right.exitCode, right.body.exports[0]?.keys]).toEqual([0, 'pinned']);
    const bad = await runCli({}, 'verify-export', file(), '--key', 'jp');
    expect([bad.exitCode, bad.err]).toEqual([1, expect.stringContaining('invalid_request')]);
    const none = await runCli({}, 'verify-export', join(dir, 'nothing-here'));
    expect(none.exitCode).toBe(1);
  });
});

/** An export of deployment `name` that lists nothing: it says it hosts no registry. */
const emptyExport = (name: string) =>
  [
    exportLine({
      record: 'export',
      version: 1,
      deployment: name,
      registries: [],
      exportedAt: '2028-01-01T00:00:00.000Z',
      keys: [],
    }),
    exportLine({
      record: 'end',
      entries: 0n,
      decisions: 0n,
      blocks: 0n,
      totals: 0n,
      checkpoints: 0n,
      firstTransfersReceived: 0n,
    }),
    '',
  ].join('\n');

describe(`reconciling two deployments on ${testDbKind}`, () => {
  type Reconciled = {
    exports: { deployment: string; keys: string }[];
    discrepancies: { kind: string; deployment: string; subject: string }[];
  };

  it('is clean once each issued its own line, and reports a decision its peer has not received', async () => {
    const sides = await twoDeployments();
    try {
      const { jp: japan, in: india } = sides;
      await mustRun(japan.platform, 'record_issuance_decision', splitDecision('D1'));
      await exchange(sides);
      await mustRun(japan.platform, 'issue', { registry: 'JP', decision: 'D1', line: 1 });
      await mustRun(india.platform, 'issue', { registry: 'IN', decision: 'D1', line: 2 });
      await exchange(sides);
      for (const side of [japan, india]) {
        const signed = await side.platform.checkpoints.publishAll(admin);
        if (!signed.ok) throw new Error(signed.error.code);
      }
      await india.platform.exports.make();
      const clean = await cli(japan.platform, '--json', 'reconcile', '--peer', india.url);
      const body = JSON.parse(clean.out) as Reconciled;
      // Each side's checkpoints checked against the key its peer registered for it.
      expect(body.exports.map((e) => `${e.deployment} ${e.keys}`)).toEqual([
        'jp pinned',
        'in pinned',
      ]);
      expect([clean.exitCode, body.discrepancies]).toEqual([0, []]);
      // A decision recorded since India's export was made: its notification has not reached it.
      await mustRun(japan.platform, 'record_issuance_decision', splitDecision('D2'));
      const run = await cli(japan.platform, '--json', 'reconcile', '--peer', india.url);
      const found = (JSON.parse(run.out) as Reconciled).discrepancies;
      expect(found.map((d) => `${d.kind} ${d.deployment} ${d.subject}`)).toEqual([
        'decision_not_received in decision D2',
      ]);
      expect(run.exitCode).toBe(1);
      // A block of India's moved in SQL behind its journal (guards off): found from Japan's side.
      const move = (from: string, to: string) =>
        india.testDb.db.transaction(async (trx) => {
          await sql`SET LOCAL session_replication_role = replica`.execute(trx);
          await sql`UPDATE blocks SET account_id = ${to} WHERE account_id = ${from}`.execute(trx);
        });
      await move('IN-000004', 'IN-000001');
      await india.platform.exports.make();
      const tampered = await cli(japan.platform, '--json', 'reconcile', '--peer', india.url);
      const kinds = (JSON.parse(tampered.out) as Reconciled).discrepancies.map(
        (d) => `${d.kind} ${d.deployment}`,
      );
      expect([tampered.exitCode, kinds.includes('block_differs_from_journal in')]).toEqual([
        1,
        true,
      ]);
      await move('IN-000001', 'IN-000004');
      await india.platform.exports.make();
      const unreachable = await cli(japan.platform, 'reconcile', '--peer', 'http://127.0.0.1:1');
      expect([unreachable.exitCode, unreachable.err]).toEqual([
        1,
        expect.stringContaining('peer_export_unreadable'),
      ]);
    } finally {
      await closeDeployments(sides);
    }
  });
  it('reports a peer whose export hides its registries or is not its own, and refuses one that drips', async () => {
    const sides = await twoDeployments();
    const raw = createServer();
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const address = raw.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const rawUrl = `http://127.0.0.1:${address.port}`;
    try {
      const japan = sides.jp;
      // An empty export under the peer's name (hosting no IN) or another (not a registered peer).
      for (const [name, kind] of [
        ['in', 'registry_hosting_differs'],
        ['zz', 'export_deployment_unknown'],
      ] as const) {
        raw.removeAllListeners('request');
        raw.on('request', (_req, res: ServerResponse) => res.end(emptyExport(name)));
        const answered = await cli(japan.platform, '--json', 'reconcile', '--peer', rawUrl);
        const kinds = (JSON.parse(answered.out) as Reconciled).discrepancies.map((d) => d.kind);
        expect([name, answered.exitCode, kinds]).toEqual([name, 1, [kind]]);
      }
      // A peer dripping its export past the time allowed: refused with its code, not thrown.
      raw.removeAllListeners('request');
      const dripping: ServerResponse[] = [];
      raw.on('request', (_req, res: ServerResponse) => {
        dripping.push(res);
        res.write(`${emptyExport('in').split('\n')[0]}\n`);
        const drip = setInterval(() => res.write(' '), 50);
        res.on('close', () => clearInterval(drip));
      });
      const slow = await japan.platform.exports.reconcileWithPeer(rawUrl, 500);
      for (const res of dripping) res.destroy();
      expect(slow.ok ? 'compared' : slow.error.code).toBe('peer_export_unreadable');
    } finally {
      raw.close();
      await closeDeployments(sides);
    }
  });
});
