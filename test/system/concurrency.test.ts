// Concurrency on PostgreSQL, the case DESIGN-NOTES.md saw a peer registry get wrong: 50 concurrent
// transfers of 10 credits out of one block of 100, through two independent writers (two connection
// pools, as two server processes would be). Exactly 10 succeed, 40 are refused as insufficient, no
// credit is created or lost, nothing deadlocks, and the audit passes. Repeated.
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/connect.ts';
import { createPlatform } from '../../src/services/platform.ts';
import { freshPlatform } from '../support/db.ts';
import { issueOneLine, mustRun, openJapanAndIndia, run } from '../support/scenario.ts';

const rounds = 5;

describe('concurrent conflicting transfers on PostgreSQL', () => {
  for (let round = 1; round <= rounds; round++) {
    it(`round ${round}: 50 transfers of 10 from 100 credits, two writers`, async () => {
      const { platform, testDb } = await freshPlatform();
      const second = await createPlatform(
        await openDb({ kind: 'postgres', url: testDb.url ?? '' }),
        { migrate: false },
      );
      try {
        await openJapanAndIndia(platform);
        await mustRun(platform, 'open_account', {
          registry: 'JP',
          accountType: 'holding',
          holderId: 'src',
          holderName: 'Source',
        });
        for (let i = 0; i < 5; i++)
          await mustRun(platform, 'open_account', {
            registry: 'JP',
            accountType: 'holding',
            holderId: `dst${i}`,
            holderName: `Destination ${i}`,
          });
        await issueOneLine(platform, 'D1', 'JP-000004', '100');
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            run(i % 2 === 0 ? platform : second, 'transfer', {
              from: 'JP-000004',
              to: `JP-00000${5 + (i % 5)}`,
              selection: { quantity: '10' },
            }),
          ),
        );
        const codes = results.map((r) => (r.ok ? 'accepted' : r.error.code));
        expect(codes.filter((c) => c === 'accepted')).toHaveLength(10);
        expect(codes.filter((c) => c === 'source_holds_insufficient_credits')).toHaveLength(40);
        let total = 0n;
        for (const account of [
          'JP-000004',
          'JP-000005',
          'JP-000006',
          'JP-000007',
          'JP-000008',
          'JP-000009',
        ]) {
          const a = await platform.queries.account(account);
          if (a.ok) total += a.value.balance;
        }
        expect(total).toBe(100n);
        const source = await platform.queries.account('JP-000004');
        expect(source.ok && source.value.balance).toBe(0n);
        expect((await platform.audit()).violations).toEqual([]);
      } finally {
        await second.close();
        await testDb.drop();
      }
    });
  }

  it('issues an allocation line exactly once under 20 concurrent attempts from two writers', async () => {
    const { platform, testDb } = await freshPlatform();
    const second = await createPlatform(await openDb({ kind: 'postgres', url: testDb.url ?? '' }), {
      migrate: false,
    });
    try {
      await openJapanAndIndia(platform);
      await mustRun(platform, 'open_account', {
        registry: 'JP',
        accountType: 'holding',
        holderId: 'h',
        holderName: 'Holder',
      });
      await mustRun(platform, 'record_issuance_decision', {
        decision: 'D1',
        project: 'IN001',
        verification: { reference: 'V1', reductions: [{ vintage: 2027, quantity: '500' }] },
        lines: [{ registry: 'JP', account: 'JP-000004', vintage: 2027, quantity: '500' }],
      });
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          run(i % 2 === 0 ? platform : second, 'issue', {
            registry: 'JP',
            decision: 'D1',
            line: 1,
          }),
        ),
      );
      const codes = results.map((r) => (r.ok ? 'accepted' : r.error.code));
      expect(codes.filter((c) => c === 'accepted')).toHaveLength(1);
      expect(codes.filter((c) => c === 'allocation_line_already_issued')).toHaveLength(19);
      const held = await platform.queries.account('JP-000004');
      expect(held.ok && held.value.balance).toBe(500n);
      expect((await platform.audit()).violations).toEqual([]);
    } finally {
      await second.close();
      await testDb.drop();
    }
  });
});
