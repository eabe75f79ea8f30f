// The one CSV writer of every CSV the platform writes (the portal's downloads, the AEF). RFC 4180:
// every field quoted, quotes doubled, lines ended by CRLF. Safe to open in a spreadsheet (OWASP, CSV injection):
// a text field that begins with =, +, -, @, tab or CR (or their full-width forms, which some
// spreadsheets in Japanese locales also take as the start of a formula) is prefixed with a single
// quote, so it is read as text. A field that is a plain decimal number (a negative latitude, say)
// is not a formula and is written as it is, so it still reads as a number.

export type CsvValue = string | number | bigint | null | undefined;

const formulaStart = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const plainNumber = /^[+-]?\d+(\.\d+)?$/;

/** One field, quoted, neutralised if it would start a formula. */
export function csvField(value: CsvValue): string {
  const text = value === null || value === undefined ? '' : String(value);
  const inert = formulaStart.test(text) && !plainNumber.test(text) ? `'${text}` : text;
  return `"${inert.replaceAll('"', '""')}"`;
}

/**
 * A field's text as written, back to the value: the quote put before a would-be formula is taken
 * off. A value that itself began with a quote and a formula character reads back without its quote.
 */
export function csvFieldValue(text: string): string {
  const rest = text.slice(1);
  return text.startsWith("'") && formulaStart.test(rest) && !plainNumber.test(rest) ? rest : text;
}

/** Rows of named columns (those of the first row) as a CSV file with a header line. */
export function toCsv(rows: readonly Readonly<Record<string, CsvValue>>[]): string {
  const columns = Object.keys(rows[0] ?? {});
  return (
    [
      columns.map(csvField).join(','),
      ...rows.map((r) => columns.map((c) => csvField(r[c])).join(',')),
    ].join('\r\n') + '\r\n'
  );
}
