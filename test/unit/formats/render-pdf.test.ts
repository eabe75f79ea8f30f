// The generic PDF renderer (issue 15), read back: text is extractable (Latin and Japanese), every
// font is embedded, a long table breaks across pages with its headings repeated, and the QR code
// decodes to its URL.
import { describe, expect, it } from 'vitest';
import { renderPdfDocument } from '../../../src/formats/pdf/render-pdf.ts';
import { readPdf } from '../../support/pdf-reader.ts';

// The first document of a process parses the 5 MB fonts; on a busy machine that is seconds.
describe('renderPdfDocument', { timeout: 60_000 }, () => {
  it('writes selectable Latin and Japanese text in embedded fonts, and a QR code that decodes', async () => {
    const bytes = await renderPdfDocument({
      title: 'Certificate of retirement',
      subtitle: 'JCM registry of Japan',
      notice: 'Synthetic demo data',
      sections: [
        {
          kind: 'fields',
          heading: 'Entry',
          rows: [
            ['Beneficiary', '株式会社テスト電力'],
            ['Quantity', '12,000'],
          ],
        },
        { kind: 'paragraph', text: 'Verify this certificate against the registry.' },
        { kind: 'qr', url: 'http://registry.example/verify/jp/42', caption: 'Verify' },
      ],
      footer: 'jcm',
    });
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const pdf = await readPdf(bytes);
    expect(pdf.text).toContain('Certificate of retirement');
    expect(pdf.text).toContain('株式会社テスト電力');
    expect(pdf.text).toContain('12,000');
    expect(pdf.text).toContain('Synthetic demo data');
    expect(pdf.text).toContain('http://registry.example/verify/jp/42');
    expect(pdf.fontDescriptors).toBeGreaterThan(0);
    expect(pdf.embeddedFontFiles).toBe(pdf.fontDescriptors);
    expect(pdf.qrCodes).toEqual(['http://registry.example/verify/jp/42']);
    expect(pdf.pageTexts).toHaveLength(1);
    // Subset on embed: the PDF holds the glyphs it uses, not the 5 MB font files.
    expect(bytes.length).toBeLessThan(200_000);
  });

  it('breaks a long table across pages and repeats its column headings on each', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => [
      `JCM-IN-001-2027-1-${i + 1}`,
      String(i + 1),
      '東京',
    ]);
    const pdf = await readPdf(
      await renderPdfDocument({
        title: 'Holdings',
        sections: [
          { kind: 'table', heading: 'Blocks', columns: ['Block', 'Quantity', 'Place'], rows },
        ],
      }),
    );
    expect(pdf.pageTexts.length).toBeGreaterThan(1);
    for (const page of pdf.pageTexts) expect(page).toContain('Quantity');
    expect(pdf.text).toContain('JCM-IN-001-2027-1-150');
    expect(pdf.text).toContain(`Page ${pdf.pageTexts.length} of ${pdf.pageTexts.length}`);
  });
});
