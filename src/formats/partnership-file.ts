// Reads the partnership records of the repository (partnerships/*.yaml), one file per partnership,
// each problem located by file, line and column; a file must be named after its partnership's code.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { partnershipSchema, type Partnership } from '../core/partnership/record.ts';
import { readYamlFile, type LocatedIssue } from './yaml-file.ts';

export const defaultPartnershipsDir = join(import.meta.dirname, '..', '..', 'partnerships');
/** Partnership files read at most (Japan had 31 partners in August 2025). */
export const partnershipFilesMax = 100;

export function readPartnershipText(
  text: string,
  fileName: string,
): { ok: true; partnership: Partnership } | { ok: false; issues: readonly LocatedIssue[] } {
  const read = readYamlFile(text, fileName, partnershipSchema, {
    malformed: 'partnership_invalid',
    invalid: 'partnership_invalid',
  });
  if (!read.ok) return read;
  const expected = /([A-Z]{2})\.ya?ml$/.exec(fileName)?.[1];
  if (expected !== read.value.code)
    return {
      ok: false,
      issues: [
        {
          code: 'partnership_invalid',
          message: `the file of partnership ${read.value.code} is named ${read.value.code}.yaml`,
          where: read.locate(['code']),
        },
      ],
    };
  return { ok: true, partnership: read.value };
}

/** The files and their text, in the order of their names (the text is hashed to skip a reload). */
export async function readPartnershipFiles(
  dir: string = defaultPartnershipsDir,
): Promise<{ name: string; text: string }[]> {
  const names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  if (names.length > partnershipFilesMax)
    throw new Error(`more than ${partnershipFilesMax} partnership files in ${dir}`);
  return Promise.all(
    names.map(async (name) => ({ name, text: await readFile(join(dir, name), 'utf8') })),
  );
}

/** Parses every file; throws with every problem located when any file is wrong (the start stops). */
export function parsePartnershipFiles(
  files: readonly { name: string; text: string }[],
): Partnership[] {
  const records: Partnership[] = [];
  const issues: LocatedIssue[] = [];
  for (const file of files) {
    const read = readPartnershipText(file.text, join('partnerships', file.name));
    if (read.ok) records.push(read.partnership);
    else issues.push(...read.issues);
  }
  if (issues.length > 0) {
    throw new Error(
      `the partnership files have errors:\n${issues.map((i) => `  ${i.where}: ${i.message}`).join('\n')}`,
    );
  }
  return records;
}
