// Reads the description of the Agreed Electronic Format (article6/aef.yaml) against its schema, each
// problem located by line and column. A new AEF version is a new edition of that file.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { aefDescriptionSchema, type AefDescription } from '../core/article6/aef-description.ts';
import { readYamlFile, type LocatedIssue } from './yaml-file.ts';

export const defaultAefDescriptionPath = join(
  import.meta.dirname,
  '..',
  '..',
  'article6',
  'aef.yaml',
);

export function readAefDescriptionText(
  text: string,
  fileName: string,
): { ok: true; description: AefDescription } | { ok: false; issues: readonly LocatedIssue[] } {
  const read = readYamlFile(text, fileName, aefDescriptionSchema, {
    malformed: 'aef_description_invalid',
    invalid: 'aef_description_invalid',
  });
  return read.ok ? { ok: true, description: read.value } : read;
}

/** The description in the file; throws with every problem located when the file is wrong. */
export async function loadAefDescription(
  path: string = defaultAefDescriptionPath,
): Promise<AefDescription> {
  const read = readAefDescriptionText(await readFile(path, 'utf8'), path);
  if (!read.ok)
    throw new Error(
      `the AEF description has errors:\n${read.issues.map((i) => `  ${i.where}: ${i.message}`).join('\n')}`,
    );
  return read.description;
}
