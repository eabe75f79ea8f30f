// How the CLI prints: JSON with --json (bigints as strings), otherwise readable lines and tables.
import { jsonText } from '../core/shared/json-text.ts';
import type { Rejection } from '../core/shared/result.ts';

export interface Output {
  readonly json: boolean;
  data(value: unknown, human?: () => string): void;
  rejection(error: Rejection): void;
}

export function createOutput(
  json: boolean,
  write: (text: string) => void = (t) => process.stdout.write(t),
  writeError: (text: string) => void = (t) => process.stderr.write(t),
): Output {
  return {
    json,
    data(value, human) {
      write(json || human === undefined ? `${jsonText(value)}\n` : `${human()}\n`);
    },
    rejection(error) {
      if (json) write(`${jsonText({ error })}\n`);
      else writeError(`error ${error.code}: ${error.message}\n`);
      process.exitCode = 1;
    },
  };
}

/** A plain text table: columns padded to their widest cell. */
export function table(
  rows: readonly Record<string, unknown>[],
  columns: readonly string[],
): string {
  if (rows.length === 0) return '(none)';
  const cells = rows.map((row) => columns.map((column) => cell(row[column])));
  const widths = columns.map((column, i) =>
    Math.max(column.length, ...cells.map((r) => (r[i] ?? '').length)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return jsonText(value);
  return String(value);
}
