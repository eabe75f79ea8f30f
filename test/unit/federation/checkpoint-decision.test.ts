// The decision that makes a registry's next checkpoint (core/federation/checkpoints.ts): nothing to
// sign without entries; the first one as read; a later one only at a later time and only when the
// journal extends the last one.
import { describe, expect, it } from 'vitest';
import {
  decideCheckpoint,
  type CheckpointInput,
} from '../../../src/core/federation/checkpoints.ts';

const hash = (c: string) => c.repeat(64);
const base: CheckpointInput = {
  deployment: 'jp',
  registry: 'JP',
  at: '2028-04-01T10:00:00.000Z',
  head: { chain: 'JP', seq: 10n, hash: hash('a') },
  totals: [{ accountType: 'holding', project: 'IN001', vintage: 2027, quantity: 100n }],
  previous: null,
  hashAtPrevious: undefined,
  hashAtHead: hash('a'),
};
const previous = {
  version: 1 as const,
  deployment: 'jp',
  registry: 'JP',
  at: '2028-04-01T09:00:00.000Z',
  heads: [{ chain: 'JP', seq: 7n, hash: hash('7') }],
  totals: [],
};

describe('the next checkpoint of a registry', () => {
  it('signs the head and totals as read, first or extending the last', () => {
    expect(decideCheckpoint(base)).toEqual({
      ok: true,
      value: {
        version: 1,
        deployment: 'jp',
        registry: 'JP',
        at: base.at,
        heads: [base.head],
        totals: base.totals,
      },
    });
    expect(decideCheckpoint({ ...base, previous, hashAtPrevious: hash('7') }).ok).toBe(true);
    // The same head again (nothing written since) extends it too.
    const same = {
      ...base,
      head: previous.heads[0] ?? null,
      previous,
      hashAtPrevious: hash('7'),
      hashAtHead: hash('7'),
    };
    expect(decideCheckpoint(same).ok).toBe(true);
  });

  it('refuses what it must not sign, with the reason', () => {
    const code = (input: CheckpointInput) => {
      const result = decideCheckpoint(input);
      return result.ok ? 'signed' : [result.error.code, result.error.details?.['discrepancies']];
    };
    expect(code({ ...base, head: null })).toEqual(['checkpoint_nothing_to_sign', undefined]);
    for (const at of [previous.at, '2028-04-01T08:59:59.999Z'])
      expect(code({ ...base, at, previous, hashAtPrevious: hash('7') })).toEqual([
        'checkpoint_time_not_after_last',
        undefined,
      ]);
    expect(
      code({
        ...base,
        head: { chain: 'JP', seq: 6n, hash: hash('6') },
        previous,
        hashAtPrevious: hash('7'),
        hashAtHead: hash('6'),
      }),
    ).toEqual(['checkpoint_does_not_extend', ['checkpoint_head_went_back']]);
    // The entry the last checkpoint signed has another hash now, or is not in the journal at all.
    expect(code({ ...base, previous, hashAtPrevious: hash('8') })).toEqual([
      'checkpoint_does_not_extend',
      ['checkpoint_history_rewritten'],
    ]);
    expect(code({ ...base, previous, hashAtPrevious: undefined })).toEqual([
      'checkpoint_does_not_extend',
      ['checkpoint_history_rewritten'],
    ]);
    // The same number signed with two hashes.
    const moved = {
      ...base,
      head: { chain: 'JP', seq: 7n, hash: hash('9') },
      previous,
      hashAtPrevious: hash('9'),
      hashAtHead: hash('9'),
    };
    expect(code(moved)).toEqual(['checkpoint_does_not_extend', ['checkpoint_history_rewritten']]);
    // A registry that signed a head before and has none now (its chain's head set back to 0) is
    // not one with nothing to sign: the scheduled run passes that over in silence.
    expect(code({ ...base, head: null, previous, hashAtPrevious: hash('7') })).toEqual([
      'checkpoint_does_not_extend',
      ['checkpoint_head_went_back'],
    ]);
    // A head the journal does not have at its number (the chain's row changed behind the journal)
    // is not signed, the first checkpoint included.
    for (const hashAtHead of [undefined, hash('b')]) {
      expect(code({ ...base, hashAtHead })).toEqual(['checkpoint_head_not_in_journal', undefined]);
      expect(code({ ...base, hashAtHead, previous, hashAtPrevious: hash('7') })).toEqual([
        'checkpoint_head_not_in_journal',
        undefined,
      ]);
    }
  });
});
