// Wire input checked against its zod schema as a Result: every problem in one `invalid_request`
// message (or the code the caller names), each named by its path, so the API, the CLI and the back
// office refuse bad input alike.
import type { z } from 'zod';
import type { ErrorCode } from '../core/shared/error-codes.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';

export function parseInput<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  code: ErrorCode = 'invalid_request',
): Result<z.output<S>> {
  const parsed = schema.safeParse(raw);
  return parsed.success ? ok(parsed.data) : reject(code, issuesText(parsed.error));
}

/** A zod error's problems in one line, each named by its path. */
export function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
}
