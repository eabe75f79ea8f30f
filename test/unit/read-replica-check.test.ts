// The read replica's check (src/db/replica.ts) against a replica that holds its connection without
// answering (a stopped server, packets dropped): the check still ends, the replica counts as
// unreachable and serves no public read, so /ready (which waits on a check) answers. And its
// statement timeout: set on every connection of the replica's pool, and a read the replica cancels
// at it is answered as unavailable (503), not read again on the primary.
import { Kysely, PostgresDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { poolConfig, replicaPoolLimits } from '../../src/db/connect.ts';
import { defaultReplicaOptions, ReadReplica } from '../../src/db/replica.ts';
import type { Schema } from '../../src/db/schema.ts';
import { isDatabaseUnavailable, ReplicaReadTimedOut } from '../../src/db/unavailable.ts';

type Rows = () => Record<string, unknown>[];

/** A Kysely over a stand-in pg pool: answers every query with `rows`, or never answers at all. */
function fakeDb(rows: Rows | 'silent', onQuery: (text: string) => void = () => undefined) {
  const client = {
    query: (text: string): Promise<unknown> => {
      onQuery(text);
      return rows === 'silent'
        ? new Promise(() => undefined)
        : Promise.resolve({ command: 'SELECT', rowCount: 1, rows: rows() });
    },
    release: () => undefined,
  };
  const pool = { connect: () => Promise.resolve(client), end: () => Promise.resolve() };
  return new Kysely<Schema>({
    dialect: new PostgresDialect({ pool: pool as never }),
  });
}

const options = { maxLagMs: 5000, checkMs: 10, statementTimeoutMs: 5000 };

describe('the read replica check', () => {
  it('ends when the replica never answers, and the replica then serves nothing', async () => {
    const primary = fakeDb(() => [{ lsn: '0/10' }]);
    const replica = new ReadReplica(fakeDb('silent'), primary, options);
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
    const replica = new ReadReplica(standby, primary, options);
    try {
      await replica.check();
      expect(replica.status()).toMatchObject({ state: 'streaming', serving: true });
    } finally {
      await replica.close();
      await primary.destroy();
    }
  });
});

describe("the read replica's statement timeout", () => {
  it('is set on the connections of the replica pool, 5 s unless configured', () => {
    expect(defaultReplicaOptions.statementTimeoutMs).toBe(5000);
    const config = poolConfig(
      'postgres://replica/jcm',
      4,
      replicaPoolLimits(defaultReplicaOptions),
    );
    expect(config).toMatchObject({ statement_timeout: 5000, connectionTimeoutMillis: 1000 });
    const configured = poolConfig(
      'postgres://replica/jcm',
      4,
      replicaPoolLimits({ ...defaultReplicaOptions, statementTimeoutMs: 250 }),
    );
    expect(configured.statement_timeout).toBe(250);
    // The primary's pool has no timeout: writes and the audit run as long as they need.
    expect(poolConfig('postgres://primary/jcm', 4)).not.toHaveProperty('statement_timeout');
  });

  it('answers a read the replica cancelled as unavailable, without reading the primary', async () => {
    let canceled = false;
    const primaryQueries: string[] = [];
    const primary = fakeDb(
      () => [{ lsn: '0/10' }],
      (text) => primaryQueries.push(text),
    );
    const standby = fakeDb(() => {
      if (!canceled) return [{ lsn: '0/10', standby: true }];
      throw Object.assign(new Error('canceling statement due to statement timeout'), {
        code: '57014',
      });
    });
    // Checked only when asked: no timer's check between the cancellation and the read.
    const replica = new ReadReplica(standby, primary, { ...options, checkMs: 60_000 });
    try {
      await replica.check();
      expect(replica.status().serving).toBe(true);
      canceled = true;
      primaryQueries.length = 0;
      const read = replica.read((k) => sql`SELECT 1 AS slow`.execute(k));
      const error = await read.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ReplicaReadTimedOut);
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(primaryQueries.filter((q) => q.includes('slow'))).toEqual([]);
      expect(replica.status()).toMatchObject({ readsOnReplica: 0, readsOnPrimary: 0 });
    } finally {
      await replica.close();
      await primary.destroy();
    }
  });
});
