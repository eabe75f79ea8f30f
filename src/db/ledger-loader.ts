// Fills the core's working state with exactly the rows a command needs, inside the writer's
// transaction and after the chain head is locked, so every decision is taken on a state read in the
// same transaction that writes it. Rows already in the working state are authoritative: a batch's
// earlier commands may have changed them in memory.
import type { Transaction } from 'kysely';
import { assertNever } from '../core/shared/assert.ts';
import {
  accountRegistry,
  japanRegistryId,
  projectCountry,
  registryChain,
  type AccountId,
  type DecisionId,
  type ProjectRef,
  type RegistryId,
} from '../core/shared/ids.ts';
import type { LedgerCommand, Selection } from '../core/ledger/commands.ts';
import { readEnvelope } from '../core/ledger/journal.ts';
import { putBlock, type LedgerState } from '../core/ledger/state.ts';
import {
  blockKey,
  entryKey,
  lineKey,
  type Block,
  type RegistryKind,
} from '../core/ledger/types.ts';
import { loadArticle6 } from './article6-rows.ts';
import type { Schema } from './schema.ts';
import { accountRows, batchWants, rangeBlockRows } from './ledger-prefetch.ts';
import { accountFromRow, allocationLineFromRow, blockFromRow } from './ledger-rows.ts';
import { loadSelectedBlocks } from './selected-blocks.ts';

/** Block rows read by loaders since the process started (tests count them; a gauge may too). */
export const loaderCounters = { blockRows: 0 };

/** What the loader knows of the database beyond the state itself; kept with a chain's cached state. */
export interface LoaderMemory {
  /** Accounts whose blocks are all in the state. */
  readonly blocksLoaded: Set<AccountId>;
  /** What the database holds for each block key seen (undefined: no row). */
  readonly persistedBlocks: Map<string, Block | undefined>;
}

export function emptyLoaderMemory(): LoaderMemory {
  return { blocksLoaded: new Set(), persistedBlocks: new Map() };
}

export class LedgerLoader {
  /** Lookups already made in this batch, so that a missing row is asked for once. */
  readonly #loaded = new Set<string>();
  /**
   * Named-range selections whose blocks `prefetch` has already read, with the accounts it read them
   * in: a selection object may be shared by commands that take from different accounts (a release
   * reads its selection in the reserve account, which `batchWants` cannot name).
   */
  readonly #prefetched = new WeakMap<Selection, Set<AccountId>>();

  constructor(
    private readonly trx: Transaction<Schema>,
    private readonly state: LedgerState,
    readonly memory: LoaderMemory,
  ) {}

  /**
   * Reads in two queries the accounts and named ranges' blocks that `ensureFor` would read for each
   * of a batch's commands (ledger-prefetch.ts); call it before the first command is decided.
   */
  async prefetch(commands: readonly LedgerCommand[]): Promise<void> {
    const wants = batchWants(commands);
    const accounts = [...wants.accounts].filter(
      (id) => !this.state.accounts.has(id) && this.#once(`account:${id}`),
    );
    for (const row of await accountRows(this.trx, accounts))
      this.state.accounts.set(row.id as AccountId, accountFromRow(row));
    const ranges = wants.ranges.filter(({ account }) => !this.memory.blocksLoaded.has(account));
    for (const row of await rangeBlockRows(this.trx, ranges)) this.#putLoaded(row);
    for (const { account, selection } of ranges) {
      const accounts = this.#prefetched.get(selection) ?? new Set();
      this.#prefetched.set(selection, accounts.add(account));
    }
  }

  async ensureFor(command: LedgerCommand): Promise<void> {
    if (needsArticle6(command)) await this.article6();
    switch (command.type) {
      case 'open_registry':
      case 'open_account':
        return this.registry(command.registry);
      case 'freeze_account':
      case 'unfreeze_account':
      case 'close_account':
        return this.accountWithBlocks(command.account);
      case 'record_issuance_decision':
        return this.forDecision(command);
      case 'issue':
        await this.registry(command.registry);
        await this.decision(command.decision);
        for (const line of this.state.decisions.get(command.decision)?.lines ?? [])
          await this.account(line.account);
        {
          // A line with a reserve puts part of it into the registry's reserve account.
          const registry = this.state.registries.get(command.registry);
          if (registry !== undefined) await this.account(registry.reserveAccount);
        }
        return;
      case 'transfer':
        await this.blocksFor(command.from, command.selection);
        return this.account(command.to);
      case 'retire':
      case 'cancel': {
        await this.registry(accountRegistry(command.from));
        return this.blocksFor(command.from, command.selection);
      }
      case 'release': {
        await this.registry(accountRegistry(command.to));
        const registry = this.state.registries.get(accountRegistry(command.to));
        if (registry !== undefined)
          await this.blocksFor(registry.reserveAccount, command.selection);
        return this.account(command.to);
      }
      case 'reverse':
        return this.forReversal(command.registry, command.seq);
      case 'record_approach':
        for (const r of command.approach.registries) await this.registry(r.registry);
        return;
      case 'record_authorisation':
        return this.registry(command.authorisation.registry);
      case 'confirm_authorisation':
      case 'finalise_adjustments':
        return this.registry(command.registry);
      case 'authorise_units':
        await this.registry(accountRegistry(command.from));
        return this.blocksFor(command.from, command.selection);
      default:
        return assertNever(command, 'command');
    }
  }

  /**
   * The Article 6.2 records, read afresh once per batch: any chain may have written them since this
   * chain's state was cached (the writer empties them at the start of every batch).
   */
  async article6(): Promise<void> {
    if (this.state.article6.loaded || !this.#once('article6')) return;
    await loadArticle6(this.trx, this.state.article6);
  }

  async registry(id: RegistryId): Promise<void> {
    if (this.state.registries.has(id) || !this.#once(`registry:${id}`)) return;
    const row = await this.trx
      .selectFrom('registries')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined) return;
    this.state.registries.set(id, {
      id,
      name: row.name,
      kind: row.kind as RegistryKind,
      accountSequence: row.account_sequence,
      retirementAccount: row.retirement_account as AccountId,
      cancellationAccount: row.cancellation_account as AccountId,
      reserveAccount: row.reserve_account as AccountId,
    });
    for (const account of [row.retirement_account, row.cancellation_account, row.reserve_account])
      await this.account(account as AccountId);
  }

  async account(id: AccountId): Promise<void> {
    if (this.state.accounts.has(id) || !this.#once(`account:${id}`)) return;
    const row = await this.trx
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined) return;
    this.state.accounts.set(id, accountFromRow(row));
  }

  async accountWithBlocks(id: AccountId): Promise<void> {
    await this.account(id);
    if (this.memory.blocksLoaded.has(id)) return;
    this.memory.blocksLoaded.add(id);
    const rows = await this.trx
      .selectFrom('blocks')
      .selectAll()
      .where('account_id', '=', id)
      .execute();
    for (const row of rows) {
      const block = blockFromRow(row);
      const key = blockKey(block.project, block.serials.first);
      loaderCounters.blockRows += 1;
      // A key the batch has already changed in memory is newer there than in the database.
      if (this.state.dirty.blocks.has(key)) continue;
      this.memory.persistedBlocks.set(key, block);
      putBlock(this.state, block);
    }
  }

  /**
   * The blocks of an account a selection can take, by index, whatever else the account holds
   * (issue 15): the named ranges' blocks, or its lowest matching blocks up to the quantity
   * (selected-blocks.ts). The state's blocks of the account stay a subset of the truth, each one
   * exact, and hold every block the selection reaches.
   */
  async blocksFor(id: AccountId, selection: Selection): Promise<void> {
    await this.account(id);
    if (this.memory.blocksLoaded.has(id) || this.#prefetched.get(selection)?.has(id) === true)
      return;
    const put = (row: Schema['blocks']) => this.#putLoaded(row);
    const complete = await loadSelectedBlocks(this.trx, this.state, id, selection, put);
    if (complete) this.memory.blocksLoaded.add(id);
  }

  /** A block row read from the database, unless the state knows its key (then the state is newer). */
  #putLoaded(row: Schema['blocks']): void {
    loaderCounters.blockRows += 1;
    const block = blockFromRow(row);
    const key = blockKey(block.project, block.serials.first);
    if (this.state.blocks.has(key) || this.state.dirty.blocks.has(key)) return;
    this.memory.persistedBlocks.set(key, block);
    putBlock(this.state, block);
  }

  async decision(id: DecisionId): Promise<void> {
    if (this.state.decisions.has(id) || !this.#once(`decision:${id}`)) return;
    const row = await this.trx
      .selectFrom('decisions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined) return;
    const [lines, reductions, issued] = [
      await this.trx
        .selectFrom('decision_lines')
        .selectAll()
        .where('decision_id', '=', id)
        .orderBy('line_no')
        .execute(),
      await this.trx
        .selectFrom('verified_reductions')
        .selectAll()
        .where('decision_id', '=', id)
        .orderBy('vintage')
        .execute(),
      await this.trx
        .selectFrom('issuances')
        .select('line_no')
        .where('decision_id', '=', id)
        .execute(),
    ];
    this.state.decisions.set(id, {
      id,
      project: row.project as ProjectRef,
      verificationReference: row.verification_reference,
      verifiedReductions: reductions.map((r) => ({ vintage: r.vintage, quantity: r.quantity })),
      serials: { first: row.serial_first, last: row.serial_last },
      lines: lines.map(allocationLineFromRow),
    });
    for (const line of issued) this.state.issuedLines.add(lineKey(id, line.line_no));
  }

  private async forDecision(
    command: Extract<LedgerCommand, { type: 'record_issuance_decision' }>,
  ): Promise<void> {
    await this.decision(command.decision);
    await this.registry(projectCountry(command.project));
    await this.registry(japanRegistryId);
    for (const line of command.lines) await this.account(line.account);
    await this.projectLastSerial(command.project);
    if (
      !this.state.verificationsUsed.has(command.verificationReference) &&
      this.#once(`verification:${command.verificationReference}`)
    ) {
      const used = await this.trx
        .selectFrom('decisions')
        .select('id')
        .where('verification_reference', '=', command.verificationReference)
        .executeTakeFirst();
      if (used !== undefined) this.state.verificationsUsed.add(command.verificationReference);
    }
  }

  private async projectLastSerial(project: ProjectRef): Promise<void> {
    if (this.state.projectLastSerial.has(project)) return;
    const row = await this.trx
      .selectFrom('decisions')
      .select((eb) => eb.fn.max('serial_last').as('last'))
      .where('project', '=', project)
      .executeTakeFirst();
    this.state.projectLastSerial.set(project, (row?.last as bigint | null | undefined) ?? 0n);
  }

  private async forReversal(registry: RegistryId, seq: bigint): Promise<void> {
    await this.registry(registry);
    const chain = registryChain(registry);
    const key = entryKey({ chain, seq });
    if (!this.state.movements.has(key) && this.#once(`entry:${key}`)) {
      const row = await this.trx
        .selectFrom('journal')
        .select('entry')
        .where('chain', '=', chain)
        .where('seq', '=', seq)
        .executeTakeFirst();
      if (row !== undefined) {
        const e = readEnvelope(row.entry).event;
        const reversed = await this.trx
          .selectFrom('reversals')
          .select('reversing_seq')
          .where('chain', '=', chain)
          .where('reversed_seq', '=', seq)
          .executeTakeFirst();
        this.state.movements.set(
          key,
          e.type === 'credits_moved'
            ? {
                movement: e.movement,
                from: e.from,
                to: e.to,
                pieces: e.pieces,
                reversed: reversed !== undefined,
              }
            : { movement: null },
        );
      }
    }
    const record = this.state.movements.get(key);
    if (record !== undefined && record.movement !== null) {
      await this.blocksFor(record.to, {
        kind: 'ranges',
        ranges: record.pieces.map((p) => ({ project: p.project, serials: p.serials })),
      });
      await this.account(record.from);
    }
  }

  #once(key: string): boolean {
    if (this.#loaded.has(key)) return false;
    this.#loaded.add(key);
    return true;
  }
}

/**
 * Whether a command may read or change Article 6.2 records: all but the movements between holding
 * accounts and the accounts' own lifecycle, which the core decides without them.
 */
export function needsArticle6(command: LedgerCommand): boolean {
  switch (command.type) {
    case 'transfer':
    case 'open_registry':
    case 'open_account':
    case 'freeze_account':
    case 'unfreeze_account':
    case 'close_account':
      return false;
    default:
      return true;
  }
}
