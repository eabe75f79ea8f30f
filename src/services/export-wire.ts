// The public export's lines (core/federation/public-export.ts): each record is the canonical JSON of
// one object (bigints as decimal strings), written by `exportLine` and read strictly by
// `parseExportLine`, which is all that stands between a file from anywhere and the checker.
import { z } from 'zod';
import { exportVersion, type ExportRecord } from '../core/federation/public-export.ts';
import { canonicalJson, type Json } from '../core/shared/canonical-json.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import {
  deploymentIdSchema,
  entryHashSchema,
  int8TextSchema,
  keyIdSchema,
  registryIdSchema,
} from './federation-wire.ts';

/** The longest line read, in characters (UTF-16 code units, as a string's length counts them): a
 * decision with its most lines is well under it. */
export const exportLineCharactersMax = 4 * 1024 * 1024;

const count = int8TextSchema;
const hash = entryHashSchema;
const text = (max: number) => z.string().min(1).max(max);
const serials = z.object({ first: count, last: count }).strict();
const vintage = z.number().int().min(1900).max(9999);
const base64 = (min: number, max: number) =>
  z.string().regex(new RegExp(`^[A-Za-z0-9+/=]{${min},${max}}$`));

const recordSchema = z.discriminatedUnion('record', [
  z
    .object({
      record: z.literal('export'),
      version: z.literal(exportVersion),
      deployment: deploymentIdSchema,
      registries: z.array(registryIdSchema).max(64),
      exportedAt: z.string().datetime(),
      keys: z.array(z.object({ keyId: keyIdSchema, publicKey: base64(40, 200) }).strict()).max(16),
    })
    .strict(),
  z
    .object({
      record: z.literal('checkpoint'),
      id: count,
      text: text(exportLineCharactersMax),
      keyId: keyIdSchema,
      publicKey: base64(40, 200),
      signature: base64(88, 88),
    })
    .strict(),
  z
    .object({
      record: z.literal('entry'),
      chain: text(16),
      seq: count,
      hash,
      prevHash: hash,
      entry: text(exportLineCharactersMax),
    })
    .strict(),
  z
    .object({
      record: z.literal('decision'),
      id: text(128),
      project: text(16),
      serials,
      lines: z
        .array(
          z
            .object({
              lineNo: z.number().int().min(1).max(100_000),
              registry: registryIdSchema,
              account: text(16),
              vintage,
              quantity: count,
              serials,
              reserve: count,
            })
            .strict(),
        )
        .max(10_000),
    })
    .strict(),
  z
    .object({
      record: z.literal('block'),
      project: text(16),
      vintage,
      serials,
      registry: registryIdSchema,
      account: text(16),
      entryChain: text(16),
      entrySeq: count,
    })
    .strict(),
  z
    .object({
      record: z.literal('total'),
      registry: registryIdSchema,
      accountType: text(64),
      project: text(16),
      vintage,
      quantity: count,
    })
    .strict(),
  z
    .object({
      record: z.literal('first_transfer_received'),
      sender: text(32),
      chain: text(16),
      seq: count,
      n: z.number().int().min(1).max(1_000_000),
      party: text(3),
      date: text(10),
      approach: text(16),
      authorisation: text(64),
      registry: registryIdSchema,
      project: text(16),
      vintage,
      serials,
      acquiringParty: text(3).nullable(),
    })
    .strict(),
  z
    .object({
      record: z.literal('end'),
      firstTransfersReceived: count,
      entries: count,
      decisions: count,
      blocks: count,
      totals: count,
      checkpoints: count,
    })
    .strict(),
]);

/** One record as its line (without the newline). */
export function exportLine(record: ExportRecord): string {
  return canonicalJson(record as unknown as Json);
}

/** The record a line says, or why it says none. */
export function parseExportLine(line: string): Result<ExportRecord> {
  if (line.length > exportLineCharactersMax)
    return reject('export_malformed', `a line longer than ${exportLineCharactersMax} characters`);
  // Every record is an object: anything else is refused before a parse (a file of junk is quick).
  if (!line.startsWith('{')) return reject('export_malformed', 'a line that is not a JSON object');
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return reject('export_malformed', 'a line that is not JSON');
  }
  const parsed = recordSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return reject(
      'export_malformed',
      `not a record: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
    );
  }
  return ok(parsed.data as ExportRecord);
}
