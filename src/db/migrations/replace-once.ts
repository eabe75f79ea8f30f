// Later migrations redefine a database function as an earlier one's text with one passage changed,
// so that each change stays readable on its own.

/** `text` with its one occurrence of `from` replaced by `to`; throws if `from` is absent or repeated. */
export function replaceOnce(text: string, from: string, to: string, migration: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0)
    throw new Error(`migration ${migration}: expected one "${from}"`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}
