// Filed documents: accepted types only, and the name, the declared type and the first bytes agree.
import { describe, expect, it } from 'vitest';
import { documentFileProblem, mediaTypeOfFileName } from '../../../src/core/cycle/document-file.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const zipBytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);
const pdf = 'application/pdf';
const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('document files', () => {
  it.each([
    ['pdd.pdf', pdf, bytes('%PDF-1.7 ...'), null],
    ['PDD.PDF', pdf, bytes('%PDF-1.7 ...'), null],
    ['monitoring.xlsx', xlsx, zipBytes, null],
    ['notes.txt', 'text/plain', bytes('a plain note'), null],
    ['data.csv', 'text/csv', bytes('a,b\n1,2\n'), null],
    ['pdd.docx', pdf, bytes('%PDF-1.7'), 'a application/pdf file is named .pdf'],
    ['pdd.pdf', pdf, zipBytes, 'the content is not application/pdf'],
    ['monitoring.xlsx', xlsx, bytes('a,b\n'), 'the content is not'],
    ['notes.txt', 'text/plain', new Uint8Array([0x61, 0, 0x62]), 'binary content'],
    ['tool.exe', 'application/x-msdownload', bytes('MZ'), 'is not accepted'],
    ['page.html', 'text/html', bytes('<script>'), 'is not accepted'],
    ['empty.pdf', pdf, new Uint8Array(), 'the content is not application/pdf'],
  ])('%s as %s', (name, type, content, problem) => {
    const found = documentFileProblem(name, type, content);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toContain(problem);
  });

  it('names the type of an accepted extension, and none for others', () => {
    expect(mediaTypeOfFileName('report.PDF')).toBe(pdf);
    expect(mediaTypeOfFileName('sheet.xlsx')).toBe(xlsx);
    expect(mediaTypeOfFileName('plan.yml')).toBe('application/yaml');
    expect(mediaTypeOfFileName('virus.exe')).toBeUndefined();
    expect(mediaTypeOfFileName('no-extension')).toBeUndefined();
  });
});
