// How the CLI prints: JSON with --json (bigints as strings, exact decimals, ISO 8601 instants),
// otherwise readable lines and tables (dates in words, numbers rounded for reading: see readable.ts).
import { jsonText } from '../core/shared/json-text.ts';
import { readableDate, readableInstant } from '../core/shared/readable.ts';
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

/**
 * A plain text table: columns padded to their widest cell; the columns named in `numeric` (figures)
 * are aligned to the right so that their digits line up.
 */
export function table(
  rows: readonly Record<string, unknown>[],
  columns: readonly string[],
  numeric: readonly string[] = [],
): string {
  if (rows.length === 0) return '(none)';
  const cells = rows.map((row) => columns.map((column) => cell(row[column])));
  // A loop, not Math.max(...cells): spreading 100,000 rows into one call overflows the stack.
  const widths = columns.map((column, i) => {
    let width = column.length;
    for (const r of cells) width = Math.max(width, (r[i] ?? '').length);
    return width;
  });
  const right = columns.map((column) => numeric.includes(column));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (right[i] === true ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return readableInstant(value.toISOString());
  if (typeof value === 'object') return jsonText(value);
  return String(value);
}

/** An instant as the drivers give it (a Date, or ISO 8601 text) in words, to the minute in UTC. */
export function instantText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return readableInstant(value instanceof Date ? value.toISOString() : String(value));
}

/** A calendar date (YYYY-MM-DD) in words; empty when there is none. */
export function dateText(value: string | null | undefined): string {
  return value === null || value === undefined ? '' : readableDate(value);
}
