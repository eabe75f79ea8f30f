// A deliberately simple reference model of one deployment's registries, written apart from the core:
// it tracks the owner of every single serial number and re-states the rules and their precedence in
// the most direct way. The model-based test runs the same commands here and on the real stack.

export interface ModelAccount {
  readonly id: string;
  readonly registry: string;
  readonly type: 'holding' | 'government_holding' | 'retirement' | 'cancellation' | 'reserve';
  status: 'open' | 'frozen';
}

export interface ModelLine {
  readonly registry: string;
  readonly account: string;
  readonly vintage: number;
  readonly quantity: number;
}

export type Outcome = 'accepted' | string;

const tradable = new Set(['holding', 'government_holding']);

export class ReferenceModel {
  readonly accounts = new Map<string, ModelAccount>();
  /** `${project}:${serial}` -> owner and vintage. */
  readonly serials = new Map<
    string,
    { account: string; vintage: number; project: string; serial: number }
  >();
  readonly nextSerial = new Map<string, number>();
  readonly decisions = new Map<
    string,
    { project: string; lines: (ModelLine & { first: number })[]; issued: Set<number> }
  >();
  /** What the last accepted movement moved, for the test to file under the entry the stack gave it. */
  lastMove: { from: string; to: string; serials: string[] } | undefined;
  /** Journal entries by `${chain}#${seq}`: movements with what they moved, and everything else. */
  readonly entries = new Map<
    string,
    { kind: string; from?: string; to?: string; serials?: string[]; reversed?: boolean }
  >();

  /** Files an accepted command under the journal entry the real stack assigned to it. */
  recordEntry(chain: string, seq: bigint, kind: string): void {
    const moves = ['transfer', 'reservation', 'release', 'retirement', 'cancellation', 'reversal'];
    const move = moves.includes(kind) ? this.lastMove : undefined;
    this.entries.set(
      `${chain}#${seq}`,
      move === undefined ? { kind } : { kind, ...move, reversed: false },
    );
  }

  /** Reverses a transfer, reservation or release: its credits go back the way they came. */
  reverse(chain: string, seq: bigint): Outcome {
    const entry = this.entries.get(`${chain}#${seq}`);
    if (entry === undefined) return 'journal_entry_not_found';
    if (!['transfer', 'reservation', 'release'].includes(entry.kind))
      return 'journal_entry_not_reversible';
    if (entry.reversed === true) return 'journal_entry_already_reversed';
    const from = this.accounts.get(entry.to ?? '');
    const to = this.accounts.get(entry.from ?? '');
    if (from === undefined || to === undefined) return 'account_not_found';
    if (from.status === 'frozen') return 'source_account_frozen';
    if (to.status === 'frozen') return 'destination_account_frozen';
    const serials = (entry.serials ?? []).map((key) => this.serials.get(key));
    if (serials.some((s) => s === undefined || s.account !== from.id))
      return 'reversal_credits_no_longer_held';
    for (const s of serials) if (s !== undefined) s.account = to.id;
    entry.reversed = true;
    this.lastMove = { from: from.id, to: to.id, serials: entry.serials ?? [] };
    return 'accepted';
  }

  addAccount(account: ModelAccount): void {
    this.accounts.set(account.id, account);
  }

  holdings(account: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of this.serials.values())
      if (s.account === account)
        out.set(`${s.project}|${s.vintage}`, (out.get(`${s.project}|${s.vintage}`) ?? 0) + 1);
    return out;
  }

  private owned(account: string, project?: string) {
    return [...this.serials.values()]
      .filter((s) => s.account === account && (project === undefined || s.project === project))
      .sort((a, b) =>
        a.project < b.project
          ? -1
          : a.project > b.project
            ? 1
            : a.vintage - b.vintage || a.serial - b.serial,
      );
  }

  private move(
    fromId: string,
    toId: string,
    senders: ReadonlySet<string>,
    receivers: ReadonlySet<string>,
    pick: { quantity: number } | { project: string; first: number; last: number },
    apply = true,
  ): Outcome {
    const from = this.accounts.get(fromId);
    const to = this.accounts.get(toId);
    if (from === undefined || to === undefined) return 'account_not_found';
    if (from.id === to.id) return 'accounts_must_be_different';
    if (from.registry !== to.registry) return 'accounts_must_be_in_same_registry';
    if (!senders.has(from.type)) return 'source_account_type_cannot_send';
    if (!receivers.has(to.type)) return 'destination_account_type_not_allowed';
    if (from.status === 'frozen') return 'source_account_frozen';
    if (to.status === 'frozen') return 'destination_account_frozen';
    let chosen;
    if ('quantity' in pick) {
      const owned = this.owned(from.id);
      if (owned.length < pick.quantity) return 'source_holds_insufficient_credits';
      chosen = owned.slice(0, pick.quantity);
    } else {
      chosen = [];
      for (let serial = pick.first; serial <= pick.last; serial++) {
        const s = this.serials.get(`${pick.project}:${serial}`);
        if (s === undefined || s.account !== from.id) return 'serial_range_not_held_by_account';
        chosen.push(s);
      }
    }
    if (!apply) return 'accepted';
    for (const s of chosen) s.account = to.id;
    this.lastMove = {
      from: from.id,
      to: to.id,
      serials: chosen.map((c) => `${c.project}:${c.serial}`),
    };
    return 'accepted';
  }

  transfer(
    from: string,
    to: string,
    pick: { quantity: number } | { project: string; first: number; last: number },
    approved = false,
  ): Outcome {
    if ('quantity' in pick && pick.quantity <= 0) return 'quantity_must_be_positive';
    // Out of a government account only with a second approver: everything else is checked first,
    // and without the approval nothing moves.
    if (!approved && this.accounts.get(from)?.type === 'government_holding') {
      const outcome = this.move(from, to, tradable, tradable, pick, false);
      return outcome === 'accepted' ? 'transfer_needs_second_approver' : outcome;
    }
    return this.move(from, to, tradable, tradable, pick);
  }

  /** retire, cancel or reserve: into the registry's system account of that kind. */
  toSystem(
    kind: 'retirement' | 'cancellation' | 'reserve',
    from: string,
    quantity: number,
  ): Outcome {
    if (quantity <= 0) return 'quantity_must_be_positive';
    const source = this.accounts.get(from);
    if (source === undefined) return 'account_not_found';
    const target = [...this.accounts.values()].find(
      (a) => a.registry === source.registry && a.type === kind,
    );
    const senders = kind === 'cancellation' ? new Set([...tradable, 'reserve']) : tradable;
    return this.move(from, target?.id ?? '', senders, new Set([kind]), { quantity });
  }

  release(to: string, quantity: number): Outcome {
    if (quantity <= 0) return 'quantity_must_be_positive';
    const target = this.accounts.get(to);
    if (target === undefined) return 'account_not_found';
    const reserve = [...this.accounts.values()].find(
      (a) => a.registry === target.registry && a.type === 'reserve',
    );
    return this.move(reserve?.id ?? '', to, new Set(['reserve']), tradable, { quantity });
  }

  setFrozen(id: string, frozen: boolean): Outcome {
    const account = this.accounts.get(id);
    if (account === undefined) return 'account_not_found';
    if (!tradable.has(account.type)) return 'account_is_system_account';
    if (frozen && account.status === 'frozen') return 'account_already_frozen';
    if (!frozen && account.status !== 'frozen') return 'account_not_frozen';
    account.status = frozen ? 'frozen' : 'open';
    return 'accepted';
  }

  recordDecision(id: string, project: string, lines: readonly ModelLine[]): Outcome {
    const sorted = lines
      .map((line, index) => ({ line, index }))
      .sort((a, b) => a.line.vintage - b.line.vintage || a.index - b.index);
    let next = (this.nextSerial.get(project) ?? 0) + 1;
    const placed = sorted.map(({ line }) => {
      const first = next;
      next += line.quantity;
      return { ...line, first };
    });
    this.nextSerial.set(project, next - 1);
    this.decisions.set(id, { project, lines: placed, issued: new Set() });
    return 'accepted';
  }

  issue(decisionId: string, lineNo: number): Outcome {
    const decision = this.decisions.get(decisionId);
    const line = decision?.lines[lineNo - 1];
    if (decision === undefined || line === undefined) return 'allocation_line_not_found';
    if (decision.issued.has(lineNo)) return 'allocation_line_already_issued';
    if (this.accounts.get(line.account)?.status === 'frozen') return 'destination_account_frozen';
    decision.issued.add(lineNo);
    for (let serial = line.first; serial < line.first + line.quantity; serial++) {
      this.serials.set(`${decision.project}:${serial}`, {
        account: line.account,
        vintage: line.vintage,
        project: decision.project,
        serial,
      });
    }
    return 'accepted';
  }
}
