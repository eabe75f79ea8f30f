// The audit's record of violations, bounded whatever the database holds: for each kind of check, the
// number of violations found and the first hundred of them. A million bad rows cost a count, not a
// million messages (SQL checks count in the database and send back at most a hundred rows).
import type { Violation } from '../core/ledger/invariants.ts';
import { assert } from '../core/shared/assert.ts';

/** Examples kept of each kind of violation; the rest are only counted. */
export const examplesPerKindMax = 100;

/** A violation with the kind of check that found it (`journal_columns`, `sql_invariant_1`...). */
export interface KindedViolation extends Violation {
  readonly kind: string;
}

export interface ViolationKindCount {
  readonly kind: string;
  readonly invariant: Violation['invariant'];
  readonly count: number;
}

interface Kind {
  invariant: Violation['invariant'];
  count: number;
  readonly examples: KindedViolation[];
}

export class ViolationLog {
  private readonly kinds = new Map<string, Kind>();

  private kind(name: string, invariant: Violation['invariant']): Kind {
    let kind = this.kinds.get(name);
    if (kind === undefined) {
      kind = { invariant, count: 0, examples: [] };
      this.kinds.set(name, kind);
    }
    return kind;
  }

  /** One violation found. */
  add(name: string, violation: Violation): void {
    const kind = this.kind(name, violation.invariant);
    kind.count += 1;
    if (kind.examples.length < examplesPerKindMax) kind.examples.push({ kind: name, ...violation });
  }

  /** Violations counted elsewhere (in SQL), with some of them as examples. */
  addCounted(
    name: string,
    invariant: Violation['invariant'],
    count: number,
    examples: readonly Violation[],
  ): void {
    assert(count >= examples.length, `${name}: ${count} violations counted, more shown`);
    if (count === 0) return;
    const kind = this.kind(name, invariant);
    kind.count += count;
    for (const example of examples) {
      if (kind.examples.length >= examplesPerKindMax) break;
      kind.examples.push({ kind: name, ...example });
    }
  }

  get count(): number {
    let total = 0;
    for (const kind of this.kinds.values()) total += kind.count;
    return total;
  }

  /** The examples, kind after kind in the order they were first found, and the counts. */
  summary(): { violations: KindedViolation[]; kinds: ViolationKindCount[] } {
    const violations: KindedViolation[] = [];
    const kinds: ViolationKindCount[] = [];
    for (const [name, kind] of this.kinds) {
      for (const example of kind.examples) violations.push(example);
      kinds.push({ kind: name, invariant: kind.invariant, count: kind.count });
    }
    assert(violations.length <= kinds.length * examplesPerKindMax, 'examples are bounded');
    return { violations, kinds };
  }
}
