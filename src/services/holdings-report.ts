// The holdings report read whole, a page of holdings at a time: as rows for the files built in memory
// (XLSX and PDF, which refuse more than their limit after reading one row more), and as CSV text made
// a page at a time while the reader takes it, so that a registry of any size downloads in bounded
// memory. The synthetic projects are looked up once per file, not once per page.
import { assert } from '../core/shared/assert.ts';
import { csvField, type CsvValue } from '../core/shared/csv.ts';
import type { RegistryId } from '../core/shared/ids.ts';
import { afterKey, pageSizeMax, type KeyPart } from '../core/shared/page.ts';
import {
  holdingKey,
  type HoldingRow,
  type RegistryReportQueries,
} from '../db/registry-report-queries.ts';
import type { ReportCell } from '../formats/registry-report-xlsx.ts';

export type Holding = HoldingRow & { readonly synthetic: boolean };

export const holdingColumns = [
  'account',
  'holder',
  'account type',
  'status',
  'project',
  'vintage',
  'credits',
  'blocks',
  'synthetic demo data',
] as const;

/** One holding as the cells of a report row, in the order of holdingColumns. */
export function holdingCells(h: Holding): ReportCell[] {
  return [
    h.account,
    h.holder,
    h.accountType,
    h.status,
    h.project,
    h.vintage,
    h.quantity,
    h.blocks,
    h.synthetic ? 'yes' : 'no',
  ];
}

/** Every holding of a registry in the report's order, a page of at most pageSizeMax at a time. */
export async function* holdingPages(
  queries: RegistryReportQueries,
  registry: RegistryId,
  synthetic: ReadonlySet<string>,
): AsyncGenerator<Holding[]> {
  let after: readonly KeyPart[] | null = null;
  do {
    const page = await queries.holdings(registry, after, pageSizeMax);
    yield page.items.map((h) => ({ ...h, synthetic: synthetic.has(h.project) }));
    // The page's own cursor, read back: the key of its last row in the query's order.
    const next = afterKey({ after: page.next ?? undefined }, holdingKey);
    assert(next.ok, 'a holdings page gives a cursor it takes back');
    after = next.value;
  } while (after !== null);
}

const csvLine = (cells: readonly CsvValue[]) => `${cells.map(csvField).join(',')}\r\n`;

/**
 * The holdings CSV (the one CSV writer's format: every field quoted, CRLF), the header first and then
 * one part per page of holdings; a page is read only when the part before it has been taken.
 */
export async function* holdingCsvParts(
  pages: AsyncIterable<Holding[]>,
): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  yield encoder.encode(csvLine(holdingColumns));
  for await (const page of pages)
    if (page.length > 0) yield encoder.encode(page.map((h) => csvLine(holdingCells(h))).join(''));
}

/** A file's parts as a web stream that asks for the next part only when its reader wants more. */
export function streamOf(parts: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = parts[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done === true) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
