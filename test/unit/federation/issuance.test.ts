// The receiving side's rules for issuance between deployments (core/federation/issuance.ts): one row
// per refusal, in precedence order, and what each accepts.
import { describe, expect, it } from 'vitest';
import {
  checkNotification,
  checkNumbering,
  decideConfirmation,
  type LineConfirmation,
} from '../../../src/core/federation/issuance.ts';
import type { AllocationLine } from '../../../src/core/ledger/types.ts';
import type { AccountId, RegistryId } from '../../../src/core/shared/ids.ts';

const line: AllocationLine = {
  lineNo: 2,
  registry: 'IN' as RegistryId,
  account: 'IN-000004' as AccountId,
  vintage: 2027,
  quantity: 50n,
  serials: { first: 101n, last: 150n },
  reserve: 0n,
};
const confirmation: LineConfirmation = {
  decision: 'D1',
  lineNo: 2,
  registry: 'IN',
  sender: 'in',
  first: 101n,
  last: 150n,
  entry: { chain: 'IN', seq: 7n, hash: 'a'.repeat(64) },
};
const code = (r: { ok: boolean; error?: { code: string }; value?: unknown }) =>
  r.ok ? r.value : r.error?.code;

describe('a confirmation of a line issued by a peer', () => {
  it('is refused for the first rule it breaks, in order', () => {
    const cases: [string, Parameters<typeof decideConfirmation>, string][] = [
      ['no such line', [confirmation, undefined, ['IN'], undefined], 'confirmation_line_unknown'],
      [
        'another registry',
        [{ ...confirmation, registry: 'JP' }, line, ['IN'], undefined],
        'confirmation_not_from_host',
      ],
      ['not the host', [confirmation, line, ['JP'], undefined], 'confirmation_not_from_host'],
      [
        'more than the line',
        [{ ...confirmation, last: 151n }, line, ['IN'], undefined],
        'confirmation_exceeds_line',
      ],
      [
        'backwards',
        [{ ...confirmation, first: 150n, last: 101n }, line, ['IN'], undefined],
        'confirmation_exceeds_line',
      ],
      [
        'shifted',
        [{ ...confirmation, first: 100n, last: 149n }, line, ['IN'], undefined],
        'confirmation_range_differs',
      ],
      [
        'another entry before',
        [
          confirmation,
          line,
          ['IN'],
          { ...confirmation, entry: { ...confirmation.entry, seq: 8n } },
        ],
        'confirmation_conflict',
      ],
    ];
    for (const [what, args, expected] of cases)
      expect([what, code(decideConfirmation(...args))]).toEqual([what, expected]);
  });

  it('is recorded once; the same one again changes nothing', () => {
    expect(code(decideConfirmation(confirmation, line, ['IN'], undefined))).toBe('record');
    expect(code(decideConfirmation(confirmation, line, ['IN'], { ...confirmation }))).toBe(
      'recorded already',
    );
  });
});

describe('a notified decision', () => {
  const notification = {
    sender: 'in',
    project: 'IN001',
    partner: 'IN' as RegistryId,
    senderHosts: ['IN'] as readonly string[] | undefined,
    hostedHere: ['JP'],
    lines: [{ ...line, lineNo: 1, registry: 'JP', account: 'JP-000004' }, line],
  };

  it('comes from a host of the partnership, with lines for registries hosted here or there', () => {
    expect(code(checkNotification(notification))).toBe(true);
    expect(code(checkNotification({ ...notification, senderHosts: undefined }))).toBe(
      'message_sender_not_in_partnership',
    );
    expect(code(checkNotification({ ...notification, senderHosts: ['KH'] }))).toBe(
      'message_sender_not_in_partnership',
    );
    expect(code(checkNotification({ ...notification, lines: [{ ...line, registry: 'KH' }] }))).toBe(
      'notification_line_registry_unknown',
    );
  });

  it('is numbered here as the sender numbered it', () => {
    expect(code(checkNumbering('D1', [line], [line]))).toBe(true);
    for (const changed of [
      { ...line, reserve: 1n },
      { ...line, serials: { first: 102n, last: 151n } },
      { ...line, lineNo: 3 },
    ])
      expect(code(checkNumbering('D1', [line], [changed]))).toBe('notification_decision_mismatch');
    expect(code(checkNumbering('D1', [line, line], [line]))).toBe('notification_decision_mismatch');
  });
});
