// The Content-Disposition of a download, for any file name: the API's documents, the portal's data
// sets and the methodology templates all name their files through this one function.

/**
 * `attachment` with a file name (RFC 6266): an ASCII fallback in `filename` (every other character,
 * quotes, backslashes and controls as `_`) and the name itself, UTF-8 percent-encoded (RFC 5987), in
 * `filename*`. A header value may hold only Latin-1 without controls: anything else throws.
 */
export function contentDisposition(fileName: string): string {
  const name = fileName.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
