// Checks one public export (public-export.ts) without the database that made it, as `jcm verify-export`
// and `jcm reconcile` do: the journal's links, chain by chain; a replay of its events through the
// same `apply` the writer uses, whose decisions, blocks and totals must be the ones the export lists;
// the checkpoints' signatures, that they extend one another and that the journal holds the heads they
// signed, and their totals where nothing was written after them. Records come one at a time (the
// file is read as a stream); what is wrong goes into the list of discrepancies, each with its kind.
//
// The entries' own hashes are not recomputed: the public journal shows an actor's public name, not
// the login the hash covers. The links between entries, and the heads the registry signed, are
// checked; `jcm audit` recomputes every hash where the database is.
import { apply } from '../ledger/apply.ts';
import { readEnvelope, genesisHash } from '../ledger/journal.ts';
import { emptyState, type LedgerState } from '../ledger/state.ts';
import { blockKey, lineKey } from '../ledger/types.ts';
import type { ChainId, DecisionId, ProjectRef } from '../shared/ids.ts';
import type { FirstTransfer } from './article6-records.ts';
import type {
  CheckedExport,
  Discrepancy,
  ExportCheckOptions,
  IssuedLine,
} from './export-check-types.ts';
import { checkpointsExtend, type Checkpoint } from './checkpoints.ts';
import {
  derivedFirstTransfers,
  firstTransferKey,
  partyRegistriesOf,
  receivedTransfer,
} from './export-first-transfers.ts';
import {
  decisionText,
  sectionOrder,
  type ExportBlock,
  type ExportCheckpoint,
  type ExportDecision,
  type ExportEntry,
  type ExportFirstTransferReceived,
  type ExportHeader,
  type ExportRecord,
} from './public-export.ts';

export type { CheckedExport, Discrepancy, ExportCheckOptions, IssuedLine };

/** What the export's end record counts. */
const counted = [
  'entries',
  'decisions',
  'blocks',
  'totals',
  'checkpoints',
  'firstTransfersReceived',
] as const;
type Counted = (typeof counted)[number];

const totalKey = (registry: string, type: string, project: string, vintage: number) =>
  `${registry}|${type}|${project}|${vintage}`;

/**
 * The discrepancies an export's check lists; past them it counts (`discrepancies_omitted`): a file of
 * a million bad lines is reported in bounded memory, and the first thousand say what is wrong.
 */
export const discrepanciesMax = 1000;

export class ExportCheck {
  readonly discrepancies: Discrepancy[] = [];
  #header: ExportHeader | undefined;
  #section = 0;
  readonly #state: LedgerState = emptyState();
  #replayBroken = false;
  readonly #heads = new Map<string, { seq: bigint; hash: string }>();
  #latestEntryAt = '';
  readonly #checkpoints: { signed: ExportCheckpoint; checkpoint: Checkpoint }[] = [];
  /** The hashes the checkpoints signed, `chain#seq` to hash, checked as the journal passes them. */
  readonly #signedHeads = new Map<string, string>();
  readonly #journalHashes = new Map<string, string>();
  readonly #decisions = new Map<string, ExportDecision>();
  readonly #issued = new Map<string, IssuedLine>();
  readonly #blocksSeen = new Set<string>();
  readonly #derivedTransfers = new Map<string, FirstTransfer>();
  readonly #receivedTransfers = new Map<string, Map<string, FirstTransfer>>();
  readonly #exportedTotals = new Map<string, bigint>();
  /** What each listed record is about (`decision D1`, a block's or a total's key): each once. */
  readonly #listed = new Set<string>();
  #omitted = 0;
  readonly #counts = Object.fromEntries(counted.map((c) => [c, 0n])) as Record<Counted, bigint>;
  #ended = false;

  constructor(private readonly options: ExportCheckOptions) {}

  get deployment(): string {
    return this.#header?.deployment ?? '?';
  }

  /** A line that is not a record (services: the parser's reason). */
  malformed(line: number, reason: string): void {
    this.#found('export_malformed', `line ${line}`, reason);
  }

  add(record: ExportRecord): void {
    const place = sectionOrder.indexOf(record.record);
    if (this.#ended || place < this.#section || (this.#header === undefined && place !== 0)) {
      this.#found('export_out_of_order', record.record, `a ${record.record} record out of place`);
      return;
    }
    this.#section = place;
    switch (record.record) {
      case 'export':
        if (this.#header !== undefined) this.#found('export_out_of_order', 'export', 'two headers');
        else this.#header = record;
        return;
      case 'checkpoint':
        return this.#checkpoint(record);
      case 'entry':
        return this.#entry(record);
      case 'decision':
        return this.#decision(record);
      case 'block':
        return this.#block(record);
      case 'total': {
        this.#counts.totals += 1n;
        const key = totalKey(record.registry, record.accountType, record.project, record.vintage);
        if (this.#listedTwice(`total ${key}`)) return;
        if (record.quantity > 0n) this.#exportedTotals.set(key, record.quantity);
        return;
      }
      case 'first_transfer_received':
        return this.#firstTransferReceived(record);
      case 'end':
        this.#ended = true;
        for (const name of counted)
          if (record[name] !== this.#counts[name])
            this.#found(
              'export_truncated',
              name,
              `the export ends saying ${record[name]} ${name}, ${this.#counts[name]} came`,
            );
    }
  }

  /** Ends the check: what was expected and never came, and what the replay holds that was not listed. */
  finish(): CheckedExport | undefined {
    if (!this.#ended) this.#found('export_truncated', 'end', 'the export has no end record');
    const header = this.#header;
    if (header === undefined) return undefined;
    const replayed = this.#replayedTotals();
    if (!this.#replayBroken) this.#compareWithReplay(replayed);
    const compared = this.#checkCheckpoints(replayed);
    if (this.#omitted > 0)
      this.discrepancies.push({
        kind: 'discrepancies_omitted',
        deployment: this.deployment,
        subject: 'export',
        message: `${this.#omitted} more discrepancies are not listed (the first ${discrepanciesMax} are)`,
      });
    return {
      header,
      decisions: this.#decisions,
      issued: this.#issued,
      totals: replayed,
      heads: this.#heads,
      counts: {
        entries: this.#counts.entries,
        blocks: this.#counts.blocks,
        checkpoints: this.#checkpoints.length,
      },
      checkpointTotalsCompared: compared,
      firstTransfers: {
        derived: this.#derivedTransfers,
        received: this.#receivedTransfers,
        partyRegistries: partyRegistriesOf(this.#state),
      },
      keysPinned: this.options.trustedKeys?.(header.deployment) !== undefined,
    };
  }

  #found(kind: string, subject: string, message: string): void {
    if (this.discrepancies.length >= discrepanciesMax) this.#omitted += 1;
    else this.discrepancies.push({ kind, deployment: this.deployment, subject, message });
  }

  /** A record about what an earlier one listed already (a copy would count twice for a reader). */
  #listedTwice(subject: string): boolean {
    if (!this.#listed.has(subject)) {
      this.#listed.add(subject);
      return false;
    }
    this.#found('export_record_repeated', subject, 'listed twice in the export');
    return true;
  }

  #checkpoint(record: ExportCheckpoint): void {
    this.#counts.checkpoints += 1n;
    const subject = `checkpoint ${record.id}`;
    if (this.#listedTwice(subject)) return;
    const read = this.options.readCheckpoint(record.text);
    if (!read.ok) return this.#found('checkpoint_malformed', subject, read.error.message);
    const checkpoint = read.value;
    const header = this.#header as ExportHeader;
    const trusted =
      this.options.trustedKeys?.(header.deployment) ?? header.keys.map((k) => k.publicKey);
    if (!trusted.includes(record.publicKey))
      this.#found('checkpoint_key_not_trusted', subject, `key ${record.keyId} is not trusted`);
    else if (!this.options.verify(record.publicKey, record.text, record.signature))
      return this.#found('checkpoint_signature_invalid', subject, 'the signature does not verify');
    if (
      checkpoint.deployment !== header.deployment ||
      !header.registries.includes(checkpoint.registry)
    )
      this.#found(
        'checkpoint_not_hosted',
        subject,
        `signed by ${checkpoint.deployment} for ${checkpoint.registry}, which this export does not host`,
      );
    for (const head of checkpoint.heads)
      this.#signedHeads.set(`${head.chain}#${head.seq}`, head.hash);
    this.#checkpoints.push({ signed: record, checkpoint });
  }

  #entry(record: ExportEntry): void {
    this.#counts.entries += 1n;
    const subject = `${record.chain}#${record.seq}`;
    const previous = this.#heads.get(record.chain);
    const expectedSeq = (previous?.seq ?? 0n) + 1n;
    if (record.seq !== expectedSeq || record.prevHash !== (previous?.hash ?? genesisHash))
      this.#found(
        'journal_link_broken',
        subject,
        `expected entry ${expectedSeq} after hash ${(previous?.hash ?? genesisHash).slice(0, 16)}…`,
      );
    this.#heads.set(record.chain, { seq: record.seq, hash: record.hash });
    if (this.#signedHeads.has(subject)) this.#journalHashes.set(subject, record.hash);
    if (this.#replayBroken) return;
    try {
      const envelope = readEnvelope(record.entry);
      if (envelope.chain !== record.chain || envelope.seq !== record.seq)
        throw new Error(`the entry says ${envelope.chain}#${envelope.seq}`);
      if (envelope.recordedAt > this.#latestEntryAt) this.#latestEntryAt = envelope.recordedAt;
      for (const t of derivedFirstTransfers(
        this.#state,
        envelope.event,
        record,
        envelope.recordedAt,
      ))
        this.#derivedTransfers.set(firstTransferKey(t), t);
      apply(this.#state, envelope.event, { chain: record.chain as ChainId, seq: record.seq });
      const event = envelope.event;
      if (event.type === 'credits_issued')
        this.#issued.set(lineKey(event.decision, event.lineNo), {
          registry: event.registry,
          first: event.serials.first,
          last: event.serials.last,
        });
    } catch (error) {
      // What a replay derives after an entry it cannot apply means nothing: it stops here.
      this.#replayBroken = true;
      this.#found('journal_replay_failed', subject, (error as Error).message);
    }
  }

  #firstTransferReceived(record: ExportFirstTransferReceived): void {
    this.#counts.firstTransfersReceived += 1n;
    const key = firstTransferKey(record);
    if (this.#listedTwice(`first transfer ${record.sender} ${key}`)) return;
    const from = this.#receivedTransfers.get(record.sender) ?? new Map<string, FirstTransfer>();
    this.#receivedTransfers.set(record.sender, from.set(key, receivedTransfer(record)));
  }

  #decision(record: ExportDecision): void {
    this.#counts.decisions += 1n;
    if (this.#listedTwice(`decision ${record.id}`)) return;
    this.#decisions.set(record.id, record);
    if (this.#replayBroken) return;
    const replayed = this.#state.decisions.get(record.id as DecisionId);
    if (replayed === undefined || decisionText(replayed) !== decisionText(record))
      this.#found(
        'decision_differs_from_journal',
        `decision ${record.id}`,
        replayed === undefined
          ? 'the journal records no such decision'
          : 'its lines or serials are not the ones its journal entry recorded',
      );
  }

  #block(record: ExportBlock): void {
    this.#counts.blocks += 1n;
    const key = blockKey(record.project as ProjectRef, record.serials.first);
    if (this.#listedTwice(`block ${key}`)) return;
    this.#blocksSeen.add(key);
    if (this.#replayBroken) return;
    const block = this.#state.blocks.get(key);
    const same =
      block !== undefined &&
      block.serials.last === record.serials.last &&
      block.vintage === record.vintage &&
      block.registry === record.registry &&
      block.account === record.account &&
      block.entry.chain === record.entryChain &&
      block.entry.seq === record.entrySeq;
    if (!same)
      this.#found(
        'block_differs_from_journal',
        `block ${record.project} ${record.serials.first}-${record.serials.last}`,
        block === undefined
          ? 'the journal puts no block at this first serial'
          : `the journal has ${block.serials.first}-${block.serials.last} of vintage ${block.vintage} in ${block.account} (entry ${block.entry.chain}#${block.entry.seq})`,
      );
  }

  #replayedTotals(): Map<string, bigint> {
    const totals = new Map<string, bigint>();
    for (const block of this.#state.blocks.values()) {
      const type = this.#state.accounts.get(block.account)?.type ?? '?';
      const key = totalKey(block.registry, type, block.project, block.vintage);
      totals.set(key, (totals.get(key) ?? 0n) + block.serials.last - block.serials.first + 1n);
    }
    return totals;
  }

  #compareWithReplay(replayed: ReadonlyMap<string, bigint>): void {
    for (const [id] of this.#state.decisions)
      if (!this.#decisions.has(id))
        this.#found('decision_differs_from_journal', `decision ${id}`, 'recorded, not listed');
    for (const [key, block] of this.#state.blocks)
      if (!this.#blocksSeen.has(key))
        this.#found(
          'block_differs_from_journal',
          `block ${block.project} ${block.serials.first}-${block.serials.last}`,
          `the journal puts it in ${block.account}; the export does not list it`,
        );
    for (const key of new Set([...replayed.keys(), ...this.#exportedTotals.keys()])) {
      const listed = this.#exportedTotals.get(key) ?? 0n;
      const derived = replayed.get(key) ?? 0n;
      if (listed !== derived)
        this.#found(
          'total_differs_from_journal',
          key,
          `listed ${listed}, the journal gives ${derived}`,
        );
    }
  }

  /** Signed heads in the journal, checkpoints extending each other, and totals where comparable. */
  #checkCheckpoints(replayed: ReadonlyMap<string, bigint>): number {
    for (const [subject, hash] of this.#signedHeads)
      if (this.#journalHashes.get(subject) !== hash)
        this.#found(
          'checkpoint_head_not_in_journal',
          subject,
          this.#journalHashes.has(subject)
            ? 'a checkpoint signed another hash for this entry'
            : 'a checkpoint signed this entry; the journal does not reach it',
        );
    const byRegistry = new Map<string, Checkpoint[]>();
    for (const { checkpoint } of this.#checkpoints) {
      const listed = byRegistry.get(checkpoint.registry);
      if (listed === undefined) byRegistry.set(checkpoint.registry, [checkpoint]);
      else listed.push(checkpoint);
    }
    let compared = 0;
    for (const [registry, checkpoints] of byRegistry) {
      const room = Math.max(discrepanciesMax - this.discrepancies.length, 0) + 1;
      for (const d of checkpointsExtend(checkpoints, undefined, room))
        this.#found(d.kind, `${registry} ${d.chain}`, `checkpoint of ${d.at}`);
      const last = [...checkpoints].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)).at(-1);
      // Comparable only when nothing was written after it, on any chain (credits come in from others).
      if (last === undefined || this.#replayBroken || this.#latestEntryAt > last.at) continue;
      compared += 1;
      this.#compareCheckpointTotals(registry, last, replayed);
    }
    return compared;
  }

  #compareCheckpointTotals(
    registry: string,
    checkpoint: Checkpoint,
    replayed: ReadonlyMap<string, bigint>,
  ): void {
    const signed = new Map(
      checkpoint.totals
        .filter((t) => t.quantity > 0n)
        .map((t) => [totalKey(registry, t.accountType, t.project, t.vintage), t.quantity]),
    );
    const keys = new Set([
      ...signed.keys(),
      ...[...replayed.keys()].filter((k) => k.startsWith(`${registry}|`)),
    ]);
    for (const key of keys)
      if ((signed.get(key) ?? 0n) !== (replayed.get(key) ?? 0n))
        this.#found(
          'checkpoint_totals_differ',
          key,
          `the checkpoint of ${checkpoint.at} signed ${signed.get(key) ?? 0n}, the journal gives ${replayed.get(key) ?? 0n}`,
        );
  }
}
