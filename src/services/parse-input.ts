// Wire input checked against its zod schema as a Result: every problem in one `invalid_request`
// message, each named by its path, so the API, the CLI and the back office refuse bad input alike.
import type { z } from 'zod';
import { ok, reject, type Result } from '../core/shared/result.ts';

export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): Result<z.output<S>> {
  const parsed = schema.safeParse(raw);
  return parsed.success
    ? ok(parsed.data)
    : reject(
        'invalid_request',
        parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '),
      );
}
