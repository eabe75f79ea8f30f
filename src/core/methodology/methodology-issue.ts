// A problem found in a methodology file: its code, a message, and the path of the field it
// concerns, so that every problem can be reported at once and located.
import type { ErrorCode } from '../shared/error-codes.ts';

export type IssuePath = readonly (string | number)[];

export interface MethodologyIssue {
  readonly code: ErrorCode;
  readonly message: string;
  /** Where in the file: e.g. ['equations', 2, 'expression']. */
  readonly path: IssuePath;
  /** 1-based column inside an expression, when known. */
  readonly column?: number;
}

/** Where the checks of a methodology file report what they find. */
export type IssueSink = (
  code: ErrorCode,
  message: string,
  path: IssuePath,
  column?: number,
) => void;
