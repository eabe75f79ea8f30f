// Builds a registry of a given number of blocks THROUGH THE REAL WRITE PATH (the ledger service and
// its writer, many commands in flight so that the writer batches them), for `npm run bench:scale`
// and the audit's long-chain test. Nothing is written around the journal.
//
// The shape, for B blocks in A holding accounts (project IN001, vintage 2027; the project itself is
// registered in the cycle by bench/scale-project.ts), in one registry (JP) or spread over several
// (JP, IN: each its own journal chain, so that the writer's batches of one chain overlap the other's
// on a second core; decision d allocates its lines to registry d mod R):
//  1. A accounts opened, A/R in each registry;
//  2. B/2 blocks of 2 credits issued, by `linesPerDecision` (100, the most a decision takes) lines per issuance decision;
//  3. B/2 partial transfers, each moving the first serial of an issued block (so it splits): the
//     first `bigBlocks` of each registry to its "big" account (JP-000004, IN-000004), the others to the next account;
//  4. whole-block transfers (a one-serial range, so nothing splits) of the blocks left behind, from
//     account to account, round after round, up to ~`entriesPerBlock` journal entries per block;
//  5. B/20 retirements of whole one-serial blocks.
// Every command has a key derived from its place in the build, so a build run again over the same
// database is answered from the idempotency records instead of writing twice (resumable).
import type { Actor } from '../src/core/ledger/actor.ts';
import type { Platform } from '../src/services/platform.ts';
import {
  commandSchemas,
  type CommandInput,
  type CommandName,
} from '../src/services/ledger-schemas.ts';

export interface ScaleShape {
  readonly blocks: number;
  readonly accounts: number;
  readonly entriesPerBlock: number;
  /** Blocks each registry's big account (JP-000004, IN-000004) ends with, about. */
  readonly bigBlocks: number;
  readonly inFlight: number;
  readonly linesPerDecision: number;
  /** The registries the blocks are spread over, JP first (its own chain each). */
  readonly registries: readonly string[];
}

export interface PhaseFigure {
  readonly phase: string;
  readonly entries: number;
  readonly refused: number;
  readonly seconds: number;
}

export const project = 'IN001';
const actor: Actor = { id: 'bench-scale', roles: [{ kind: 'administrator' }] };

export function shapeFor(blocks: number, overrides: Partial<ScaleShape> = {}): ScaleShape {
  const even = Math.max(4, blocks - (blocks % 2));
  return {
    blocks: even,
    accounts: Math.min(10_000, Math.max(8, Math.floor(even / 100))),
    entriesPerBlock: 10,
    bigBlocks: Math.min(100_000, Math.floor(even / 10)),
    inFlight: 256,
    linesPerDecision: 100,
    registries: ['JP'],
    ...overrides,
  };
}

/** The holding accounts opened in each registry: `accounts` shared out, the remainder not opened. */
export function accountsPerRegistry(shape: ScaleShape): number {
  return Math.floor(shape.accounts / shape.registries.length);
}

export function accountId(i: number, registry = 'JP'): string {
  return `${registry}-${String(4 + i).padStart(6, '0')}`;
}

/** The serials of issued block k: decision d = k / lines covers 2·lines serials from 2·lines·d + 1. */
export function issuedSerial(k: number): number {
  return 2 * k + 1;
}

async function execute(
  platform: Platform,
  name: CommandName,
  input: Record<string, unknown>,
  key: string,
): Promise<boolean> {
  const result = await platform.ledger.execute(name, {
    actor,
    idempotencyKey: `scale-${key}`,
    input: commandSchemas[name].parse(input) as CommandInput,
  });
  if (!result.ok && process.env['BENCH_VERBOSE'] === '1')
    console.error(`${name} ${key}: ${result.error.code} ${result.error.message}`);
  return result.ok;
}

/** Runs `count` commands with at most `inFlight` of them waiting at once; returns how many were refused. */
async function inParallel(
  count: number,
  inFlight: number,
  command: (i: number) => Promise<boolean>,
): Promise<number> {
  let next = 0;
  let refused = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, count) }, async () => {
      while (next < count) {
        const i = next++;
        if (!(await command(i))) refused++;
      }
    }),
  );
  return refused;
}

/** Builds the registry; `report` hears each phase's figures as it ends. */
export async function buildScale(
  platform: Platform,
  shape: ScaleShape,
  report: (figure: PhaseFigure) => void = () => undefined,
  afterPhase: () => Promise<void> = async () => undefined,
): Promise<PhaseFigure[]> {
  const figures: PhaseFigure[] = [];
  const phase = async (
    name: string,
    count: number,
    command: (i: number) => Promise<boolean>,
    inFlight = shape.inFlight,
  ) => {
    const started = performance.now();
    const refused = await inParallel(count, inFlight, command);
    const figure = {
      phase: name,
      entries: count - refused,
      refused,
      seconds: (performance.now() - started) / 1000,
    };
    figures.push(figure);
    report(figure);
    await afterPhase();
  };
  const { linesPerDecision, registries } = shape;
  const issued = shape.blocks / 2;
  const decisions = Math.ceil(issued / linesPerDecision);
  const accounts = accountsPerRegistry(shape);
  // JP first: bench:scale and the audit's test read JP's accounts and chain; holders go round 1..A/R - 1.
  if (registries[0] !== 'JP' || accounts < 2)
    throw new Error(
      `scale shape: registries JP first, at least 2 accounts each (${registries.join()})`,
    );
  // Block k's registry, and its holder's number there.
  const registryOf = (k: number) =>
    registries[Math.floor(k / linesPerDecision) % registries.length] ?? 'JP';
  const owner = new Int32Array(issued);
  for (let k = 0; k < issued; k++) owner[k] = 1 + (k % (accounts - 1));
  const holder = (k: number) => accountId(owner[k] ?? 1, registryOf(k));
  const names: Record<string, string> = { JP: "Japan's registry", IN: "India's registry" };
  // The project's host registry (IN) must be open for its decisions.
  const opened = new Set(['JP', 'IN', ...registries]);
  for (const registry of opened)
    await execute(
      platform,
      'open_registry',
      { registry, name: names[registry] ?? `Registry ${registry}` },
      registry.toLowerCase(),
    );
  await phase('open accounts', accounts * registries.length, (i) =>
    execute(
      platform,
      'open_account',
      {
        registry: registries[i % registries.length],
        accountType: 'holding',
        holderId: `h${i}`,
        holderName: `Holder ${i}`,
      },
      `account-${i}`,
    ),
  );
  // One after the other: each decision's serial range starts where the one before ends.
  await phase(
    'issuance decisions',
    decisions,
    (d) => {
      const lines = Math.min(linesPerDecision, issued - d * linesPerDecision);
      return execute(
        platform,
        'record_issuance_decision',
        {
          decision: `SCALE-${d + 1}`,
          project,
          verification: {
            reference: `SCALE-V${d + 1}`,
            reductions: [{ vintage: 2027, quantity: String(2 * lines) }],
          },
          lines: Array.from({ length: lines }, (_, l) => ({
            registry: registryOf(d * linesPerDecision + l),
            account: holder(d * linesPerDecision + l),
            vintage: 2027,
            quantity: '2',
          })),
          serialFirst: String(issuedSerial(d * linesPerDecision)),
        },
        `decision-${d}`,
      );
    },
    1,
  );
  await phase('issuances', issued, (k) =>
    execute(
      platform,
      'issue',
      {
        registry: registryOf(k),
        decision: `SCALE-${Math.floor(k / linesPerDecision) + 1}`,
        line: (k % linesPerDecision) + 1,
      },
      `issue-${k}`,
    ),
  );
  const one = (k: number, offset: number) => ({
    ranges: [
      { project, first: String(issuedSerial(k) + offset), last: String(issuedSerial(k) + offset) },
    ],
  });
  // Each registry's first `bigBlocks` blocks (about): blocks alternate between registries by decision.
  const big = shape.bigBlocks * registries.length;
  await phase('partial transfers (splits)', issued, (k) =>
    execute(
      platform,
      'transfer',
      {
        from: holder(k),
        to: accountId(k < big ? 0 : 1 + ((k + 1) % (accounts - 1)), registryOf(k)),
        selection: one(k, 0),
      },
      `split-${k}`,
    ),
  );
  // Whole one-serial blocks (the second serial of each issued block) go round the accounts.
  const retirements = Math.floor(shape.blocks / 20);
  const spent = opened.size + accounts * registries.length + decisions + 2 * issued + retirements;
  const moves = Math.max(0, shape.entriesPerBlock * shape.blocks - spent);
  const rounds = Math.ceil(moves / issued);
  for (let r = 0; r < rounds; r++) {
    const count = Math.min(issued, moves - r * issued);
    await phase(`whole-block transfers, round ${r + 1}`, count, async (k) => {
      const from = owner[k] ?? 1;
      const to = 1 + (from % (accounts - 1));
      const moved = await execute(
        platform,
        'transfer',
        {
          from: accountId(from, registryOf(k)),
          to: accountId(to, registryOf(k)),
          selection: one(k, 1),
        },
        `move-${r}-${k}`,
      );
      if (moved) owner[k] = to;
      return moved;
    });
  }
  await phase('retirements', retirements, (i) => {
    const k = issued - 1 - i;
    return execute(
      platform,
      'retire',
      {
        from: holder(k),
        selection: one(k, 1),
        purpose: 'voluntary_offsetting',
        beneficiary: `Beneficiary ${i % 1000}`,
        note: 'bench:scale',
      },
      `retire-${i}`,
    );
  });
  return figures;
}
