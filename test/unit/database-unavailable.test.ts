// Which errors mean "the database is unavailable now" (503 database_unavailable) and which stay
// defects (500): PostgreSQL's shutdown, refusal and connection-exception codes, FATAL errors, node's
// socket errors (also inside an AggregateError or as a cause), pg's messages for an ended
// connection, and a closed PGlite; never an ordinary query error.
import { describe, expect, it } from 'vitest';
import { DatabaseClosed, isDatabaseUnavailable } from '../../src/db/unavailable.ts';

const withCode = (code: string, severity = 'ERROR') =>
  Object.assign(new Error(`code ${code}`), { code, severity });

describe('isDatabaseUnavailable', () => {
  it.each(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006'])(
    'recognises SQLSTATE %s',
    (code) => expect(isDatabaseUnavailable(withCode(code))).toBe(true),
  );

  it.each(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'])(
    'recognises %s of a socket',
    (code) =>
      expect(isDatabaseUnavailable(Object.assign(new Error(code), { code, syscall: 'read' }))).toBe(
        true,
      ),
  );

  it('does not take a client hanging up on its request (ECONNRESET without a system call) for it', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }))).toBe(
      false,
    );
  });

  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated',
    'Connection terminated due to connection timeout',
    'Client has encountered a connection error and is not queryable',
    'timeout exceeded when trying to connect',
    'Cannot use a pool after calling end on the pool',
    'PGlite is closed',
  ])('recognises pg and PGlite saying "%s"', (message) =>
    expect(isDatabaseUnavailable(new Error(message))).toBe(true),
  );

  it('recognises a FATAL error whatever its code (a database closed to connections: 55000)', () => {
    expect(isDatabaseUnavailable(withCode('55000', 'FATAL'))).toBe(true);
    expect(isDatabaseUnavailable(withCode('55000'))).toBe(false);
  });

  it('leaves a wrong password or a missing database to the operator (FATAL 28P01, 3D000)', () => {
    expect(isDatabaseUnavailable(withCode('28P01', 'FATAL'))).toBe(false);
    expect(isDatabaseUnavailable(withCode('3D000', 'FATAL'))).toBe(false);
  });

  it('looks into an AggregateError and a cause, and knows a closed database', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), {
      code: 'ECONNREFUSED',
      syscall: 'connect',
    });
    expect(isDatabaseUnavailable(new AggregateError([refused], ''))).toBe(true);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: refused }))).toBe(true);
    expect(isDatabaseUnavailable(new DatabaseClosed())).toBe(true);
  });

  it('leaves ordinary failures alone', () => {
    for (const error of [
      withCode('23505'),
      withCode('40001'),
      withCode('42P01'),
      withCode('22021'),
      new Error('boom'),
      new TypeError('x is undefined'),
      null,
      undefined,
      'Connection terminated',
    ])
      expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
