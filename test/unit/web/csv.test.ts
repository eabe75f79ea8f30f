// The CSV writer of the downloads: RFC 4180 quoting, and no cell that a spreadsheet would run as a
// formula (OWASP CSV injection), while plain numbers, negative ones included, stay numbers.
import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../../src/web/csv.ts';

describe('the CSV writer', () => {
  it.each([
    ['=HYPERLINK("http://x.example","click")', `"'=HYPERLINK(""http://x.example"",""click"")"`],
    ["+1+cmd|' /C calc'!A0", `"'+1+cmd|' /C calc'!A0"`],
    ["-2+3+cmd|' /C calc'!A0", `"'-2+3+cmd|' /C calc'!A0"`],
    ['@SUM(1+1)*cmd', `"'@SUM(1+1)*cmd"`],
    ['\t=1+1', `"'\t=1+1"`],
    ['\r=1+1', `"'\r=1+1"`],
    ['＝1+1', `"'＝1+1"`],
    ['-', `"'-"`],
    ['Solar park (a "quoted" name), Surat', '"Solar park (a ""quoted"" name), Surat"'],
    ['a = b', '"a = b"'],
  ])('writes %j as %s', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it.each([
    [-8.65, '"-8.65"'],
    ['-8.65', '"-8.65"'],
    ['+12', '"+12"'],
    [-3n, '"-3"'],
    [0, '"0"'],
    [null, '""'],
  ])('keeps the number %s as %s', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('writes a header and CRLF lines', () => {
    expect(toCsv([{ title: '=1+1', latitude: -1.5 }])).toBe(
      `"title","latitude"\r\n"'=1+1","-1.5"\r\n`,
    );
  });
});
