// Reads a YAML (or JSON) data file against a zod schema and locates every problem in it: syntax errors
// by their line, schema mismatches by the path of the field, turned back into a line and column. Used
// for methodology files and rulebooks.
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import type { ErrorCode } from '../core/shared/error-codes.ts';

export interface LocatedIssue {
  readonly code: ErrorCode;
  readonly message: string;
  /** `file:line:column (path)`, e.g. `methodologies/IN_AM001.yaml:41:17 (equations.2.expression)`. */
  readonly where: string;
}

export type Locate = (path: readonly (string | number)[], column?: number) => string;

export type YamlRead<T> =
  | { readonly ok: true; readonly value: T; readonly locate: Locate }
  | { readonly ok: false; readonly issues: readonly LocatedIssue[] };

/** Largest data file read (bytes). */
export const yamlFileBytesMax = 512 * 1024;

export function readYamlFile<S extends z.ZodType>(
  text: string,
  fileName: string,
  schema: S,
  codes: { readonly malformed: ErrorCode; readonly invalid: ErrorCode },
): YamlRead<z.output<S>> {
  if (text.length > yamlFileBytesMax) {
    return fail(codes.malformed, `the file exceeds ${yamlFileBytesMax} bytes`, fileName);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((error) => {
        const at = lineCounter.linePos(error.pos[0]);
        return {
          code: codes.malformed,
          message: error.message.split('\n')[0] ?? error.message,
          where: `${fileName}:${at.line}:${at.col}`,
        };
      }),
    };
  }
  let plain: unknown;
  try {
    // Aliases are refused: a data file has no need of them, and they can multiply a small file.
    plain = doc.toJS({ maxAliasCount: 0 });
  } catch (error) {
    const message = error instanceof Error ? error.message : 'the document cannot be read';
    return fail(codes.malformed, message, fileName);
  }
  const locate: Locate = (path, column) => locateIn(doc, lineCounter, fileName, path, column);
  const shape = schema.safeParse(plain);
  if (!shape.success) {
    return {
      ok: false,
      issues: shape.error.issues.map((issue) => ({
        code: codes.invalid,
        message: issue.message,
        where: locate([
          ...issue.path.filter((p): p is string | number => typeof p !== 'symbol'),
          // An unknown key is located at the key itself, not at its parent.
          ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : []),
        ]),
      })),
    };
  }
  return { ok: true, value: shape.data, locate };
}

function fail<T>(code: ErrorCode, message: string, where: string): YamlRead<T> {
  return { ok: false, issues: [{ code, message, where }] };
}

/** The line and column of the deepest node of the path that exists in the document. */
function locateIn(
  doc: Document,
  lines: LineCounter,
  fileName: string,
  path: readonly (string | number)[],
  column?: number,
): string {
  const pathText = path.length === 0 ? '(file)' : path.join('.');
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node: unknown = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range !== undefined && node.range !== null) {
      const pos = lines.linePos(node.range[0]);
      const columnNote = column === undefined ? '' : `, column ${column} of the expression`;
      return `${fileName}:${pos.line}:${pos.col} (${pathText}${columnNote})`;
    }
  }
  return `${fileName} (${pathText})`;
}
