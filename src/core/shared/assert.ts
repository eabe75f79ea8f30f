// Assertions for broken invariants and programmer errors. A failed assertion is a bug, never a
// business rejection: it throws, the request fails with a 500 and a request id, and nobody catches it
// to carry on.

export class InvariantViolation extends Error {
  override readonly name = 'InvariantViolation';
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantViolation(message);
}

export function assertNever(value: never, what: string): never {
  throw new InvariantViolation(`unexpected ${what}: ${JSON.stringify(value)}`);
}
