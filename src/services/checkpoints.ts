// Signed checkpoints (issue 16, point 3): each registry this deployment hosts signs its journal head
// and its totals (by account type, project and vintage) with the deployment's Ed25519 key, and
// publishes them at GET /api/v1/checkpoints. Making one is a write of the pipeline: parse (the
// registry must be hosted here, the actor an administrator); load the head locked with the totals
// and the last checkpoint, and the time read then; decide (core/federation/checkpoints.ts: a checkpoint that does not
// extend the last one is refused, not signed); persist: sign and store. `start` makes them on a
// timer while the server runs.
import { z } from 'zod';
import {
  checkpointText,
  decideCheckpoint,
  type Checkpoint,
  type SignedCheckpoint,
} from '../core/federation/checkpoints.ts';
import { isAdministrator, type Actor } from '../core/ledger/actor.ts';
import { parseRegistryId } from '../core/shared/ids.ts';
import { afterKey, pageLimit, mapPage, type Page, type PageRequest } from '../core/shared/page.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import type { Db } from '../db/connect.ts';
import {
  checkpointPage,
  checkpointSnapshot,
  insertCheckpoint,
  type CheckpointSnapshot,
  type StoredCheckpoint,
} from '../db/checkpoint-store.ts';
import type { Clock } from './clock.ts';
import type { FederationConfig } from './federation-config.ts';
import { federationNotConfigured } from './federation.ts';
import { signText } from './federation-signatures.ts';
import {
  deploymentIdSchema,
  entryHashSchema,
  int8TextSchema,
  registryIdSchema,
  sequenceSchema,
} from './federation-wire.ts';
import type { WriteFamily, WritePipeline } from './write-pipeline.ts';

/** A published checkpoint: its place in the list, the signed text, and the checkpoint it says. */
export interface PublishedCheckpoint extends SignedCheckpoint {
  readonly id: bigint;
  /** The exact text the signature covers. */
  readonly text: string;
}

/** Who makes the scheduled checkpoints (recorded with nothing else: a checkpoint has no author). */
export const checkpointActor: Actor = {
  id: 'system:checkpoints',
  roles: [{ kind: 'administrator' }],
};

/** A checkpoint's text as signed: canonical JSON, bigints as decimal strings. */
const checkpointSchema = z
  .object({
    version: z.literal(1),
    deployment: deploymentIdSchema,
    registry: registryIdSchema,
    at: z.string().datetime(),
    heads: z
      .array(
        z
          .object({
            chain: z.string().min(1).max(64),
            seq: sequenceSchema,
            hash: entryHashSchema,
          })
          .strict(),
      )
      .max(16),
    totals: z.array(
      z
        .object({
          accountType: z.string().min(1).max(64),
          project: z.string().min(1).max(64),
          vintage: z.number().int().min(1900).max(9999),
          quantity: int8TextSchema,
        })
        .strict(),
    ),
  })
  .strict();

/** The checkpoint a signed text says, or a refusal when the text is not one. */
export function checkpointFromText(text: string): Result<Checkpoint> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return reject('checkpoint_malformed', 'the checkpoint is not JSON');
  }
  const checked = checkpointSchema.safeParse(parsed);
  if (!checked.success)
    return reject(
      'checkpoint_malformed',
      `the checkpoint is not one: ${checked.error.issues[0]?.message ?? ''}`,
    );
  // Only the canonical text is the signed one: a reformatted copy is not accepted as it.
  if (checkpointText(checked.data) !== text)
    return reject('checkpoint_malformed', 'the checkpoint is not in its canonical form');
  return ok(checked.data);
}

function published(row: StoredCheckpoint): PublishedCheckpoint {
  const checkpoint = checkpointFromText(row.body);
  // The table is written only by persist below, from a checkpoint this code made.
  if (!checkpoint.ok)
    throw new Error(`checkpoint ${row.id} is not readable: ${checkpoint.error.message}`);
  return {
    id: row.id,
    checkpoint: checkpoint.value,
    text: row.body,
    keyId: row.keyId,
    publicKey: row.publicKey,
    signature: row.signature,
  };
}

export class Checkpoints {
  readonly #family: WriteFamily<
    string,
    CheckpointSnapshot & { readonly at: string },
    Checkpoint,
    PublishedCheckpoint
  >;
  #timer: ReturnType<typeof setInterval> | null = null;
  /** The scheduled run under way, if any: a slow one is not overlapped by the next. */
  #running: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly pipeline: WritePipeline,
    private readonly config: FederationConfig | null,
    private readonly clock: Clock,
  ) {
    this.#family = {
      name: 'checkpoint',
      keyRequired: false,
      parse: async (input, actor) => this.#parse(input, actor),
      // The time is read with the head locked, not when the write began (the pipeline's `now`): a
      // checkpoint's `at` is when its head was read, and two made at once are ordered alike by
      // `at` and by id (the second waits for the first's lock, then reads it as the last).
      load: async (tx, registry) => ({
        ...(await checkpointSnapshot(tx, registry)),
        at: this.clock(),
      }),
      decide: (state, registry) => {
        if (!state.registryExists) return reject('registry_not_found', `no registry ${registry}`);
        const previous = state.previous === undefined ? null : published(state.previous).checkpoint;
        return decideCheckpoint({
          deployment: this.#signing().self,
          registry,
          at: state.at,
          head: state.head,
          totals: state.totals,
          previous,
          hashAtPrevious: state.hashAtPrevious,
          hashAtHead: state.hashAtHead,
        });
      },
      persist: async (tx, checkpoint, _registry, _actor, ctx) => {
        const { keyId, privateKey, publicKey } = this.#signing();
        const text = checkpointText(checkpoint);
        // Never signed unless it reads back (a total out of the checkpoint's ranges, from a row
        // changed behind the ledger): the table keeps it for ever, and the list and every later
        // checkpoint read it.
        const readable = checkpointFromText(text);
        if (!readable.ok) return readable;
        // A dry run signs nothing: a signature handed out is a checkpoint, and one not kept here
        // is one no later checkpoint is checked against.
        if (ctx.dryRun)
          return ok({
            answer: { id: 0n, checkpoint, text, keyId, publicKey, signature: '' },
            outbox: [],
          });
        const signature = signText(text, privateKey);
        const head = checkpoint.heads[0];
        if (head === undefined) throw new Error('a checkpoint decided has a head');
        const id = await insertCheckpoint(tx, {
          registry: checkpoint.registry,
          deployment: checkpoint.deployment,
          at: checkpoint.at,
          head,
          body: text,
          keyId,
          publicKey,
          signature,
        });
        const answer = { id, checkpoint, text, keyId, publicKey, signature };
        return ok({
          answer,
          outbox: [
            { topic: 'checkpoint.published', payload: { registry: checkpoint.registry, id } },
          ],
        });
      },
    };
  }

  #signing(): FederationConfig {
    if (this.config === null)
      throw new Error('checked in parse: no signing key without JCM_FEDERATION');
    return this.config;
  }

  async #parse(input: unknown, actor: Actor): Promise<Result<string>> {
    if (this.config === null) return { ok: false, error: federationNotConfigured };
    // docs/errors.md's precedence: the values, then the registries named, then the actor's authority.
    const raw = (input as { registry?: unknown } | null)?.registry;
    const registry = parseRegistryId(typeof raw === 'string' ? raw : '');
    if (!registry.ok) return registry;
    if (!this.config.registries.includes(registry.value))
      return reject(
        'registry_not_hosted',
        `registry ${registry.value} is not hosted by deployment ${this.config.self}`,
      );
    if (!isAdministrator(actor))
      return reject('actor_not_authorised', 'administrators make checkpoints');
    return ok(registry.value);
  }

  /**
   * Signs and stores a checkpoint of one registry hosted here; a dry run answers the checkpoint it
   * would sign, unsigned (`signature` empty, `id` 0), or the refusal.
   */
  async publish(
    actor: Actor,
    registry: string,
    options: { readonly dryRun?: boolean | undefined } = {},
  ): Promise<Result<PublishedCheckpoint>> {
    return this.pipeline.run(this.#family, { actor, dryRun: options.dryRun, input: { registry } });
  }

  /**
   * A checkpoint of every registry hosted here that has entries; a registry with none yet is left
   * out. The first refusal of another kind is answered (the others are still made).
   */
  async publishAll(
    actor: Actor,
    options: { readonly dryRun?: boolean | undefined } = {},
  ): Promise<Result<PublishedCheckpoint[]>> {
    if (this.config === null) return { ok: false, error: federationNotConfigured };
    const made: PublishedCheckpoint[] = [];
    let refused: Result<PublishedCheckpoint[]> | null = null;
    for (const registry of this.config.registries) {
      const result = await this.publish(actor, registry, options);
      if (result.ok) made.push(result.value);
      else if (
        result.error.code !== 'checkpoint_nothing_to_sign' &&
        result.error.code !== 'registry_not_found'
      )
        refused ??= result;
    }
    return refused ?? ok(made);
  }

  /** The published checkpoints, oldest first; of one registry when `registry` is given. */
  async page(
    registry: string | undefined,
    request: PageRequest,
  ): Promise<Result<Page<PublishedCheckpoint>>> {
    if (registry !== undefined) {
      const id = parseRegistryId(registry);
      if (!id.ok) return id;
    }
    const after = afterKey(request, ['int']);
    if (!after.ok) return after;
    const page = await checkpointPage(this.db, registry, after.value, pageLimit(request));
    return ok(mapPage(page, published));
  }

  /**
   * Makes checkpoints every `everyMs` while the server runs (and once at start). A refusal is
   * reported to `report` (the server logs it): `checkpoint_does_not_extend` is an incident.
   */
  start(everyMs: number, report: (outcome: Result<PublishedCheckpoint[]>) => void): void {
    if (this.config === null || this.#timer !== null) return;
    const run = () => {
      this.#running ??= this.publishAll(checkpointActor)
        .then(report, (error: unknown) => report(reject('internal_error', String(error))))
        .finally(() => {
          this.#running = null;
        });
    };
    run();
    this.#timer = setInterval(run, everyMs);
    this.#timer.unref();
  }

  /** Stops the timer and waits for a run under way (before the database closes). */
  async stop(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }
}
