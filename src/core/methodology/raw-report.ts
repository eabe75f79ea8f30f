// Monitoring data as a reader found it: every value still text, each with the place it came from,
// and the located problems that readers and validation report about it.
import type { ErrorCode } from '../shared/error-codes.ts';

/** Where a value came from: "sheet 'Monitoring' cell E7", "line 12", "periods[0].start". */
export type Where = string;

export interface RawValue {
  readonly symbol: string;
  readonly period?: string;
  readonly point?: string;
  readonly text: string;
  readonly where: Where;
  /** The unit written beside the value, when the format has one. */
  readonly unit?: { readonly text: string; readonly where: Where };
}

export interface RawReport {
  readonly points: readonly { readonly id: string; readonly where: Where }[];
  readonly periods: readonly {
    readonly id: string;
    readonly start: string;
    readonly end: string;
    readonly where: Where;
  }[];
  readonly values: readonly RawValue[];
}

export interface MonitoringIssue {
  readonly code: ErrorCode;
  readonly message: string;
  readonly where: Where;
}

/** Where the checks of a report put each problem they find. */
export type IssueSink = (code: ErrorCode, message: string, where: Where) => void;
