// Business outcomes as values: a command either succeeds with a value or is rejected with a stable
// code named after the rule it broke.
import type { ErrorCode } from './error-codes.ts';

export interface Rejection {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, string | number | boolean | readonly string[]>>;
}

export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: Rejection };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function reject<T = never>(
  code: ErrorCode,
  message: string,
  details?: Rejection['details'],
): Result<T> {
  return {
    ok: false,
    error: details === undefined ? { code, message } : { code, message, details },
  };
}

/** The same idempotency key with another request: refused, and nothing is done. */
export function keyReusedWithDifferentInput(): { readonly ok: false; readonly error: Rejection } {
  return {
    ok: false,
    error: {
      code: 'idempotency_key_reused_with_different_input',
      message: 'this idempotency key was used for another request; nothing was done',
    },
  };
}
