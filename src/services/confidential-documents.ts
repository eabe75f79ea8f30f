// Reads of the confidential full versions of cycle documents, on the one pipeline because each read is
// recorded: the document and what authorises its reader (the item's partnership, its project's TPE)
// loaded in the transaction, the reader decided in the core, the read logged in the same transaction,
// and only then the bytes served.
import { z } from 'zod';
import {
  decideConfidentialRead,
  type ConfidentialDocument,
  type ConfidentialReader,
} from '../core/cycle/confidential.ts';
import { documentTypes, type DocumentType } from '../core/cycle/definition.ts';
import type { Actor } from '../core/ledger/actor.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import { confidentialDocument, logDocumentRead } from '../db/document-reads.ts';
import type { DocumentStore } from '../db/document-store.ts';
import { parseInput } from './parse-input.ts';
import type { WriteFamily, WritePipeline } from './write-pipeline.ts';

export const confidentialReadSchema = z
  .object({
    item: z.string().regex(/^[A-Za-z0-9_-]{3,64}$/, 'a cycle item id'),
    type: z.enum(Object.keys(documentTypes) as [DocumentType, ...DocumentType[]]),
    version: z.coerce.number().int().min(1).max(1_000_000).optional(),
  })
  .strict();
type ReadInput = z.output<typeof confidentialReadSchema>;

interface Decided {
  readonly doc: ConfidentialDocument & { readonly fullSha256: string };
  readonly role: ConfidentialReader;
}

const what = (input: ReadInput) =>
  `${input.item}'s ${input.type}${input.version === undefined ? '' : ` version ${input.version}`}`;

const read: WriteFamily<ReadInput, ConfidentialDocument | null, Decided, Decided['doc']> = {
  name: 'document_read',
  keyRequired: false,
  parse: async (input) => parseInput(confidentialReadSchema, input),
  load: (tx, input) => confidentialDocument(tx, input.item, input.type, input.version ?? null),
  decide: (doc, input, actor) => {
    const role = decideConfidentialRead(doc, what(input), actor);
    if (!role.ok) return role;
    return doc === null || doc.fullSha256 === null
      ? reject('document_not_found', `no confidential full version of ${what(input)}`)
      : ok({ doc: { ...doc, fullSha256: doc.fullSha256 }, role: role.value });
  },
  persist: async (tx, { doc, role }, _input, actor, ctx) => {
    await logDocumentRead(tx, {
      item: doc.item,
      fullSha256: doc.fullSha256,
      actor: actor.id,
      role,
      at: ctx.now,
    });
    return ok({ answer: doc, outbox: [] });
  },
};

export class ConfidentialDocuments {
  constructor(
    private readonly pipeline: WritePipeline,
    private readonly documents: DocumentStore,
  ) {}

  /** The full version of an item's document (the latest, or `version`), read by an authorised actor. */
  async full(
    actor: Actor,
    input: unknown,
  ): Promise<Result<{ mediaType: string; fileName: string; bytes: Uint8Array }>> {
    const done = await this.pipeline.run(read, { actor, input });
    if (!done.ok) return done;
    const bytes = await this.documents.get(done.value.fullSha256);
    return bytes === null
      ? reject('document_not_found', `the full version ${done.value.fullSha256} is not stored`)
      : ok({ mediaType: done.value.mediaType, fileName: done.value.fileName, bytes });
  }
}
