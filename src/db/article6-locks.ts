// The locks a batch that finalises a Party's period takes besides its own chain head (see below).
import { sql } from 'kysely';
import type { LedgerCommand } from '../core/ledger/commands.ts';
import { registryChain, type ChainId } from '../core/shared/ids.ts';
import { approachFromRecord } from './article6-rows.ts';
import type { Tx } from './connect.ts';

/**
 * A Party that finalises a period fixes the first transfers and uses it reports for those years, and
 * these are written by the chains of every registry its cooperative approaches use: an issuance into
 * Japan's registry is India's first transfer. So a batch that finalises locks the heads of all those
 * chains (with its own) before it loads anything, in chain id order so that two finalising batches
 * cannot deadlock. A writer of one of those chains then waits for the finalisation to commit, locks
 * its head, reads the finalised period afresh (the loader reads Article 6.2 records once per batch)
 * and is refused by the core; one that committed first is seen by the finalisation's own reads. The
 * database's trigger on article6_actions (migration 015) refuses what slips past both.
 */
export async function lockChainsForFinalisation(
  trx: Tx,
  chain: ChainId,
  requests: readonly { readonly command: LedgerCommand }[],
): Promise<void> {
  const parties = new Set<string>();
  for (const { command } of requests)
    if (command.type === 'finalise_adjustments') parties.add(command.party);
  if (parties.size === 0) return;
  const rows = await trx
    .selectFrom('article6_approaches')
    .select(['partnership', 'record'])
    .distinctOn('partnership')
    .orderBy('partnership')
    .orderBy('version', 'desc')
    .execute();
  const chains = new Set<string>([chain]);
  for (const row of rows) {
    const approach = approachFromRecord(row.record);
    if (!approach.parties.some((p) => parties.has(p))) continue;
    for (const r of approach.registries) chains.add(registryChain(r.registry));
  }
  await sql`SELECT id FROM chains WHERE id = ANY(${[...chains].sort()}) ORDER BY id FOR UPDATE`.execute(
    trx,
  );
}
