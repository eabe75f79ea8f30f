// Reads a methodology file (YAML, or JSON, which YAML includes) and locates every problem in it: the
// shape is checked by the zod schema of the format, the meaning by the core's compiler, and each
// problem's path is turned back into a line and column of the file.
import { compileMethodology, type CompiledMethodology } from '../core/methodology/compile.ts';
import { methodologySchema } from '../core/methodology/format.ts';
import { parseDocument } from 'yaml';
import { readYamlFile, type LocatedIssue } from './yaml-file.ts';

export type { LocatedIssue } from './yaml-file.ts';

export type MethodologyRead =
  | { readonly ok: true; readonly methodology: CompiledMethodology }
  | { readonly ok: false; readonly issues: readonly LocatedIssue[] };

export function readMethodologyText(text: string, fileName: string): MethodologyRead {
  const read = readYamlFile(text, fileName, methodologySchema, {
    malformed: 'methodology_file_malformed',
    invalid: 'methodology_schema_invalid',
  });
  if (!read.ok) return read;
  const compiled = compileMethodology(read.value);
  if (!compiled.ok) {
    return {
      ok: false,
      issues: compiled.issues.map((issue) => ({
        code: issue.code,
        message: issue.message,
        where: read.locate(issue.path, issue.column),
      })),
    };
  }
  return { ok: true, methodology: compiled.value };
}

/**
 * A proposed methodology file as the catalogue entry a Joint Committee adopted: the same text with
 * the id and version the cycle gave it and the status `approved` (comments and layout kept).
 */
export function adoptedMethodologyText(
  text: string,
  entry: { readonly id: string; readonly version: string },
): string {
  const doc = parseDocument(text, { uniqueKeys: true });
  doc.set('id', entry.id);
  doc.set('version', entry.version);
  doc.set('status', 'approved');
  return doc.toString();
}
