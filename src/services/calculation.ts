// A monitoring report calculated: read from its format, validated and evaluated. Runs in the
// calculation workers for files (XLSX, CSV), and inline for a report already parsed or the worked
// example. A workbook's archive is inspected as it really inflates before ExcelJS reads it.
import type { CompiledMethodology } from '../core/methodology/compile.ts';
import { evaluate, type CalculationResult } from '../core/methodology/evaluate.ts';
import {
  validateReport,
  type MonitoringIssue,
  type RawReport,
} from '../core/methodology/monitoring-input.ts';
import type { Rejection } from '../core/shared/result.ts';
import { sha256Hex } from '../db/sha256.ts';
import { exampleReport } from '../formats/example-report.ts';
import { readMonitoringCsv } from '../formats/monitoring-csv.ts';
import { readMonitoringWorkbook } from '../formats/monitoring-workbook-read.ts';
import { inflatedRefusal } from '../formats/xlsx-archive.ts';

export type MonitoringInput =
  | { readonly kind: 'xlsx'; readonly bytes: Uint8Array }
  | { readonly kind: 'csv'; readonly text: string }
  | { readonly kind: 'report'; readonly report: RawReport }
  | { readonly kind: 'example' };

/**
 * The outcome: the result, or the issues found; `refused` when the input was not read at all (too
 * large, too many rows, the workers busy or out of time or memory), its one issue repeating it.
 */
export type Calculated =
  | { readonly ok: true; readonly result: CalculationResult }
  | {
      readonly ok: false;
      readonly issues: readonly MonitoringIssue[];
      readonly refused?: Rejection;
    };

/** A refusal of the whole input, as a calculation outcome. */
export function refusedWith(refused: Rejection): Calculated {
  return {
    ok: false,
    refused,
    issues: [{ code: refused.code, message: refused.message, where: 'the file' }],
  };
}

export async function calculateReport(
  methodology: CompiledMethodology,
  input: MonitoringInput,
): Promise<Calculated> {
  let report: RawReport;
  let readIssues: readonly MonitoringIssue[] = [];
  let absent: ReadonlySet<string> = new Set();
  switch (input.kind) {
    case 'xlsx': {
      const refusal = await inflatedRefusal(input.bytes);
      if (refusal !== null) return refusedWith(refusal);
      const read = await readMonitoringWorkbook(methodology, input.bytes);
      if ('unreadable' in read) return { ok: false, issues: [read.unreadable] };
      ({ report, issues: readIssues, absent } = read);
      break;
    }
    case 'csv': {
      const read = readMonitoringCsv(input.text);
      if ('unreadable' in read) return { ok: false, issues: [read.unreadable] };
      ({ report, issues: readIssues } = read);
      break;
    }
    case 'report':
      report = input.report;
      break;
    case 'example':
      report = exampleReport(methodology);
      break;
  }
  const validated = validateReport(methodology, report, absent);
  const issues = [...readIssues, ...(validated.ok ? [] : validated.issues)];
  if (!validated.ok || issues.length > 0) return { ok: false, issues };
  const evaluated = evaluate(methodology, validated.data, sha256Hex);
  return evaluated.ok
    ? { ok: true, result: evaluated.result }
    : { ok: false, issues: evaluated.issues };
}
