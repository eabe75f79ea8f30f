// Prints docs/errors.md from the error codes and their HTTP statuses (run: npx tsx scripts/errors-doc.ts > docs/errors.md).
import { statusOf } from '../src/api/problem.ts';
import { errorCodeList, errorCodes } from '../src/core/shared/error-codes.ts';

const lines = [
  '# Error codes',
  '',
  'Every refusal answers with a stable snake_case code named after the broken rule, and changes',
  'nothing. Over HTTP the body is `application/problem+json` with `code`, `detail`, `status` and the',
  '`requestId`; the CLI prints `error <code>: <message>` (or `{"error": ...}` with `--json`) and exits',
  'with status 1. Codes never change meaning once published; `test/unit/architecture.test.ts` keeps',
  'this list and `src/core/shared/error-codes.ts` in sync.',
  '',
  'Within a command, checks run in this order, and the first that fails decides the code: the request',
  'envelope (JSON, schema, token, idempotency key), the values (ids, quantities, serials), existence of',
  "the registries and accounts named, the actor's authority, the accounts' relation (different, same",
  'registry), account types, account statuses, and finally the credits themselves. A project-cycle',
  'action is refused, in this order, for an unknown action, an action not allowed in the state, a',
  'role that may not act, missing documents, then the first failed guard (`src/core/cycle/transition.ts`).',
  '',
  'Every write goes through one pipeline (docs/ARCHITECTURE.md). The same write sent again with the',
  'same idempotency key and the same input is answered with the first answer (HTTP 200 instead of',
  '201) and changes nothing; the same key with another input is refused with',
  '`idempotency_key_reused_with_different_input`. A refusal keeps no key: the write may be sent again.',
  '',
  '| code | HTTP | meaning |',
  '|---|---|---|',
  ...errorCodeList.map((code) => `| \`${code}\` | ${statusOf(code)} | ${errorCodes[code]} |`),
  '',
];
process.stdout.write(lines.join('\n'));
