// The core run entirely in memory: decide, then apply with consecutive sequence numbers per chain.
// Used by unit tests to build states and check rejections without a database. Like the writer, it
// derives each entry's Article 6.2 actions from the state before the entry is applied.
import type { Action } from '../../src/core/article6/types.ts';
import { deriveActions } from '../../src/core/article6/derive-actions.ts';
import type { Actor } from '../../src/core/ledger/actor.ts';
import { apply } from '../../src/core/ledger/apply.ts';
import type { LedgerCommand } from '../../src/core/ledger/commands.ts';
import { decide } from '../../src/core/ledger/decide.ts';
import type { LedgerEvent } from '../../src/core/ledger/events.ts';
import { emptyState, type LedgerState } from '../../src/core/ledger/state.ts';
import type { Result } from '../../src/core/shared/result.ts';
import { chainOf } from '../../src/services/ledger-service.ts';

export class MemoryLedger {
  readonly state: LedgerState = emptyState();
  /** The Article 6.2 actions of every entry, in journal order. */
  readonly actions: Action[] = [];
  readonly #heads = new Map<string, bigint>();

  /** The time every entry carries unless a test sets another. */
  recordedAt = '2026-06-01T00:00:00.000Z';

  run(actor: Actor, command: LedgerCommand): Result<LedgerEvent> & { seq?: bigint } {
    const decided = decide(this.state, actor, command, this.recordedAt);
    if (!decided.ok) return decided;
    const chain = chainOf(command);
    const seq = (this.#heads.get(chain) ?? 0n) + 1n;
    this.#heads.set(chain, seq);
    const entry = { chain, seq };
    this.actions.push(...deriveActions(this.state, decided.value, entry, this.recordedAt));
    apply(this.state, decided.value, entry);
    return { ...decided, seq };
  }
}
