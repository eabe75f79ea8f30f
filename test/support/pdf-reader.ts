// Reads a PDF back for tests (issue 15): its text as a reader extracts it (pdfjs-dist), whether its
// fonts are embedded (every font descriptor names a font file), and the QR codes of its images
// decoded (jsQR). Used by the certificate and report tests; nothing here is in the application.
import jsQRModule from 'jsqr';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

// jsqr is a CommonJS bundle whose module object is the function and also has it as `default`; its
// types describe only the latter, so take whichever the loader hands over.
const jsQR =
  (jsQRModule as unknown as { default?: typeof jsQRModule.default }).default ?? jsQRModule.default;

export interface ReadPdf {
  readonly pageTexts: readonly string[];
  /** The text of every page, joined with newlines. */
  readonly text: string;
  readonly fontDescriptors: number;
  readonly embeddedFontFiles: number;
  /** The text of every QR code drawn as an image, page by page. */
  readonly qrCodes: readonly string[];
}

interface ImageData {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray;
  readonly kind: number;
}

/** RGBA pixels from pdf.js image data (1: 1 bit grey, 2: RGB, 3: RGBA). */
function rgba(image: ImageData): Uint8ClampedArray {
  const pixels = image.width * image.height;
  const out = new Uint8ClampedArray(pixels * 4);
  const rowBytes = Math.ceil(image.width / 8);
  for (let p = 0; p < pixels; p += 1) {
    let value: [number, number, number];
    if (image.kind === 1) {
      const x = p % image.width;
      const y = Math.floor(p / image.width);
      const bit = ((image.data[y * rowBytes + (x >> 3)] ?? 0) >> (7 - (x & 7))) & 1;
      value = bit === 1 ? [255, 255, 255] : [0, 0, 0];
    } else {
      const step = image.kind === 2 ? 3 : 4;
      value = [
        image.data[p * step] ?? 0,
        image.data[p * step + 1] ?? 0,
        image.data[p * step + 2] ?? 0,
      ];
    }
    out.set([...value, 255], p * 4);
  }
  return out;
}

async function pageImages(page: {
  getOperatorList(): Promise<{ fnArray: number[]; argsArray: unknown[][] }>;
  objs: { get(name: string, callback: (data: ImageData) => void): void };
}): Promise<ImageData[]> {
  const operators = await page.getOperatorList();
  const names = operators.fnArray.flatMap((fn, i) =>
    fn === OPS.paintImageXObject ? [String(operators.argsArray[i]?.[0])] : [],
  );
  return Promise.all(
    names.map((name) => new Promise<ImageData>((resolve) => page.objs.get(name, resolve))),
  );
}

export async function readPdf(bytes: Uint8Array): Promise<ReadPdf> {
  const raw = Buffer.from(bytes).toString('latin1');
  const document = await getDocument({
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    isEvalSupported: false,
  }).promise;
  const pageTexts: string[] = [];
  const qrCodes: string[] = [];
  for (let n = 1; n <= document.numPages; n += 1) {
    const page = await document.getPage(n);
    const content = await page.getTextContent();
    pageTexts.push(
      content.items
        .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : ''))
        .join(''),
    );
    for (const image of await pageImages(page as never)) {
      const code = jsQR(rgba(image), image.width, image.height);
      if (code !== null) qrCodes.push(code.data);
    }
  }
  await document.destroy();
  return {
    pageTexts,
    text: pageTexts.join('\n'),
    fontDescriptors: [...raw.matchAll(/\/Type \/FontDescriptor/g)].length,
    embeddedFontFiles: [...raw.matchAll(/\/FontFile[23]? /g)].length,
    qrCodes,
  };
}
