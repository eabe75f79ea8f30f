// Document downloads carry any file name (RFC 6266 with RFC 5987's `filename*`): an ASCII fallback
// in `filename` and the UTF-8 name, percent-encoded, in `filename*`; never a header node refuses.
import { describe, expect, it } from 'vitest';
import { attachment } from '../../../src/api/problem.ts';

const download = (fileName: string) =>
  attachment({
    mediaType: 'text/plain',
    fileName,
    bytes: new TextEncoder().encode('x'),
  }).headers.get('content-disposition');

describe('the Content-Disposition of a download', () => {
  it.each([
    ['report.pdf', `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`],
    [
      '設計書 v2.pdf',
      `attachment; filename="___ v2.pdf"; filename*=UTF-8''%E8%A8%AD%E8%A8%88%E6%9B%B8%20v2.pdf`,
    ],
    [
      'a\r\nSet-Cookie: x=1.txt',
      `attachment; filename="a__Set-Cookie: x=1.txt"; filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x%3D1.txt`,
    ],
    [
      `q"uo\\te's (1)*%.txt`,
      `attachment; filename="q_uo_te's (1)*_.txt"; filename*=UTF-8''q%22uo%5Cte%27s%20%281%29%2A%25.txt`,
    ],
    [
      'tab\there\u0000.txt',
      `attachment; filename="tab_here_.txt"; filename*=UTF-8''tab%09here%00.txt`,
    ],
    ['lone \uD800.txt', `attachment; filename="lone _.txt"; filename*=UTF-8''lone%20%EF%BF%BD.txt`],
  ])('%j', (fileName, expected) => {
    expect(download(fileName)).toBe(expected);
  });

  it('round-trips the name through filename*', () => {
    const name = '報告書\r\n(最終).xlsx';
    const value = download(name) ?? '';
    const encoded = /filename\*=UTF-8''(.*)$/.exec(value)?.[1] ?? '';
    expect(decodeURIComponent(encoded)).toBe(name);
  });
});
