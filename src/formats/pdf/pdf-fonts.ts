// The fonts every PDF of the platform embeds: Noto Sans JP (SIL Open Font License 1.1, shipped by
// the npm package @expo-google-fonts/noto-sans-jp), regular and bold. One font covers Latin and
// Japanese text, so names in kanji and kana render as selectable text; PDFKit embeds only the glyphs
// a document uses (a subset of a few kilobytes, not the 5 MB file). Read from node_modules and parsed
// (fontkit) once per process, not once per document (that would cost about half a second each):
// nothing is downloaded at run time.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { create, type Font } from 'fontkit';

const require = createRequire(import.meta.url);

/** The font files, resolved from the installed package (the package has no `exports` map). */
export const pdfFontFiles = {
  regular: require.resolve('@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf'),
} as const;

export type PdfFontWeight = keyof typeof pdfFontFiles;

const parsed = new Map<PdfFontWeight, Font>();

/** The parsed font, on first use, kept for the life of the process (PDFKit only reads it). */
export function pdfFont(weight: PdfFontWeight): Font {
  const cached = parsed.get(weight);
  if (cached !== undefined) return cached;
  const font = create(readFileSync(pdfFontFiles[weight]));
  parsed.set(weight, font);
  return font;
}
