// One run of a scripted demo: its clock (each action on its scripted day, a second after the
// previous one), its step counter (which makes the idempotency keys, so a second run is a replay),
// its counts, and the steps every demo takes: a ledger command, a cycle action and a Joint
// Committee decision proposed, confirmed where the rulebook asks it, and adopted.
import type { Actor } from '../core/ledger/actor.ts';
import type { ActionDone } from './cycle-writes.ts';
import { demoDocument } from './demo-data.ts';
import type { CommandInput, CommandName } from './ledger-schemas.ts';
import type { ClockedWrites, Platform } from './platform.ts';

export interface DemoRunOptions {
  /** `demo` for the India demo (`demo-1`, ...), `demo-id` for Indonesia's, and so on. */
  readonly keyPrefix: string;
  /** What a refusal names (`demo`, `demo ID`). */
  readonly name: string;
  /** The hour of the day the run's actions take place (two runs do not share instants). */
  readonly hour: string;
  readonly admin: Actor;
  /** Who proposes, confirms and adopts the run's Joint Committee decisions. */
  readonly decisions: DecisionActors;
}

/** Who takes part in a Joint Committee decision of the demo. */
export interface DecisionActors {
  readonly secretariat: Actor;
  readonly jointCommittee: Actor;
  /** The governments that confirm it first, where the rulebook asks their prior confirmation. */
  readonly confirmers: readonly Actor[];
}

export class DemoRun {
  instant = '2025-08-01T09:00:00.000Z';
  private tick = 0;
  private step = 0;
  readonly counts = { ledger: 0, cycle: 0 };
  readonly writes: ClockedWrites;

  constructor(
    readonly platform: Platform,
    private readonly options: DemoRunOptions,
  ) {
    this.writes = platform.withClock(() => {
      this.tick += 1;
      const second = String(this.tick % 60).padStart(2, '0');
      return this.instant.replace(/T.*$/, `T${options.hour}:00:${second}.000Z`);
    });
  }

  /** Moves the run's clock to a scripted day. */
  on(day: string): void {
    this.instant = `${day}T${this.options.hour}:00:00.000Z`;
  }

  key(): string {
    this.step += 1;
    return `${this.options.keyPrefix}-${this.step}`;
  }

  refused(what: string, error: { code: string; message: string }): never {
    throw new Error(
      `${this.options.name} step ${this.step} (${what}) was refused: ${error.code}: ${error.message}`,
    );
  }

  async ledger(name: CommandName, input: CommandInput, actor?: Actor): Promise<void> {
    const result = await this.platform.ledger.execute(name, {
      actor: actor ?? this.options.admin,
      idempotencyKey: this.key(),
      input,
    });
    if (!result.ok) this.refused(name, result.error);
    if (!result.value.replayed) this.counts.ledger += 1;
  }

  async act(
    day: string,
    actor: Actor,
    action: string,
    input: Record<string, unknown>,
  ): Promise<ActionDone> {
    const idempotencyKey = this.key();
    this.on(day);
    const result = await this.writes.cycle.act(action, { actor, idempotencyKey, input });
    if (!result.ok) this.refused(action, result.error);
    this.counts.cycle += 1;
    return result.value;
  }

  /** Proposes, confirms (where asked) and adopts a Joint Committee decision; its id. */
  async decide(
    day: string,
    item: string,
    action: string,
    text: string,
    extra: Record<string, unknown> = {},
  ): Promise<string> {
    const who = this.options.decisions;
    const proposed = await this.act(day, who.secretariat, 'propose_decision', {
      subject: { item, action, text },
      ...extra,
      documents: [demoDocument('decision_text', text)],
    });
    for (const government of who.confirmers)
      await this.act(day, government, 'confirm_decision', { item: proposed.item });
    await this.act(day, who.jointCommittee, 'adopt_decision', {
      item: proposed.item,
      method: 'electronic',
    });
    return proposed.item;
  }
}
