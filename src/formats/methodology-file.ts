// Reads a methodology file (YAML, or JSON, which YAML includes) and locates every problem in it: the
// shape is checked by the zod schema of the format, the meaning by the core's compiler, and each
// problem's path is turned back into a line and column of the file.
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import {
  compileMethodology,
  type CompiledMethodology,
  type IssuePath,
} from '../core/methodology/compile.ts';
import { methodologySchema } from '../core/methodology/format.ts';
import type { ErrorCode } from '../core/shared/error-codes.ts';

export interface LocatedIssue {
  readonly code: ErrorCode;
  readonly message: string;
  /** `file:line:column (path)`, e.g. `methodologies/IN_AM001.yaml:41:17 (equations.2.expression)`. */
  readonly where: string;
}

export type MethodologyRead =
  | { readonly ok: true; readonly methodology: CompiledMethodology }
  | { readonly ok: false; readonly issues: readonly LocatedIssue[] };

/** Largest methodology file read (bytes). */
export const methodologyFileBytesMax = 512 * 1024;

export function readMethodologyText(text: string, fileName: string): MethodologyRead {
  if (text.length > methodologyFileBytesMax) {
    return fail(
      'methodology_file_malformed',
      `the file exceeds ${methodologyFileBytesMax} bytes`,
      `${fileName}`,
    );
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((error) => {
        const at = lineCounter.linePos(error.pos[0]);
        return {
          code: 'methodology_file_malformed' as const,
          message: error.message.split('\n')[0] ?? error.message,
          where: `${fileName}:${at.line}:${at.col}`,
        };
      }),
    };
  }
  let plain: unknown;
  try {
    // Aliases are refused: a methodology has no need of them, and they can multiply a small file.
    plain = doc.toJS({ maxAliasCount: 0 });
  } catch (error) {
    const message = error instanceof Error ? error.message : 'the document cannot be read';
    return fail('methodology_file_malformed', message, fileName);
  }
  const locate = (path: IssuePath, column?: number) =>
    locateIn(doc, lineCounter, fileName, path, column);
  const shape = methodologySchema.safeParse(plain);
  if (!shape.success) {
    return {
      ok: false,
      issues: shape.error.issues.map((issue) => ({
        code: 'methodology_schema_invalid' as const,
        message: issue.message,
        where: locate([
          ...issue.path.filter((p): p is string | number => typeof p !== 'symbol'),
          // An unknown key is located at the key itself, not at its parent.
          ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : []),
        ]),
      })),
    };
  }
  const compiled = compileMethodology(shape.data);
  if (!compiled.ok) {
    return {
      ok: false,
      issues: compiled.issues.map((issue) => ({
        code: issue.code,
        message: issue.message,
        where: locate(issue.path, issue.column),
      })),
    };
  }
  return { ok: true, methodology: compiled.value };
}

function fail(code: ErrorCode, message: string, where: string): MethodologyRead {
  return { ok: false, issues: [{ code, message, where }] };
}

/** The line and column of the deepest node of the path that exists in the document. */
function locateIn(
  doc: Document,
  lines: LineCounter,
  fileName: string,
  path: IssuePath,
  column?: number,
): string {
  const pathText = path.length === 0 ? '(file)' : path.join('.');
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node: unknown = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range !== undefined && node.range !== null) {
      const pos = lines.linePos(node.range[0]);
      // Quoted scalars start one character before their text; plain ones at it.
      const columnNote = column === undefined ? '' : `, column ${column} of the expression`;
      return `${fileName}:${pos.line}:${pos.col} (${pathText}${columnNote})`;
    }
  }
  return `${fileName} (${pathText})`;
}
