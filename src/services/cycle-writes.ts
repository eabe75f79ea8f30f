// The project cycle's writes on the one pipeline: the envelope parsed into a typed action
// (cycle-input.ts), its context loaded under lock (db/cycle-store.ts), the transition decided in the
// core (core/cycle/decide.ts) and written in the same transaction, with the ledger's record of a
// Joint Committee issuance decision when there is one. Refusals change nothing, documents included.
import type { CycleDecision } from '../core/cycle/decide.ts';
import { decideCycleAction } from '../core/cycle/decide.ts';
import type { Machine } from '../core/cycle/definition.ts';
import type { ServedActivities } from '../core/cycle/rulebook.ts';
import type { Transition } from '../core/cycle/transition.ts';
import type { Actor } from '../core/ledger/actor.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import { ccsSectoralScope } from '../core/cycle/ccs-periods.ts';
import type { CycleContext } from '../core/cycle/context.ts';
import { duplicatesRaised, type RaisedFlag } from '../core/cycle/double-counting.ts';
import { doubleCountingFacts, insertFlags } from '../db/double-counting-store.ts';
import type { Db, Tx } from '../db/connect.ts';
import type { CycleStore } from '../db/cycle-store.ts';
import type { PartnershipQueries } from '../db/partnership-store.ts';
import { insertMethodologyEntry } from '../db/methodology-entries.ts';
import { parseCycleAction, type ParsedCycleAction } from './cycle-input.ts';
import { adoptedEntry } from './methodology-adoption.ts';
import { reserveShareOf, type LedgerService, type ReserveShare } from './ledger-service.ts';
import type { MethodologyCatalogue } from './methodology-catalogue.ts';
import type {
  Persisted,
  WriteContext,
  WriteEnvelope,
  WriteFamily,
  WritePipeline,
  Outcome,
} from './write-pipeline.ts';

export interface ActionDone {
  readonly item: string;
  readonly machine: Machine;
  readonly from: string | null;
  readonly to: string;
  readonly due: Transition['due'];
  readonly reference: string | null;
  /** The item's version after the action: how many actions it has seen. */
  readonly version: number;
}

/** A decided action, with the possible duplicates a registration request raises. */
type Decided = CycleDecision & { readonly duplicates: readonly RaisedFlag[] };

interface CycleInput {
  readonly action: string;
  readonly envelope: unknown;
}

export class CycleWrites {
  private readonly family: WriteFamily<ParsedCycleAction, CycleContext, Decided, ActionDone>;

  constructor(
    private readonly pipeline: WritePipeline,
    store: CycleStore,
    ledger: LedgerService,
    methodologies: MethodologyCatalogue,
    db: Db,
    partnerships: PartnershipQueries,
  ) {
    this.family = {
      name: 'cycle',
      keyRequired: true,
      parse: async (input) => {
        // Entries adopted since the catalogue last looked (another process may have adopted them)
        // must be known to the guards: read before the transaction, never inside it.
        await methodologies.refresh();
        const { action, envelope } = input as CycleInput;
        return parseCycleAction(action, envelope, {
          methodologies,
          projectMethodology: (of) => store.projectMethodology(db, of),
          partnershipKnown: async (code) => (await partnerships.get(code)) !== null,
          itemPartnership: (id) => store.itemPartnership(db, id),
          listedActivities: (code) => store.listedActivities(code),
        });
      },
      load: async (tx, parsed, _actor, ctx) => {
        const loaded = await store.load(tx, parsed.action, ctx.now);
        return {
          ...loaded,
          servedActivities: servedActivitiesOf(methodologies),
          ccsMethodologies: ccsMethodologiesOf(methodologies),
          doubleCounting: await doubleCountingFacts(tx, parsed.action, loaded),
        };
      },
      decide: (state, parsed, actor) => {
        const decided = decideCycleAction(state, parsed.action, actor);
        return decided.ok
          ? ok({ ...decided.value, duplicates: duplicatesRaised(state, parsed.action) })
          : decided;
      },
      persist: (tx, decision, parsed, actor, ctx) =>
        persist(tx, store, ledger, methodologies, decision, parsed, actor, ctx),
    };
  }

  /** Takes one action of the cycle (`envelope.input` is the action's envelope). */
  act(action: string, envelope: WriteEnvelope): Promise<Outcome<ActionDone>> {
    return this.pipeline.run(this.family, {
      ...envelope,
      input: { action, envelope: envelope.input } satisfies CycleInput,
    });
  }
}

/**
 * What each catalogue methodology serves of the partners' eligible-activity lists, for the
 * `activity_eligible` guard: read from the catalogue on the server, never from the request.
 */
function servedActivitiesOf(
  catalogue: MethodologyCatalogue,
): ReadonlyMap<string, ServedActivities> {
  const served = new Map<string, ServedActivities>();
  for (const { id } of catalogue.list()) {
    for (const version of catalogue.versions(id)) {
      const methodology = catalogue.get(id, version);
      if (methodology !== undefined)
        served.set(`${id}@${version}`, methodology.file.eligible_activities);
    }
  }
  return served;
}

/** The catalogue's CCS and CCUS methodologies (`{id}@{version}`), for the `ccs_periods_fit` guard. */
function ccsMethodologiesOf(catalogue: MethodologyCatalogue): ReadonlySet<string> {
  const ccs = new Set<string>();
  for (const { id } of catalogue.list())
    for (const version of catalogue.versions(id))
      if (catalogue.get(id, version)?.file.sectoral_scopes.includes(ccsSectoralScope))
        ccs.add(`${id}@${version}`);
  return ccs;
}

async function persist(
  tx: Tx,
  store: CycleStore,
  ledger: LedgerService,
  methodologies: MethodologyCatalogue,
  decision: Decided,
  parsed: ParsedCycleAction,
  actor: Actor,
  ctx: WriteContext,
): Promise<Result<Persisted<ActionDone>>> {
  const record = decision.effects.ledger;
  if (record !== null) {
    // The ledger records the decision first, in this same transaction: both commit or neither does,
    // and a refusal of the ledger comes before any document is written. The reserve share (CCS) is
    // the one of the stored project's methodology in the catalogue; each registry sets its lines'
    // reserve aside when it issues them.
    const reserveShare = reserveShareFor(methodologies, record.methodology);
    if (!reserveShare.ok) return reserveShare;
    const recorded = await ledger.executeWithin(
      tx,
      'record_issuance_decision',
      {
        actor,
        idempotencyKey: `cycle-${decision.id}-decide-issuance`,
        input: {
          decision: record.decision,
          project: record.project,
          verification: {
            reference: record.verification.reference,
            reductions: record.verification.reductions.map((r) => ({ ...r })),
          },
          lines: record.lines.map((l) => ({
            registry: l.registry,
            account: l.account,
            vintage: l.vintage,
            quantity: l.quantity,
          })),
        },
      },
      null,
      reserveShare.value,
    );
    if (!recorded.ok) return recorded;
  }
  const entry = decision.effects.catalogueEntry;
  if (entry !== null) {
    // The approved proposal's file becomes its catalogue entry, in this same transaction.
    const adopted = adoptedEntry(entry, await store.documentBytes(entry.fileSha256));
    if (!adopted.ok) return adopted;
    await insertMethodologyEntry(tx, adopted.value);
  }
  await store.persist(tx, decision, parsed.action, parsed.files, actor, ctx.now, ctx.dryRun);
  // The possible duplicates await the secretariat's conclusion (register_project waits for it).
  await insertFlags(tx, decision.id, decision.duplicates, ctx.now);
  const answer: ActionDone = {
    item: decision.id,
    machine: decision.machine,
    from: decision.transition.from,
    to: decision.transition.to,
    due: decision.transition.due,
    reference: decision.reference,
    version: decision.version,
  };
  return ok({ answer, outbox: messagesOf(decision, answer, actor, ctx.now) });
}

/** What leaves after the commit: the transition, and each possible duplicate flagged. */
function messagesOf(decision: Decided, answer: ActionDone, actor: Actor, now: string) {
  return [
    {
      topic: 'cycle.transition',
      payload: { ...answer, action: decision.transition.rule.action, actor: actor.id, at: now },
    },
    ...decision.duplicates.map((d) => ({
      topic: 'cycle.duplicate_flagged',
      payload: { item: decision.id, other: d.other, at: now },
    })),
  ];
}

/**
 * The reserve share (CCS) of the stored project's methodology in the catalogue. A methodology the
 * catalogue no longer serves is refused: an issuance never goes out with a share of none.
 */
function reserveShareFor(
  methodologies: MethodologyCatalogue,
  methodology: { readonly id: string; readonly version: string } | null,
): Result<ReserveShare | null> {
  if (methodology === null) return ok(null);
  const applied = methodologies.get(methodology.id, methodology.version);
  if (applied === undefined)
    return reject(
      'methodology_not_found',
      `${methodology.id} v${methodology.version}, the project's methodology, is not in the catalogue`,
    );
  return ok(reserveShareOf(applied.reserveShare.toFixed()));
}
