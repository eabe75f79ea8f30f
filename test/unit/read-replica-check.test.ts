// The read replica's check (src/db/replica.ts) against a replica that holds its connection without
// answering (a stopped server, packets dropped): the check still ends, the replica counts as
// unreachable and serves no public read, so /ready (which waits on a check) answers.
import { Kysely, PostgresDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ReadReplica } from '../../src/db/replica.ts';
import type { Schema } from '../../src/db/schema.ts';

type Rows = () => Record<string, unknown>[];

/** A Kysely over a stand-in pg pool: answers every query with `rows`, or never answers at all. */
function fakeDb(rows: Rows | 'silent'): Kysely<Schema> {
  const client = {
    query: (): Promise<unknown> =>
      rows === 'silent'
        ? new Promise(() => undefined)
        : Promise.resolve({ command: 'SELECT', rowCount: 1, rows: rows() }),
    release: () => undefined,
  };
  const pool = { connect: () => Promise.resolve(client), end: () => Promise.resolve() };
  return new Kysely<Schema>({
    dialect: new PostgresDialect({ pool: pool as never }),
  });
}

describe('the read replica check', () => {
  it('ends when the replica never answers, and the replica then serves nothing', async () => {
    const primary = fakeDb(() => [{ lsn: '0/10' }]);
    const replica = new ReadReplica(fakeDb('silent'), primary, { maxLagMs: 5000, checkMs: 10 });
    try {
      await replica.check();
      expect(replica.status()).toMatchObject({ state: 'unreachable', serving: false });
    } finally {
      await replica.close();
      await primary.destroy();
    }
  });

  it('serves while a replica that answers has replayed the primary', async () => {
    const primary = fakeDb(() => [{ lsn: '0/10' }]);
    const standby = fakeDb(() => [{ lsn: '0/10', standby: true }]);
    const replica = new ReadReplica(standby, primary, { maxLagMs: 5000, checkMs: 10 });
    try {
      await replica.check();
      expect(replica.status()).toMatchObject({ state: 'streaming', serving: true });
    } finally {
      await replica.close();
      await primary.destroy();
    }
  });
});
