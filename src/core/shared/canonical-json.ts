// Canonical JSON: keys sorted, no whitespace, bigints as decimal strings. Journal hashes and
// idempotency request hashes are computed over this text, so it must never change for equal values.

export type Json =
  | null
  | boolean
  | number
  | string
  | bigint
  | readonly Json[]
  | { readonly [key: string]: Json | undefined };

export function canonicalJson(value: Json): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no non-finite numbers');
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'object': {
      if (Array.isArray(value))
        return `[${value.map((item: Json) => canonicalJson(item)).join(',')}]`;
      const record = value as { readonly [key: string]: Json | undefined };
      const keys = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort();
      return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key] as Json)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot encode ${typeof value}`);
  }
}
