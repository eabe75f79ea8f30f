// Reads the rulebooks of the repository (rulebooks/*.yaml), one file per partnership or financing
// programme, each problem located by file, line and column.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rulebookSchema, type Rulebook } from '../core/cycle/rulebook.ts';
import { readYamlFile, type LocatedIssue } from './yaml-file.ts';

export const defaultRulebooksDir = join(import.meta.dirname, '..', '..', 'rulebooks');

export function readRulebookText(
  text: string,
  fileName: string,
): { ok: true; rulebook: Rulebook } | { ok: false; issues: readonly LocatedIssue[] } {
  const read = readYamlFile(text, fileName, rulebookSchema, {
    malformed: 'rulebook_invalid',
    invalid: 'rulebook_invalid',
  });
  return read.ok ? { ok: true, rulebook: read.value } : read;
}

export async function loadRulebooks(dir: string = defaultRulebooksDir): Promise<Rulebook[]> {
  const names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  const rulebooks: Rulebook[] = [];
  const issues: LocatedIssue[] = [];
  for (const name of names) {
    const read = readRulebookText(await readFile(join(dir, name), 'utf8'), join('rulebooks', name));
    if (read.ok) rulebooks.push(read.rulebook);
    else issues.push(...read.issues);
  }
  if (issues.length > 0) {
    throw new Error(
      `the rulebooks have errors:\n${issues.map((i) => `  ${i.where}: ${i.message}`).join('\n')}`,
    );
  }
  return rulebooks;
}
