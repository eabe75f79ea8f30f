// A methodology proposal's file, checked when it is filed (it must be a methodology in the platform's
// format, for the partnership of the proposal) and, on the Joint Committee's approval, turned into
// the catalogue entry it becomes: the same file under the id and version the cycle gave it, approved.
import type { CatalogueEntryRecord } from '../core/cycle/effects.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import type { MethodologyEntryRow } from '../db/methodology-entries.ts';
import { adoptedMethodologyText, readMethodologyText } from '../formats/methodology-file.ts';

/** The largest filed methodology file, in bytes (the catalogue's largest is about 8 KB). */
export const methodologyFileBytesMax = 32 * 1024;

/** Media types a methodology file may be filed as. */
export const methodologyFileTypes = ['application/yaml', 'application/json'];

/** Why a filed methodology file cannot become a catalogue entry, or ok. */
export function checkMethodologyFile(
  fileName: string,
  mediaType: string,
  bytes: Uint8Array,
  of: {
    readonly partnership: string | null;
    /** The activities the partnership's rulebook lists as eligible: the file must serve one. */
    readonly listed: readonly string[] | null;
    /** The size is checked when the file is filed (an adopted entry's text is rewritten). */
    readonly sizeChecked?: boolean;
  },
): Result<true> {
  const { partnership } = of;
  if (!methodologyFileTypes.includes(mediaType))
    return reject(
      'methodology_file_invalid',
      `${fileName}: a methodology file is YAML or JSON in the platform's format (docs/methodologies.md)`,
    );
  // The YAML reader's duplicate-key check grows with the square of the keys: a filed file is held to
  // a size no methodology needs, so that reading it stays quick.
  if (of.sizeChecked !== true && bytes.byteLength > methodologyFileBytesMax)
    return reject(
      'methodology_file_invalid',
      `${fileName}: ${bytes.byteLength} bytes; a methodology file has at most ${methodologyFileBytesMax}`,
    );
  const text = new TextDecoder().decode(bytes);
  const read = readMethodologyText(text, fileName);
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
  // A methodology that serves none of the partner's eligible activities could never be applied by
  // one of its projects (the activity_eligible guard refuses it): refused when it is filed.
  const listed = of.listed;
  const served =
    partnership === null ? [] : (read.methodology.file.eligible_activities[partnership] ?? []);
  if (partnership !== null && listed !== null && !served.some((s) => listed.includes(s.activity)))
    return reject(
      'methodology_file_invalid',
      `${fileName}: eligible_activities must name the entries of ${partnership}'s list of activities eligible for Article 6.2 that the methodology serves (${listed.join(', ')})`,
    );
  return ok(true);
}

/**
 * Checks every methodology file an action files, against the action's partnership or, for a
 * revision or resubmission (which carries none), the stored proposal's.
 */
export async function checkFiledMethodologies(
  files: readonly {
    readonly filed: {
      readonly type: string;
      readonly fileName: string;
      readonly mediaType: string;
    };
    readonly content: Uint8Array;
  }[],
  input: { readonly partnership?: string | undefined; readonly item?: string | undefined },
  deps: {
    itemPartnership(id: string): Promise<string | null>;
    listedActivities(partnership: string): readonly string[] | null;
  },
): Promise<Result<true>> {
  const methodologyFiles = files.filter((d) => d.filed.type === 'methodology_file');
  if (methodologyFiles.length === 0) return ok(true);
  const partnership =
    input.partnership ?? (input.item === undefined ? null : await deps.itemPartnership(input.item));
  for (const f of methodologyFiles) {
    const checked = checkMethodologyFile(f.filed.fileName, f.filed.mediaType, f.content, {
      partnership,
      listed: partnership === null ? null : deps.listedActivities(partnership),
    });
    if (!checked.ok) return checked;
  }
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
    // Checked against the list when it was filed; the rulebook in force is the guard's concern.
    { partnership: entry.partnership, listed: null, sizeChecked: true },
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
