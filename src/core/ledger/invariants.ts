// Whole-state checks of SPEC section 6's invariants 1, 2, 4 and 5 over an in-memory ledger (after a
// replay, or after every step of a model-based test), or over blocks streamed one at a time (the
// audit's replay keeps its blocks in a table, audit-replay-blocks.ts). Invariants 3 and 6 concern
// history, so they are asserted by `apply` while replaying and re-checked in SQL by the audit.
import type { ProjectRef } from '../shared/ids.ts';
import { normalise, rangeSize, type SerialRange } from './serial-range.ts';
import type { LedgerState } from './state.ts';
import { lineKey, type Block } from './types.ts';

export interface Violation {
  readonly invariant: 1 | 2 | 3 | 4 | 5 | 6;
  readonly message: string;
}

export function checkInvariants(state: LedgerState): Violation[] {
  const check = new InvariantCheck(state);
  for (const block of [...state.blocks.values()].sort(byProjectAndSerial)) check.block(block);
  return check.finish();
}

function byProjectAndSerial(a: Block, b: Block): number {
  if (a.project !== b.project) return a.project < b.project ? -1 : 1;
  return a.serials.first < b.serials.first ? -1 : a.serials.first > b.serials.first ? 1 : 0;
}

/** What the check needs of the state besides its blocks (which may not be in it). */
export type InvariantContext = Pick<LedgerState, 'accounts' | 'decisions' | 'issuedLines'>;

/**
 * Invariants 1, 2, 4 and 5 over blocks given one at a time, each project's blocks in the order of
 * their first serial, then the decisions of `context`. It keeps, per project, the serials held so far
 * coalesced (one range while they are contiguous) and the quantity held per registry, project and
 * vintage: its memory grows with projects and vintages, not with blocks.
 */
export class InvariantCheck {
  readonly #violations: Violation[] = [];
  readonly #sink: ViolationSink;
  readonly #held = new Map<ProjectRef, SerialRange[]>();
  readonly #heldByRegistry = new Map<string, bigint>();

  /**
   * `report` takes each violation as it is found (the audit's bounded log: a replay whose blocks
   * all overlap one big block would otherwise keep a message per block); without it, `finish`
   * returns them.
   */
  constructor(
    private readonly context: InvariantContext,
    report?: (violation: Violation) => void,
  ) {
    this.#sink = report === undefined ? this.#violations : { push: report };
  }

  /** One block; a project's blocks must come in the order of their first serial. */
  block(block: Block): void {
    const violations = this.#sink;
    if (block.serials.first > block.serials.last || block.serials.first < 1n) {
      violations.push({
        invariant: 4,
        message: `block ${block.project} ${block.serials.first}-${block.serials.last} is empty or negative`,
      });
    }
    const account = this.context.accounts.get(block.account);
    if (account === undefined || account.registry !== block.registry) {
      violations.push({
        invariant: 2,
        message: `block ${block.project} ${block.serials.first} sits in unknown account ${block.account}`,
      });
    } else if (account.status === 'closed') {
      violations.push({ invariant: 4, message: `closed account ${account.id} holds credits` });
    }
    this.#hold(block.project, block.serials);
    const key = `${block.registry}|${block.project}|${block.vintage}`;
    this.#heldByRegistry.set(key, (this.#heldByRegistry.get(key) ?? 0n) + rangeSize(block.serials));
  }

  /** Invariant 1's overlap half, and the serials held coalesced as `normalise` would. */
  #hold(project: ProjectRef, serials: SerialRange): void {
    let ranges = this.#held.get(project);
    if (ranges === undefined) {
      ranges = [];
      this.#held.set(project, ranges);
    }
    const last = ranges[ranges.length - 1];
    if (last !== undefined && serials.first < last.first)
      throw new Error(`blocks of ${project} given out of serial order`);
    if (last !== undefined && serials.first <= last.last)
      this.#sink.push({
        invariant: 1,
        message: `blocks of ${project} overlap at serial ${serials.first}`,
      });
    if (last !== undefined && serials.first <= last.last + 1n)
      ranges[ranges.length - 1] = {
        first: last.first,
        last: serials.last > last.last ? serials.last : last.last,
      };
    else ranges.push(serials);
  }

  /**
   * The blocks' violations, then those of comparing them with the issued lines (none when they went
   * to `report`).
   */
  finish(): Violation[] {
    const violations = this.#sink;
    const { decisions, issuedLines } = this.context;
    const issuedByRegistry = new Map<string, bigint>();
    const issuedRanges = new Map<ProjectRef, SerialRange[]>();
    const issuedByVintage = new Map<string, bigint>();
    const verifiedByVintage = new Map<string, bigint>();
    for (const decision of decisions.values()) {
      for (const reduction of decision.verifiedReductions) {
        const key = `${decision.project}|${reduction.vintage}`;
        verifiedByVintage.set(key, (verifiedByVintage.get(key) ?? 0n) + reduction.quantity);
      }
      for (const line of decision.lines) {
        if (!issuedLines.has(lineKey(decision.id, line.lineNo))) continue;
        const key = `${line.registry}|${decision.project}|${line.vintage}`;
        issuedByRegistry.set(key, (issuedByRegistry.get(key) ?? 0n) + line.quantity);
        appendTo(issuedRanges, decision.project, line.serials);
        const vintageKey = `${decision.project}|${line.vintage}`;
        issuedByVintage.set(vintageKey, (issuedByVintage.get(vintageKey) ?? 0n) + line.quantity);
      }
    }
    checkCoverage(this.#held, issuedRanges, violations);
    const heldByRegistry = this.#heldByRegistry;
    for (const key of new Set([...heldByRegistry.keys(), ...issuedByRegistry.keys()])) {
      const held = heldByRegistry.get(key) ?? 0n;
      const issued = issuedByRegistry.get(key) ?? 0n;
      if (held !== issued)
        violations.push({
          invariant: 2,
          message: `registry|project|vintage ${key}: ${held} held, retired, cancelled or reserved, ${issued} issued`,
        });
    }
    for (const [key, issued] of issuedByVintage) {
      const verified = verifiedByVintage.get(key) ?? 0n;
      if (issued > verified)
        violations.push({
          invariant: 5,
          message: `project|vintage ${key}: ${issued} issued, ${verified} verified`,
        });
    }
    return this.#violations;
  }
}

/** Where the check puts what it finds: its own list, or the caller's `report`. */
interface ViolationSink {
  push(violation: Violation): unknown;
}

/**
 * Appends to a map of lists in place: copying the list at every block (`[...list, item]`) made the
 * check quadratic in the blocks of a project, hours at a million blocks.
 */
function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** Invariant 1's other half: the serials held of each project are exactly those issued for it. */
function checkCoverage(
  held: ReadonlyMap<ProjectRef, SerialRange[]>,
  issued: ReadonlyMap<ProjectRef, SerialRange[]>,
  violations: ViolationSink,
): void {
  for (const project of new Set([...held.keys(), ...issued.keys()])) {
    const blocks = held.get(project) ?? [];
    const decided = normalise(issued.get(project) ?? []);
    const same =
      blocks.length === decided.length &&
      blocks.every((r, i) => r.first === decided[i]?.first && r.last === decided[i]?.last);
    if (!same)
      violations.push({
        invariant: 1,
        message: `blocks of ${project} do not cover exactly its issued serial ranges`,
      });
  }
}
