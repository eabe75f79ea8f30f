// The pure rules of public comments and of confidential full versions (core/cycle/comments.ts,
// core/cycle/confidential.ts): the period's last day is open and the next is not; only the
// secretariat of the item's partnership moderates, once; only the project's TPE and the
// partnership's Joint Committee read a full version.
import { describe, expect, it } from 'vitest';
import { decideComment, decideModeration } from '../../../src/core/cycle/comments.ts';
import { decideConfidentialRead } from '../../../src/core/cycle/confidential.ts';
import { actorWithRoles } from '../../../src/core/ledger/actor.ts';
import { parseCivilDate } from '../../../src/core/shared/civil-date.ts';

const day = (text: string) => parseCivilDate(text)!;
const item = {
  id: 'IN_PM001',
  machine: 'methodology',
  partnership: 'IN',
  state: 'public_input',
  dueDate: '2028-04-16',
};
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);

describe('comments during public input', () => {
  it('are taken until the last day of the period, included, and not after', () => {
    expect(code(decideComment(item, item.id, day('2028-04-16')))).toBe('ok');
    expect(code(decideComment(item, item.id, day('2028-04-17')))).toBe(
      'comment_outside_public_input',
    );
  });

  it('are refused on an item in another state or of another kind, and on no item', () => {
    const today = day('2028-04-10');
    expect(code(decideComment({ ...item, state: 'jc_consideration' }, item.id, today))).toBe(
      'comment_outside_public_input',
    );
    expect(code(decideComment({ ...item, machine: 'decision' }, item.id, today))).toBe(
      'comment_outside_public_input',
    );
    expect(code(decideComment(null, 'IN_PM404', today))).toBe('cycle_item_not_found');
  });

  it('are moderated once, by the secretariat of the partnership only', () => {
    const comment = { id: 7n, item: item.id, partnership: 'IN', state: 'submitted' as const };
    expect(code(decideModeration(comment, 7n, actorWithRoles('s', 'secretariat:IN')))).toBe('ok');
    for (const roles of ['secretariat:ID', 'joint_committee:IN', 'administrator'])
      expect(code(decideModeration(comment, 7n, actorWithRoles('x', roles)))).toBe(
        'cycle_role_not_allowed',
      );
    expect(
      code(
        decideModeration(
          { ...comment, state: 'published' },
          7n,
          actorWithRoles('s', 'secretariat:IN'),
        ),
      ),
    ).toBe('comment_already_moderated');
    expect(code(decideModeration(null, 8n, actorWithRoles('s', 'secretariat:IN')))).toBe(
      'comment_not_found',
    );
  });
});

describe('confidential full versions', () => {
  const doc = {
    item: 'IN-PRJ001',
    partnership: 'IN',
    projectTpe: 'verita',
    type: 'pdd',
    version: 1,
    fileName: 'pdd.pdf',
    mediaType: 'application/pdf',
    fullSha256: 'a'.repeat(64),
  };
  const read = (roles: string, d: typeof doc | null = doc, fullSha256 = d?.fullSha256 ?? null) =>
    code(
      decideConfidentialRead(
        d === null ? null : { ...d, fullSha256 },
        'the PDD',
        actorWithRoles('r', roles),
      ),
    );

  it('are read by the TPE the project names and the Joint Committee of the partnership', () => {
    expect(read('third_party_entity:verita')).toBe('ok');
    expect(read('joint_committee:IN')).toBe('ok');
  });

  it('are refused to other TPEs, other Joint Committees and participants', () => {
    for (const roles of [
      'third_party_entity:other',
      'joint_committee:ID',
      'project_participant:verita',
      'secretariat:IN',
      'administrator',
    ])
      expect(read(roles)).toBe('document_confidential');
    // A methodology proposal has no project: only the Joint Committee reads its full versions.
    expect(
      read('third_party_entity:verita', { ...doc, projectTpe: null as unknown as string }),
    ).toBe('document_confidential');
  });

  it('do not exist for a document filed without one', () => {
    expect(read('joint_committee:IN', doc, null)).toBe('document_not_found');
    expect(read('joint_committee:IN', null)).toBe('document_not_found');
  });
});
