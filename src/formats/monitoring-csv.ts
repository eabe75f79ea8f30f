// Reads monitoring data from CSV, one value per line:
//   period,start,end,monitoring_point,parameter,value,unit
// Fixed values leave period, start and end empty; project-level values leave monitoring_point
// empty. Monitoring points and periods are those the lines name. Every value keeps its line number.
import { parse } from 'csv-parse/sync';
import type { MonitoringIssue, RawReport, RawValue } from '../core/methodology/monitoring-input.ts';

export const csvColumns = [
  'period',
  'start',
  'end',
  'monitoring_point',
  'parameter',
  'value',
  'unit',
] as const;

/** Largest CSV accepted (bytes). */
export const csvBytesMax = 64 * 1024 * 1024;

type CsvColumn = (typeof csvColumns)[number];
/** The text of a named column on a line ('' where the line is short). */
type Field = (row: string[], name: CsvColumn) => string;

export function readMonitoringCsv(
  text: string,
): { report: RawReport; issues: MonitoringIssue[] } | { unreadable: MonitoringIssue } {
  const parsed = parseRows(text);
  if ('unreadable' in parsed) return parsed;
  const field = fieldOf(parsed.rows[0] ?? []);
  if ('unreadable' in field) return field;
  return readLines(parsed.rows.slice(1), field.field);
}

function parseRows(text: string): { rows: string[][] } | { unreadable: MonitoringIssue } {
  try {
    if (text.length > csvBytesMax) throw new Error(`larger than ${csvBytesMax} bytes`);
    const rows = parse(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
      trim: true,
    }) as string[][];
    return { rows };
  } catch (error) {
    return {
      unreadable: {
        code: 'monitoring_file_unreadable',
        message: `the file is not readable CSV (${error instanceof Error ? error.message.slice(0, 160) : 'unknown error'})`,
        where: 'the file',
      },
    };
  }
}

/** Finds the columns by the names on the first line, in any order and any case; all are needed. */
function fieldOf(header: readonly string[]): { field: Field } | { unreadable: MonitoringIssue } {
  const index = new Map(header.map((name, i) => [name.toLowerCase(), i]));
  const missing = csvColumns.filter((c) => !index.has(c));
  if (missing.length > 0) {
    return {
      unreadable: {
        code: 'monitoring_column_missing',
        message: `the first line must name the columns ${csvColumns.join(',')}; missing ${missing.join(', ')}`,
        where: 'line 1',
      },
    };
  }
  return { field: (row, name) => row[index.get(name) as number] ?? '' };
}

/** One value per line; the points and periods are those the lines name, each where first named. */
function readLines(
  lines: readonly string[][],
  field: Field,
): { report: RawReport; issues: MonitoringIssue[] } {
  const issues: MonitoringIssue[] = [];
  const points = new Map<string, string>();
  const periods = new Map<string, { id: string; start: string; end: string; where: string }>();
  const values: RawValue[] = [];
  lines.forEach((row, i) => {
    const line = i + 2;
    const period = field(row, 'period');
    const point = field(row, 'monitoring_point');
    const symbol = field(row, 'parameter');
    if (symbol === '') {
      issues.push({
        code: 'monitoring_value_missing',
        message: 'the line names no parameter',
        where: `line ${line}, column parameter`,
      });
      return;
    }
    if (point !== '' && !points.has(point))
      points.set(point, `line ${line}, column monitoring_point`);
    if (period !== '') {
      const start = field(row, 'start');
      const end = field(row, 'end');
      const known = periods.get(period);
      if (known === undefined)
        periods.set(period, {
          id: period,
          start,
          end,
          where: `line ${line}, columns start and end`,
        });
      else if (known.start !== start || known.end !== end) {
        issues.push({
          code: 'monitoring_period_malformed',
          message: `period ${period} runs ${known.start} to ${known.end} on an earlier line, ${start} to ${end} here`,
          where: `line ${line}, columns start and end`,
        });
      }
    }
    values.push({
      symbol,
      ...(period === '' ? {} : { period }),
      ...(point === '' ? {} : { point }),
      text: field(row, 'value'),
      where: `line ${line}, column value`,
      unit: { text: field(row, 'unit'), where: `line ${line}, column unit` },
    });
  });
  return {
    report: {
      points: [...points].map(([id, where]) => ({ id, where })),
      periods: [...periods.values()],
      values,
    },
    issues,
  };
}
