// Reads a deployment's public export (core/federation/public-export.ts) in one REPEATABLE READ, read
// only transaction, so that its journal, decisions, blocks, totals and checkpoints are of one moment;
// each section a page at a time in key order, handed to `sink` record by record (which may wait: a
// file being written). Memory grows with one page, never with the registry.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ExportHeader, ExportLine, ExportRecord } from '../core/federation/public-export.ts';
import { envelopeText, readEnvelope } from '../core/ledger/journal.ts';
import type { Db } from './connect.ts';
import { publicEnvelope, publicNamer } from './public-actors.ts';
import type { Schema } from './schema.ts';

const pageSize = 2000;

export type ExportSink = (record: ExportRecord) => Promise<void>;

/** `header` without its registries: they are this deployment's (or, all-in-one, every one here). */
export async function readPublicExport(
  db: Db,
  header: Omit<ExportHeader, 'registries'> & { readonly registries?: readonly string[] },
  sink: ExportSink,
): Promise<void> {
  await db.transaction(async (trx) => {
    await sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`.execute(trx);
    const registries =
      header.registries ??
      (await trx.selectFrom('registries').select('id').orderBy('id').execute()).map((r) => r.id);
    await sink({ ...header, registries });
    const counts = {
      checkpoints: await exportCheckpoints(trx, sink),
      entries: await exportJournal(trx, sink),
      decisions: await exportDecisions(trx, sink),
      blocks: await exportBlocks(trx, sink),
      totals: await exportTotals(trx, sink),
    };
    await sink({ record: 'end', ...counts });
  });
}

async function exportCheckpoints(trx: Transaction<Schema>, sink: ExportSink): Promise<bigint> {
  let count = 0n;
  let after = 0n;
  for (;;) {
    const rows = await trx
      .selectFrom('checkpoints')
      .select(['id', 'body', 'key_id', 'public_key', 'signature'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    for (const r of rows)
      await sink({
        record: 'checkpoint',
        id: r.id,
        text: r.body,
        keyId: r.key_id,
        publicKey: r.public_key,
        signature: r.signature,
      });
    count += BigInt(rows.length);
    if (rows.length < pageSize) return count;
    after = (rows.at(-1) as { id: bigint }).id;
  }
}

/** Every chain's entries, Joint Committee chains first (a replay needs decisions before issuances). */
async function exportJournal(trx: Transaction<Schema>, sink: ExportSink): Promise<bigint> {
  const chains = (await trx.selectFrom('chains').select('id').execute())
    .map((c) => c.id)
    .sort((a, b) => Number(b.startsWith('JC-')) - Number(a.startsWith('JC-')) || (a < b ? -1 : 1));
  let count = 0n;
  for (const chain of chains) {
    let after = 0n;
    for (;;) {
      const rows = await trx
        .selectFrom('journal')
        .select(['seq', 'hash', 'prev_hash', 'entry'])
        .where('chain', '=', chain)
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(pageSize)
        .execute();
      const envelopes = rows.map((r) => readEnvelope(r.entry));
      const name = await publicNamer(
        trx as unknown as Kysely<Schema>,
        envelopes.map((e) => e.actor),
      );
      for (const [i, r] of rows.entries()) {
        const envelope = envelopes[i] as ReturnType<typeof readEnvelope>;
        await sink({
          record: 'entry',
          chain,
          seq: r.seq,
          hash: r.hash,
          prevHash: r.prev_hash,
          entry: envelopeText(publicEnvelope(envelope, name)),
        });
      }
      count += BigInt(rows.length);
      if (rows.length < pageSize) break;
      after = (rows.at(-1) as { seq: bigint }).seq;
    }
  }
  return count;
}

/** Decisions by id, each with its lines (a page of decisions, then their lines in one query). */
async function exportDecisions(trx: Transaction<Schema>, sink: ExportSink): Promise<bigint> {
  let count = 0n;
  let after = '';
  for (;;) {
    const decisions = await trx
      .selectFrom('decisions')
      .select(['id', 'project', 'serial_first', 'serial_last'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (decisions.length === 0) return count;
    const lines = await trx
      .selectFrom('decision_lines')
      .selectAll()
      .where(
        'decision_id',
        'in',
        decisions.map((d) => d.id),
      )
      .orderBy('decision_id')
      .orderBy('line_no')
      .execute();
    const byDecision = new Map<string, ExportLine[]>();
    for (const l of lines)
      byDecision.set(l.decision_id, [
        ...(byDecision.get(l.decision_id) ?? []),
        {
          lineNo: l.line_no,
          registry: l.registry_id,
          account: l.account_id,
          vintage: l.vintage,
          quantity: l.quantity,
          serials: { first: l.serial_first, last: l.serial_last },
          reserve: l.reserve,
        },
      ]);
    for (const d of decisions)
      await sink({
        record: 'decision',
        id: d.id,
        project: d.project,
        serials: { first: d.serial_first, last: d.serial_last },
        lines: byDecision.get(d.id) ?? [],
      });
    count += BigInt(decisions.length);
    if (decisions.length < pageSize) return count;
    after = (decisions.at(-1) as { id: string }).id;
  }
}

async function exportBlocks(trx: Transaction<Schema>, sink: ExportSink): Promise<bigint> {
  let count = 0n;
  let after: { project: string; first: bigint } | null = null;
  for (;;) {
    let query = trx
      .selectFrom('blocks')
      .select([
        'project',
        'serial_first',
        'serial_last',
        'vintage',
        'registry_id',
        'account_id',
        'entry_chain',
        'entry_seq',
      ]);
    if (after !== null) {
      const { project, first } = after;
      query = query.where((eb) =>
        eb.or([
          eb('project', '>', project),
          eb.and([eb('project', '=', project), eb('serial_first', '>', first)]),
        ]),
      );
    }
    const rows = await query.orderBy('project').orderBy('serial_first').limit(pageSize).execute();
    for (const r of rows)
      await sink({
        record: 'block',
        project: r.project,
        vintage: r.vintage,
        serials: { first: r.serial_first, last: r.serial_last },
        registry: r.registry_id,
        account: r.account_id,
        entryChain: r.entry_chain,
        entrySeq: r.entry_seq,
      });
    count += BigInt(rows.length);
    if (rows.length < pageSize) return count;
    const last = rows.at(-1) as (typeof rows)[number];
    after = { project: last.project, first: last.serial_first };
  }
}

async function exportTotals(trx: Transaction<Schema>, sink: ExportSink): Promise<bigint> {
  const rows = await trx
    .selectFrom('registry_totals')
    .select(['registry_id', 'account_type', 'project', 'vintage', 'quantity'])
    .orderBy('registry_id')
    .orderBy('account_type')
    .orderBy('project')
    .orderBy('vintage')
    .execute();
  for (const r of rows)
    await sink({
      record: 'total',
      registry: r.registry_id,
      accountType: r.account_type,
      project: r.project,
      vintage: r.vintage,
      quantity: r.quantity,
    });
  return BigInt(rows.length);
}
