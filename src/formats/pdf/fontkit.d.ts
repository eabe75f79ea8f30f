// The one function of fontkit (PDFKit's own font engine, the same version) this folder calls: it
// parses a font file once per process, and PDFKit embeds a subset of it in each document.
declare module 'fontkit' {
  /** A parsed font; opaque here, handed to PDFKit's registerFont. */
  export interface Font {
    readonly postscriptName: string;
  }
  export function create(buffer: Buffer): Font;
}
