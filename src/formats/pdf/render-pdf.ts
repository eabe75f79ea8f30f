// One small renderer for every PDF the platform writes (certificates, reports): a document is a
// title, an optional notice (e.g. "Synthetic demo data") and a list of sections (labelled fields, a
// table that breaks across pages with its header repeated, a QR code with its URL as text). Text is
// real text in an embedded, subset Japanese font, so it can be selected, searched and read back.
// Only this folder knows PDFKit; callers build a `PdfDocumentSpec`, a plain value.
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { pdfFontBytes } from './pdf-fonts.ts';

export type PdfFieldRow = readonly [label: string, value: string];

export type PdfSection =
  | { readonly kind: 'fields'; readonly heading?: string; readonly rows: readonly PdfFieldRow[] }
  | {
      readonly kind: 'table';
      readonly heading?: string;
      readonly columns: readonly string[];
      readonly rows: readonly (readonly string[])[];
    }
  | { readonly kind: 'qr'; readonly url: string; readonly caption: string }
  | { readonly kind: 'paragraph'; readonly heading?: string; readonly text: string };

export interface PdfDocumentSpec {
  readonly title: string;
  readonly subtitle?: string;
  /** Shown in a red box under the title and in every page's footer (e.g. "Synthetic demo data"). */
  readonly notice?: string;
  readonly sections: readonly PdfSection[];
  /** Printed at the bottom of every page, before the page number. */
  readonly footer?: string;
  /** Document information; the creation date defaults to the time of rendering. */
  readonly author?: string;
  readonly createdAt?: Date;
}

/** Limits: a table of more rows than this is refused by an assertion (page the report instead). */
export const pdfTableRowsMax = 20_000;
export const pdfSectionsMax = 200;

const pageMargin = 50;
const fontSize = { title: 18, subtitle: 11, heading: 12, body: 9, small: 8 } as const;
const colour = { text: '#111111', muted: '#555555', rule: '#999999', notice: '#b00020' } as const;

type Doc = PDFKit.PDFDocument;

/** Renders a document to the bytes of a PDF file. */
export async function renderPdfDocument(spec: PdfDocumentSpec): Promise<Uint8Array> {
  if (spec.sections.length > pdfSectionsMax) throw new Error('PDF: too many sections');
  const doc = new PDFDocument({
    size: 'A4',
    margin: pageMargin,
    bufferPages: true,
    // No default font: PDFKit would otherwise open Helvetica, a standard font that is never embedded.
    // The two fonts are registered by name below and always selected by that name, which PDFKit
    // caches; selecting a font by its bytes would parse the 5 MB file again on every call.
    font: null as unknown as string,
    info: {
      Title: spec.title,
      ...(spec.author === undefined ? {} : { Author: spec.author }),
      Creator: 'jcm',
      CreationDate: spec.createdAt ?? new Date(),
    },
  });
  doc.registerFont('regular', pdfFontBytes('regular'));
  doc.registerFont('bold', pdfFontBytes('bold'));
  doc.font('regular');
  const done = collect(doc);
  writeHeader(doc, spec);
  for (const section of spec.sections) await writeSection(doc, section);
  writeFooters(doc, spec);
  doc.end();
  return done;
}

function collect(doc: Doc): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
}

function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function writeHeader(doc: Doc, spec: PdfDocumentSpec): void {
  doc.font('bold').fontSize(fontSize.title).fillColor(colour.text).text(spec.title);
  if (spec.subtitle !== undefined) {
    doc.font('regular').fontSize(fontSize.subtitle).fillColor(colour.muted).text(spec.subtitle);
  }
  if (spec.notice !== undefined) {
    doc.moveDown(0.5);
    const x = doc.page.margins.left;
    const y = doc.y;
    const width = contentWidth(doc);
    doc.font('bold').fontSize(fontSize.heading);
    const height = doc.heightOfString(spec.notice, { width: width - 16 }) + 12;
    doc.rect(x, y, width, height).lineWidth(1.5).strokeColor(colour.notice).stroke();
    doc.fillColor(colour.notice).text(spec.notice, x + 8, y + 6, { width: width - 16 });
    doc.x = x;
    doc.y = y + height;
  }
  doc.moveDown(0.5);
}

async function writeSection(doc: Doc, section: PdfSection): Promise<void> {
  switch (section.kind) {
    case 'fields':
      return writeFields(doc, section.heading, section.rows);
    case 'table':
      return writeTable(doc, section.heading, section.columns, section.rows);
    case 'qr':
      return writeQr(doc, section.url, section.caption);
    case 'paragraph':
      writeHeading(doc, section.heading);
      doc.font('regular').fontSize(fontSize.body).fillColor(colour.text);
      doc.text(section.text, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
      doc.moveDown(0.5);
      return;
    default: {
      const unknown: never = section;
      throw new Error(`PDF: unknown section ${String(unknown)}`);
    }
  }
}

function writeHeading(doc: Doc, heading: string | undefined): void {
  if (heading === undefined) return;
  ensureRoom(doc, 40);
  doc.moveDown(0.5);
  doc.font('bold').fontSize(fontSize.heading).fillColor(colour.text);
  doc.text(heading, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.25);
}

/** Starts a new page when less than `height` points remain above the bottom margin. */
function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) {
    doc.addPage();
    doc.y = doc.page.margins.top;
  }
}

function writeFields(doc: Doc, heading: string | undefined, rows: readonly PdfFieldRow[]): void {
  writeHeading(doc, heading);
  const left = doc.page.margins.left;
  const labelWidth = 150;
  const valueWidth = contentWidth(doc) - labelWidth - 10;
  for (const [label, value] of rows) {
    doc.fontSize(fontSize.body);
    const height = Math.max(
      doc.font('bold').heightOfString(label, { width: labelWidth }),
      doc.font('regular').heightOfString(value, { width: valueWidth }),
    );
    ensureRoom(doc, height + 4);
    const y = doc.y;
    doc.font('bold').fillColor(colour.muted).text(label, left, y, { width: labelWidth });
    doc.font('regular').fillColor(colour.text);
    doc.text(value, left + labelWidth + 10, y, { width: valueWidth });
    doc.x = left;
    doc.y = y + height + 4;
  }
  doc.moveDown(0.5);
}

/** Column widths in proportion to the longest text of each column, each at least a minimum. */
function columnWidths(
  total: number,
  columns: readonly string[],
  rows: readonly (readonly string[])[],
): number[] {
  const longest = columns.map((column, i) =>
    Math.min(40, Math.max(column.length, ...rows.slice(0, 200).map((r) => (r[i] ?? '').length), 4)),
  );
  const sum = longest.reduce((a, b) => a + b, 0);
  return longest.map((n) => (total * n) / sum);
}

function writeTableRow(
  doc: Doc,
  cells: readonly string[],
  widths: readonly number[],
  bold: boolean,
) {
  doc.font(bold ? 'bold' : 'regular').fontSize(fontSize.small);
  const padding = 3;
  const height =
    Math.max(
      ...widths.map((w, i) => doc.heightOfString(cells[i] ?? '', { width: w - 2 * padding })),
    ) +
    2 * padding;
  ensureRoom(doc, height);
  const y = doc.y;
  let x = doc.page.margins.left;
  widths.forEach((w, i) => {
    doc.fillColor(colour.text).text(cells[i] ?? '', x + padding, y + padding, {
      width: w - 2 * padding,
    });
    x += w;
  });
  doc
    .moveTo(doc.page.margins.left, y + height)
    .lineTo(x, y + height)
    .lineWidth(bold ? 1 : 0.5)
    .strokeColor(colour.rule)
    .stroke();
  doc.x = doc.page.margins.left;
  doc.y = y + height;
}

function writeTable(
  doc: Doc,
  heading: string | undefined,
  columns: readonly string[],
  rows: readonly (readonly string[])[],
): void {
  if (rows.length > pdfTableRowsMax) throw new Error('PDF: too many table rows');
  writeHeading(doc, heading);
  const widths = columnWidths(contentWidth(doc), columns, rows);
  writeTableRow(doc, columns, widths, true);
  for (const row of rows) {
    const pageBefore = doc.bufferedPageRange().count;
    doc.font('regular').fontSize(fontSize.small);
    const rowHeight =
      Math.max(...widths.map((w, i) => doc.heightOfString(row[i] ?? '', { width: w - 6 }))) + 6;
    ensureRoom(doc, rowHeight);
    // A new page repeats the column headings, so every page of a long table reads on its own.
    if (doc.bufferedPageRange().count > pageBefore) writeTableRow(doc, columns, widths, true);
    writeTableRow(doc, row, widths, false);
  }
  doc.moveDown(0.5);
}

async function writeQr(doc: Doc, url: string, caption: string): Promise<void> {
  const png = await QRCode.toBuffer(url, { errorCorrectionLevel: 'M', margin: 4, scale: 8 });
  const size = 130;
  ensureRoom(doc, size + 50);
  doc.moveDown(0.5);
  const left = doc.page.margins.left;
  const y = doc.y;
  doc.image(png, left, y, { width: size, height: size });
  const textX = left + size + 12;
  const textWidth = contentWidth(doc) - size - 12;
  doc.font('bold').fontSize(fontSize.body).fillColor(colour.text);
  doc.text(caption, textX, y + 10, { width: textWidth });
  doc.moveDown(0.3);
  doc
    .font('regular')
    .fillColor(colour.text)
    .text(url, textX, doc.y, { width: textWidth, link: url });
  doc.x = left;
  doc.y = Math.max(doc.y, y + size) + 6;
}

function writeFooters(doc: Doc, spec: PdfDocumentSpec): void {
  const range = doc.bufferedPageRange();
  const parts = [spec.notice, spec.footer].filter((p): p is string => p !== undefined);
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    // Writing inside the bottom margin must not make PDFKit add a page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const text = [...parts, `Page ${i + 1} of ${range.count}`].join('  ·  ');
    doc.font('regular').fontSize(fontSize.small).fillColor(colour.muted);
    doc.text(text, doc.page.margins.left, doc.page.height - bottom + 15, {
      width: contentWidth(doc),
      align: 'center',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
}
