// The fonts every PDF of the platform embeds: Noto Sans JP (SIL Open Font License 1.1, shipped by
// the npm package @expo-google-fonts/noto-sans-jp), regular and bold. One font covers Latin and
// Japanese text, so names in kanji and kana render as selectable text; PDFKit embeds only the glyphs
// a document uses (a subset of a few kilobytes, not the 5 MB file). Read from node_modules once per
// process: nothing is downloaded at run time.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The font files, resolved from the installed package (the package has no `exports` map). */
export const pdfFontFiles = {
  regular: require.resolve('@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf'),
} as const;

export type PdfFontWeight = keyof typeof pdfFontFiles;

const loaded = new Map<PdfFontWeight, Buffer>();

/** The bytes of a font file, read on first use and kept for the life of the process. */
export function pdfFontBytes(weight: PdfFontWeight): Buffer {
  const cached = loaded.get(weight);
  if (cached !== undefined) return cached;
  const bytes = readFileSync(pdfFontFiles[weight]);
  loaded.set(weight, bytes);
  return bytes;
}
