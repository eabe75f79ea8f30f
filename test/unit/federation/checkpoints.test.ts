// Signed checkpoints (core/federation/checkpoints.ts): the signed text does not depend on the order of
// heads and totals, a signature made over it verifies with real Ed25519 keys and fails on any change,
// and a registry's checkpoints must extend one another (no chain dropped, no head gone back, no
// history rewritten, checked against the journal's hashes when they are at hand).
import { sign, verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkpointsExtend,
  checkpointText,
  type Checkpoint,
} from '../../../src/core/federation/checkpoints.ts';
import { checkpointFromText } from '../../../src/services/checkpoints.ts';
import { newDeploymentKeyPair } from '../../../src/services/federation-signatures.ts';

const base: Checkpoint = {
  version: 1,
  deployment: 'in',
  registry: 'IN',
  at: '2026-12-01T00:00:00Z',
  heads: [
    { chain: 'IN', seq: 10n, hash: 'a'.repeat(64) },
    { chain: 'JC-IN', seq: 3n, hash: 'b'.repeat(64) },
  ],
  totals: [
    { accountType: 'holding', project: 'IN001', vintage: 2027, quantity: 150n },
    { accountType: 'retirement', project: 'IN001', vintage: 2027, quantity: 50n },
  ],
};
const later = (over: Partial<Checkpoint>): Checkpoint => ({
  ...base,
  at: '2026-12-02T00:00:00Z',
  ...over,
});

describe('signed checkpoints', () => {
  it('sign the same text whatever the order of heads and totals, and any change breaks it', () => {
    const keys = newDeploymentKeyPair();
    const text = checkpointText(base);
    const shuffled = {
      ...base,
      heads: [...base.heads].reverse(),
      totals: [...base.totals].reverse(),
    };
    expect(checkpointText(shuffled)).toBe(text);
    const signature = sign(null, Buffer.from(text), keys.privateKey);
    expect(verify(null, Buffer.from(checkpointText(shuffled)), keys.privateKey, signature)).toBe(
      true,
    );
    const altered = {
      ...base,
      totals: [{ ...(base.totals[0] as Checkpoint['totals'][0]), quantity: 151n }, base.totals[1]],
    } as Checkpoint;
    expect(verify(null, Buffer.from(checkpointText(altered)), keys.privateKey, signature)).toBe(
      false,
    );
  });

  it('extend one another when heads only move on', () => {
    const next = later({
      heads: [{ chain: 'IN', seq: 12n, hash: 'c'.repeat(64) }, base.heads[1]!],
    });
    expect(checkpointsExtend([next, base])).toEqual([]);
  });

  it('name a dropped chain, a head gone back and a rewritten entry', () => {
    const dropped = later({ heads: [base.heads[0]!] });
    expect(checkpointsExtend([base, dropped]).map((d) => d.kind)).toEqual([
      'checkpoint_chain_missing',
    ]);
    const back = later({ heads: [{ chain: 'IN', seq: 9n, hash: 'c'.repeat(64) }, base.heads[1]!] });
    expect(checkpointsExtend([base, back]).map((d) => d.kind)).toEqual([
      'checkpoint_head_went_back',
    ]);
    const rewritten = later({
      heads: [{ chain: 'IN', seq: 10n, hash: 'd'.repeat(64) }, base.heads[1]!],
    });
    expect(checkpointsExtend([base, rewritten]).map((d) => d.kind)).toEqual([
      'checkpoint_history_rewritten',
    ]);
    // Against the journal: the entry at a checkpoint's head must carry the hash it signed.
    const journal = (chain: string, seq: bigint) =>
      chain === 'IN' && seq === 10n ? 'e'.repeat(64) : undefined;
    expect(checkpointsExtend([base], journal).map((d) => d.kind)).toEqual([
      'checkpoint_history_rewritten',
    ]);
  });

  it('find nothing in any sequence of honest checkpoints, and a changed hash in any of them', () => {
    const honest = fc.array(fc.array(fc.nat({ max: 5 }), { minLength: 2, maxLength: 2 }), {
      minLength: 1,
      maxLength: 8,
    });
    fc.assert(
      fc.property(honest, fc.nat(), (steps, pick) => {
        const hash = (chain: string, seq: bigint) => `${chain}:${seq}`;
        const seqs = [0n, 0n];
        const checkpoints = steps.map((step, i): Checkpoint => {
          seqs[0] = (seqs[0] as bigint) + BigInt(step[0] as number);
          seqs[1] = (seqs[1] as bigint) + BigInt(step[1] as number);
          return {
            ...base,
            at: new Date(Date.UTC(2026, 11, 1 + i)).toISOString(),
            heads: ['IN', 'JC-IN'].map((chain, c) => ({
              chain,
              seq: seqs[c] as bigint,
              hash: hash(chain, seqs[c] as bigint),
            })),
          };
        });
        expect(checkpointsExtend(checkpoints, hash)).toEqual([]);
        const at = pick % checkpoints.length;
        const bad = checkpoints.map((c, i) =>
          i === at ? { ...c, heads: [{ ...c.heads[0]!, hash: 'forged' }, c.heads[1]!] } : c,
        );
        expect(checkpointsExtend(bad, hash).map((d) => d.kind)).toContain(
          'checkpoint_history_rewritten',
        );
      }),
    );
  });

  it('are read back from their signed text only when each field is one a checkpoint can hold', () => {
    expect(checkpointFromText(checkpointText(base))).toEqual({ ok: true, value: base });
    const head = base.heads[0] ?? { chain: 'IN', seq: 1n, hash: 'a'.repeat(64) };
    const refused = [
      later({ deployment: 'India Registry' }),
      later({ registry: 'in' }),
      later({ heads: [{ ...head, seq: 0n }] }),
      later({ heads: [{ ...head, seq: 2n ** 63n }] }),
    ];
    for (const checkpoint of refused)
      expect(checkpointFromText(checkpointText(checkpoint))).toMatchObject({
        ok: false,
        error: { code: 'checkpoint_malformed' },
      });
  });
});
