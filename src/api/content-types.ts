// The one test of a JSON body's content type, for the edge (src/http/edge-input.ts) and for the routes
// that take JSON among other types (the monitoring upload).

/**
 * `application/json` exactly as written here (RFC 9110 lets media types differ in case, but issue 12
 * asks for exactly this spelling, which every client sends), with at most a `charset=utf-8`
 * parameter (its name and value in any case).
 */
const jsonContentType = /^application\/json(\s*;\s*charset=("utf-8"|utf-8))?\s*$/i;
const jsonEssence = /^application\/json\s*(;|$)/;

export function isJsonContentType(header: string | undefined): boolean {
  return header !== undefined && jsonEssence.test(header) && jsonContentType.test(header);
}
