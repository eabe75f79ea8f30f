// Reads a deployment's public export (core/federation/public-export.ts) in one REPEATABLE READ, read
// only transaction, so that its journal, decisions, blocks, totals and checkpoints are of one moment;
// each section a page at a time in key order, handed to `sink` record by record (which may wait: a
// file being written). Memory grows with one page, never with the registry.
import { sql, type Transaction } from 'kysely';
import type { ExportHeader, ExportLine, ExportRecord } from '../core/federation/public-export.ts';
import { envelopeText, readEnvelope, type JournalEnvelope } from '../core/ledger/journal.ts';
import type { Db } from './connect.ts';
import { allocationLineFromRow, blockFromRow } from './ledger-rows.ts';
import { eachPage, keyAfter } from './page-keys.ts';
import { publicEnvelope, publicNamer } from './public-actors.ts';
import type { Schema } from './schema.ts';
import { receivedFirstTransfers } from './article6-records-store.ts';

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
      firstTransfersReceived: await exportFirstTransfers(trx, sink),
    };
    await sink({ record: 'end', ...counts });
  });
}

type Trx = Transaction<Schema>;

function exportCheckpoints(trx: Trx, sink: ExportSink): Promise<bigint> {
  return eachPage(
    (after, limit) =>
      trx
        .selectFrom('checkpoints')
        .select(['id', 'body', 'key_id', 'public_key', 'signature'])
        .where(keyAfter(['id'], after))
        .orderBy('id')
        .limit(limit)
        .execute(),
    (r) => [r.id],
    async (rows) => {
      for (const r of rows)
        await sink({
          record: 'checkpoint',
          id: r.id,
          text: r.body,
          keyId: r.key_id,
          publicKey: r.public_key,
          signature: r.signature,
        });
    },
    pageSize,
  );
}

/** Every chain's entries, Joint Committee chains first (a replay needs decisions before issuances). */
async function exportJournal(trx: Trx, sink: ExportSink): Promise<bigint> {
  const chains = (await trx.selectFrom('chains').select('id').execute())
    .map((c) => c.id)
    .sort((a, b) => Number(b.startsWith('JC-')) - Number(a.startsWith('JC-')) || (a < b ? -1 : 1));
  let count = 0n;
  for (const chain of chains)
    count += await eachPage(
      (after, limit) =>
        trx
          .selectFrom('journal')
          .select(['seq', 'hash', 'prev_hash', 'entry'])
          .where('chain', '=', chain)
          .where(keyAfter(['seq'], after))
          .orderBy('seq')
          .limit(limit)
          .execute(),
      (r) => [r.seq],
      async (rows) => {
        const envelopes = rows.map((r) => readEnvelope(r.entry));
        const name = await publicNamer(
          trx,
          envelopes.map((e) => e.actor),
        );
        for (const [i, r] of rows.entries())
          await sink({
            record: 'entry',
            chain,
            seq: r.seq,
            hash: r.hash,
            prevHash: r.prev_hash,
            entry: envelopeText(publicEnvelope(envelopes[i] as JournalEnvelope, name)),
          });
      },
      pageSize,
    );
  return count;
}

/** Decisions by id, each with its lines (a page of decisions, then their lines in one query). */
function exportDecisions(trx: Trx, sink: ExportSink): Promise<bigint> {
  return eachPage(
    (after, limit) =>
      trx
        .selectFrom('decisions')
        .select(['id', 'project', 'serial_first', 'serial_last'])
        .where(keyAfter(['id'], after))
        .orderBy('id')
        .limit(limit)
        .execute(),
    (d) => [d.id],
    async (decisions) => {
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
          allocationLineFromRow(l),
        ]);
      for (const d of decisions)
        await sink({
          record: 'decision',
          id: d.id,
          project: d.project,
          serials: { first: d.serial_first, last: d.serial_last },
          lines: byDecision.get(d.id) ?? [],
        });
    },
    pageSize,
  );
}

function exportBlocks(trx: Trx, sink: ExportSink): Promise<bigint> {
  return eachPage(
    (after, limit) =>
      trx
        .selectFrom('blocks')
        .selectAll()
        .where(keyAfter(['project', 'serial_first'], after))
        .orderBy('project')
        .orderBy('serial_first')
        .limit(limit)
        .execute(),
    (r) => [r.project, r.serial_first],
    async (rows) => {
      for (const r of rows) {
        const block = blockFromRow(r);
        await sink({
          record: 'block',
          project: block.project,
          vintage: block.vintage,
          serials: block.serials,
          registry: block.registry,
          account: block.account,
          entryChain: block.entry.chain,
          entrySeq: block.entry.seq,
        });
      }
    },
    pageSize,
  );
}

async function exportTotals(trx: Trx, sink: ExportSink): Promise<bigint> {
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

/** The first transfers peers reported (a handful per issuance into a peer's registry). */
async function exportFirstTransfers(trx: Trx, sink: ExportSink): Promise<bigint> {
  const received = await receivedFirstTransfers({ read: (fn) => fn(trx) });
  for (const { serialFirst, serialLast, ...t } of received)
    await sink({
      record: 'first_transfer_received',
      ...t,
      serials: { first: serialFirst, last: serialLast },
    });
  return BigInt(received.length);
}
