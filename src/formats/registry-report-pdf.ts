// A registry report as PDF, through the platform's one PDF renderer (src/formats/pdf): one table
// section per table of the report, the synthetic demo's tables named as such in their heading, and
// a notice when the report holds any of the demo's rows.
import { renderPdfDocument, type PdfSection } from './pdf/render-pdf.ts';
import type { ReportCell, ReportTable } from './registry-report-xlsx.ts';

const text = (value: ReportCell): string => (value === null ? '' : String(value));

export function reportPdf(
  title: string,
  subtitle: string,
  tables: readonly ReportTable[],
  createdAt: Date,
): Promise<Uint8Array> {
  const sections: PdfSection[] = tables.map((t) => ({
    kind: 'table',
    heading: t.title,
    columns: [...t.columns],
    rows:
      t.rows.length === 0
        ? [t.columns.map((_, i) => (i === 0 ? 'none' : ''))]
        : t.rows.map((r) => r.map(text)),
  }));
  const demo = tables.some((t) => /synthetic demo/i.test(t.title) && t.rows.length > 0);
  return renderPdfDocument({
    title,
    subtitle,
    ...(demo
      ? {
          notice:
            'Tables marked "synthetic demo data" are examples, not real credits, and are not counted in the figures.',
        }
      : {}),
    sections,
    footer: 'JCM platform: registry report from the aggregates kept with the journal',
    author: 'JCM platform',
    createdAt,
  });
}
