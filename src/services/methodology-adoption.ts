// A methodology proposal's file, checked when it is filed (it must be a methodology in the platform's
// format, for the partnership of the proposal) and, on the Joint Committee's approval, turned into
// the catalogue entry it becomes: the same file under the id and version the cycle gave it, approved.
import type { CatalogueEntryRecord } from '../core/cycle/effects.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import type { MethodologyEntryRow } from '../db/methodology-entries.ts';
import { adoptedMethodologyText, readMethodologyText } from '../formats/methodology-file.ts';

/** Media types a methodology file may be filed as. */
export const methodologyFileTypes = ['application/yaml', 'application/json'];

/** Why a filed methodology file cannot become a catalogue entry, or ok. */
export function checkMethodologyFile(
  fileName: string,
  mediaType: string,
  bytes: Uint8Array,
  partnership: string | null,
): Result<true> {
  if (!methodologyFileTypes.includes(mediaType))
    return reject(
      'methodology_file_invalid',
      `${fileName}: a methodology file is YAML or JSON in the platform's format (docs/methodologies.md)`,
    );
  const read = readMethodologyText(new TextDecoder().decode(bytes), fileName);
  if (!read.ok)
    return reject(
      'methodology_file_invalid',
      read.issues
        .slice(0, 20)
        .map((i) => `${i.where}: ${i.message}`)
        .join('; '),
      { issues: read.issues.map((i) => `${i.where}: ${i.message} (${i.code})`) },
    );
  if (partnership !== null && !read.methodology.file.partner_countries.includes(partnership))
    return reject(
      'methodology_file_invalid',
      `${fileName}: partner_countries must include ${partnership}, the partnership of the proposal`,
    );
  return ok(true);
}

/** The catalogue entry an approval adopts, from the proposal's stored file. */
export function adoptedEntry(
  entry: CatalogueEntryRecord,
  bytes: Uint8Array | null,
): Result<MethodologyEntryRow> {
  if (bytes === null)
    return reject('document_not_found', `the methodology file ${entry.fileSha256} is not stored`);
  const text = adoptedMethodologyText(new TextDecoder().decode(bytes), entry);
  const checked = checkMethodologyFile(
    `${entry.id}.yaml`,
    'application/yaml',
    new TextEncoder().encode(text),
    entry.partnership,
  );
  if (!checked.ok) return checked;
  return ok({
    id: entry.id,
    version: entry.version,
    partnership: entry.partnership,
    item: entry.item,
    decision: entry.decision,
    file: text,
    fileSha256: entry.fileSha256,
    adoptedAt: entry.adoptedAt,
  });
}
