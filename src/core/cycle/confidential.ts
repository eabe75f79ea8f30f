// Who reads the confidential full version of a cycle document: the third-party entity the item's
// project names (the TPE designated for it) and the Joint Committee of the item's partnership, both
// taken from the store; anyone else is refused, and the reader's role is what the read log records.
import type { Actor } from '../ledger/actor.ts';
import { ok, reject, type Result } from '../shared/result.ts';

export interface ConfidentialDocument {
  readonly item: string;
  readonly partnership: string;
  /** The TPE of the item's project (null: the item has no project, e.g. a methodology proposal). */
  readonly projectTpe: string | null;
  readonly type: string;
  readonly version: number;
  readonly fileName: string;
  readonly mediaType: string;
  /** The full version; null when the document was filed without one (it is all public). */
  readonly fullSha256: string | null;
}

export type ConfidentialReader = 'joint_committee' | 'third_party_entity';

export function decideConfidentialRead(
  doc: ConfidentialDocument | null,
  what: string,
  actor: Actor,
): Result<ConfidentialReader> {
  if (doc === null || doc.fullSha256 === null)
    return reject('document_not_found', `no confidential full version of ${what}`);
  if (actor.roles.some((r) => r.kind === 'joint_committee' && r.partnership === doc.partnership))
    return ok('joint_committee');
  if (
    doc.projectTpe !== null &&
    actor.roles.some((r) => r.kind === 'third_party_entity' && r.organisation === doc.projectTpe)
  )
    return ok('third_party_entity');
  return reject(
    'document_confidential',
    `the full version of ${what} is for the project's third-party entity and the Joint Committee of ${doc.partnership} only`,
  );
}
