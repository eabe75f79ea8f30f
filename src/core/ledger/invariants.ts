// Whole-state checks of SPEC section 6's invariants 1, 2, 4 and 5 over an in-memory ledger (after a
// replay, or after every step of a model-based test). Invariants 3 and 6 concern history, so they are
// asserted by `apply` while replaying and re-checked in SQL by the audit.
import type { ProjectRef } from '../shared/ids.ts';
import { normalise, rangeSize, sortRanges, type SerialRange } from './serial-range.ts';
import type { LedgerState } from './state.ts';
import { lineKey } from './types.ts';

export interface Violation {
  readonly invariant: 1 | 2 | 3 | 4 | 5 | 6;
  readonly message: string;
}

export function checkInvariants(state: LedgerState): Violation[] {
  const violations: Violation[] = [];
  const byProject = new Map<ProjectRef, SerialRange[]>();
  const heldByRegistry = new Map<string, bigint>();
  for (const block of state.blocks.values()) {
    if (block.serials.first > block.serials.last || block.serials.first < 1n) {
      violations.push({
        invariant: 4,
        message: `block ${block.project} ${block.serials.first}-${block.serials.last} is empty or negative`,
      });
    }
    const account = state.accounts.get(block.account);
    if (account === undefined || account.registry !== block.registry) {
      violations.push({
        invariant: 2,
        message: `block ${block.project} ${block.serials.first} sits in unknown account ${block.account}`,
      });
    } else if (account.status === 'closed') {
      violations.push({ invariant: 4, message: `closed account ${account.id} holds credits` });
    }
    appendTo(byProject, block.project, block.serials);
    const key = `${block.registry}|${block.project}|${block.vintage}`;
    heldByRegistry.set(key, (heldByRegistry.get(key) ?? 0n) + rangeSize(block.serials));
  }
  const issuedByRegistry = new Map<string, bigint>();
  const issuedRanges = new Map<ProjectRef, SerialRange[]>();
  const issuedByVintage = new Map<string, bigint>();
  const verifiedByVintage = new Map<string, bigint>();
  for (const decision of state.decisions.values()) {
    for (const reduction of decision.verifiedReductions) {
      const key = `${decision.project}|${reduction.vintage}`;
      verifiedByVintage.set(key, (verifiedByVintage.get(key) ?? 0n) + reduction.quantity);
    }
    for (const line of decision.lines) {
      if (!state.issuedLines.has(lineKey(decision.id, line.lineNo))) continue;
      const key = `${line.registry}|${decision.project}|${line.vintage}`;
      issuedByRegistry.set(key, (issuedByRegistry.get(key) ?? 0n) + line.quantity);
      appendTo(issuedRanges, decision.project, line.serials);
      const vintageKey = `${decision.project}|${line.vintage}`;
      issuedByVintage.set(vintageKey, (issuedByVintage.get(vintageKey) ?? 0n) + line.quantity);
    }
  }
  checkCoverage(byProject, issuedRanges, violations);
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
  return violations;
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

/** Invariant 1: the blocks of a project cover exactly the serials issued for it, without overlap. */
function checkCoverage(
  byProject: ReadonlyMap<ProjectRef, SerialRange[]>,
  issued: ReadonlyMap<ProjectRef, SerialRange[]>,
  violations: Violation[],
): void {
  for (const project of new Set([...byProject.keys(), ...issued.keys()])) {
    const blocks = sortRanges(byProject.get(project) ?? []);
    for (let i = 1; i < blocks.length; i++) {
      if ((blocks[i] as SerialRange).first <= (blocks[i - 1] as SerialRange).last) {
        violations.push({
          invariant: 1,
          message: `blocks of ${project} overlap at serial ${(blocks[i] as SerialRange).first}`,
        });
      }
    }
    const held = normalise(blocks);
    const decided = normalise(issued.get(project) ?? []);
    const same =
      held.length === decided.length &&
      held.every((r, i) => r.first === decided[i]?.first && r.last === decided[i]?.last);
    if (!same)
      violations.push({
        invariant: 1,
        message: `blocks of ${project} do not cover exactly its issued serial ranges`,
      });
  }
}
